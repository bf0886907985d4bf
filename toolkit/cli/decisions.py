"""`netkit meetings actions`: the action items of every meeting's minutes (toolkit.network.decisions)."""

from __future__ import annotations

import json

import click

from toolkit.cli.base import Context, core_errors, pass_context
from toolkit.cli.meetings import meetings_group


@meetings_group.command("actions")
@click.option("--open", "open_only", is_flag=True, help="Only the action items not done yet.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def actions_command(ctx: Context, open_only: bool, as_json: bool) -> None:
    """List the action items of the meetings' minutes, earliest due first; overdue ones are marked.

    Example: netkit meetings actions --open
    """
    from toolkit.network.decisions import minutes_records
    from toolkit.network.meetings import meeting_records, today_here
    from toolkit.network.minutesflow import all_actions

    minutes = minutes_records(ctx.library_root)
    for problem in minutes.problems():
        click.echo(f"note: {problem}", err=True)
    today = today_here()
    entries = all_actions(minutes, meeting_records(ctx.library_root), open_only=open_only)
    if as_json:
        click.echo(json.dumps([{"meeting": e.meeting.slug, "number": e.number, "what": e.item.what,
                                "owner": e.item.owner, "email": e.item.email or None, "user": e.item.user or None,
                                "due": e.item.due.isoformat(), "status": e.item.status,
                                "overdue": e.item.overdue(today), "minutes": "approved" if e.approved else "draft"}
                               for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("no open action items" if open_only else "no action items", err=True)
        return
    for e in entries:
        state = "done" if e.item.done else ("OVERDUE" if e.item.overdue(today) else "open")
        click.echo(f"{e.item.due.isoformat()}  {state:7}  {e.item.owner}: {e.item.what}  "
                   f"[{e.meeting.slug} #{e.number}{'' if e.approved else ', draft'}]")
