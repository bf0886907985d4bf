"""The working groups: who is in each and which materials it writes."""

from __future__ import annotations

import json

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.group("groups")
def groups_group() -> None:
    """The network's working groups (records in library/groups/)."""


@groups_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
@pass_context
@core_errors
def list_command(ctx: Context, as_json: bool) -> None:
    """List the working groups with status, members and materials.

    Example: netkit groups list
    """
    from toolkit.history.records import Records
    from toolkit.network.groups import GROUP, working_groups
    from toolkit.people.accounts import Accounts

    library = ctx.library
    records = Records(library.root, GROUP)
    groups = working_groups(Accounts(ctx.settings.home), library, records)
    if as_json:
        click.echo(json.dumps([{"id": g.name, "name": g.title, "status": g.record.status if g.record else "active",
                                "members": list(g.members), "materials": [m.slug for m in g.materials]}
                               for g in groups], ensure_ascii=False, indent=2))
        return
    for group in groups:
        status = " (lukket)" if group.record and group.record.status == "closed" else ""
        click.echo(f"{group.name:24} {group.title}{status}")
        click.echo(f"{'':24} {len(group.members)} medlemmer: {', '.join(group.members) or '–'}")
        click.echo(f"{'':24} {len(group.materials)} materialer: {', '.join(m.slug for m in group.materials) or '–'}")
    for problem in records.problems():
        click.echo(f"note: {problem}", err=True)
