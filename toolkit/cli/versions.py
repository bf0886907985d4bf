"""Versioning commands on the instance: init, history, diff, restore, status, publish, versions."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import Context, LazyChoice, author_option, core_errors, main, pass_context


def _statuses() -> list[str]:
    from toolkit.history.workflow import TRANSITIONS  # the library's modules: only when a command runs

    return sorted(TRANSITIONS)


@main.command("init")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_context
@core_errors
def init_command(ctx: Context, directory: Path | None) -> None:
    """Create an instance (the live, versioned library) from the bundled library and templates.

    Example: netkit init /srv/netkit
    """
    from toolkit.history.instance import Instance

    instance = Instance.create(directory or ctx.settings.home)
    click.echo(f"Created an instance at {instance.home} with {len(instance.library())} materials.")
    click.echo(f"Its history is a git repository: git -C {instance.content} log")


@main.command("history")
@click.argument("slug")
@pass_context
@core_errors
def history_command(ctx: Context, slug: str) -> None:
    """List a material's revisions, newest first, with published versions marked.

    Example: netkit history adgang-til-data
    """
    for revision in ctx.instance.history(slug):
        versions = f"  [{', '.join(revision.versions)}]" if revision.versions else ""
        first_line = revision.message.splitlines()[0] if revision.message else ""
        click.echo(f"{revision.short}  {revision.time:%Y-%m-%d %H:%M}  {revision.author:20}  {first_line}{versions}")


@main.command("diff")
@click.argument("slug")
@click.argument("old", required=False)
@click.argument("new", required=False)
@pass_context
@core_errors
def diff_command(ctx: Context, slug: str, old: str | None, new: str | None) -> None:
    """Show what changed between two revisions (default: the latest change).

    Example: netkit diff adgang-til-data 1a2b3c4d5e HEAD
    """
    diff = ctx.instance.diff(slug, old, new)
    click.echo(diff.unified if diff.changed else f"no difference between {diff.old_label} and {diff.new_label}")


@main.command("restore")
@click.argument("slug")
@click.argument("revision")
@click.option("-m", "--message", help="Why (default: 'Restore SLUG to revision REV').")
@author_option
@pass_context
@core_errors
def restore_command(ctx: Context, slug: str, revision: str, message: str | None, author: str | None) -> None:
    """Make an old revision's text the newest revision (history is kept).

    Example: netkit restore adgang-til-data 1a2b3c4d5e -m "Tilbage til teksten før omskrivningen"
    """
    result = ctx.instance.restore(slug, revision, ctx.author(author), message)
    _report(result.revision, result.changed, result.notes)


@main.command("status")
@click.argument("slug")
@click.argument("status", type=LazyChoice(_statuses))
@click.option("-m", "--message", help="A note for the history (e.g. what a reviewer should look at).")
@click.option("--replaced-by", metavar="SLUG", help="When retiring: the material that replaces this one.")
@author_option
@pass_context
@core_errors
def status_command(ctx: Context, slug: str, status: str, message: str | None, replaced_by: str | None,
                   author: str | None) -> None:
    """Move a material in the workflow: draft → review → approved → (publish) → retired.

    Example: netkit status samtykkemodeller review -m "Klar til review"
             netkit status gammel-vejledning retired --replaced-by adgang-til-data
    """
    result = ctx.instance.set_status(slug, status, ctx.author(author), message, replaced_by=replaced_by)
    _report(result.revision, result.changed, result.notes)


@main.command("publish")
@click.argument("slug")
@click.option("--major", "bump", flag_value="major", help="A new edition that changes recommendations.")
@click.option("--minor", "bump", flag_value="minor", help="New or rewritten sections.")
@click.option("--patch", "bump", flag_value="patch", help="Corrections and wording.")
@click.option("-m", "--message", required=True, help="What changed: the changelog line.")
@author_option
@pass_context
@core_errors
def publish_command(ctx: Context, slug: str, bump: str | None, message: str, author: str | None) -> None:
    """Publish the current text as a new version, tagged SLUG/X.Y.Z in the history.

    Example: netkit publish adgang-til-data --minor -m "Nyt afsnit om RKKP"
    """
    if bump is None:
        raise click.UsageError("say how big the change is: --major, --minor or --patch")
    edition = ctx.instance.publish(slug, bump, message, ctx.author(author))  # type: ignore[arg-type]
    click.echo(f"Published {slug} {edition.version} ({edition.revision[:10]})")


@main.command("versions")
@click.argument("slug")
@pass_context
@core_errors
def versions_command(ctx: Context, slug: str) -> None:
    """List a material's published versions with their changelog lines, newest first.

    Example: netkit versions adgang-til-data
    """
    editions = ctx.instance.versions(slug)
    if not editions:
        click.echo(f"{slug} has no published version yet")
    for edition in reversed(editions):
        click.echo(f"{edition.version:8}  {edition.time:%Y-%m-%d}  {edition.author:20}  {edition.message}")


def _report(revision: str, changed: bool, notes: tuple[str, ...]) -> None:
    click.echo(f"Saved revision {revision[:10]}" if changed else "Nothing changed")
    for note in notes:
        click.echo(f"note: {note}", err=True)
