"""`netkit rename`: give a material a new slug, with its links, history and old address kept."""

from __future__ import annotations

import click

from toolkit.cli.base import Context, author_option, core_errors, main, pass_context


@main.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("-m", "--message", help="Why (added to the history line 'Rename OLD → NEW').")
@author_option
@pass_context
@core_errors
def rename_command(ctx: Context, old: str, new: str, message: str | None, author: str | None) -> None:
    """Rename a material: its file, every [[link]], `related` and `replaced_by` that name it, in one revision.
    The old address keeps answering (it redirects to the new one), and the history and editions follow.

    Exit codes: 1 when NEW is taken or OLD does not exist, 2 for a slug that is not a slug.

    Example: netkit rename samtykke-playbook samtykke-i-praksis -m "Kortere navn"
    """
    result = ctx.instance.rename(old, new, ctx.author(author), message)
    click.echo(f"Renamed {result.old} → {result.new} in revision {result.revision[:10]}")
    if result.relinked:
        click.echo(f"Links updated in: {', '.join(result.relinked)}")
    click.echo(f"The old address /m/{result.old}/ now redirects to /m/{result.new}/")
