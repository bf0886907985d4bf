"""`netkit backup create|restore`: the whole instance as one archive, and back (`netkit restore` stays the
revision command). The core is toolkit.people.backup and toolkit.people.restoring."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.group("backup")
def backup_group() -> None:
    """Back up the instance (history, users, secrets, activity log, outbox) and restore it elsewhere.

    Example: netkit backup create /var/backups/netkit/netkit-2027-01-31.tar.gz
    """


@backup_group.command("create")
@click.argument("out", metavar="OUT.tar.gz", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT when it exists (else exit 1).")
@pass_context
@core_errors
def create_command(ctx: Context, out: Path, force: bool) -> None:
    """Write a backup of the instance while it runs: the content repository as a git bundle (every revision
    and edition tag) and the users, secrets, sign-ins, activity log and outbox. The archive is readable only
    by its owner: it holds password hashes and the session secret.

    Example: netkit backup create /var/backups/netkit/netkit.tar.gz
    """
    from toolkit.people.backup import create_backup

    result = create_backup(ctx.settings.home, out, force=force)
    click.echo(f"Backed up {ctx.settings.home.absolute()} to {result.path} ({_size(result.size)}, mode 0600)")
    click.echo(f"  revision {result.head[:10]}, {result.tags} edition tag(s); files: {', '.join(result.files)}")
    if result.skipped:
        click.echo(f"  not included (rebuilt or transient): {', '.join(result.skipped)}")


@backup_group.command("restore")
@click.argument("archive", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new or empty folder for the restored instance.")
@pass_context
@core_errors
def restore_command(ctx: Context, archive: Path, into: Path) -> None:
    """Restore a backup into a new or empty folder, checked first (manifest, checksums, member names): a damaged
    or foreign archive writes nothing. Then serve it with NETKIT_HOME=DIR netkit serve.

    Example: netkit backup restore netkit-2027-01-31.tar.gz --into /srv/netkit/instance
    """
    from toolkit.people.restoring import restore_backup

    result = restore_backup(archive, into)
    click.echo(f"Restored the backup of {result.created} into {result.home}")
    click.echo(f"  revision {result.head[:10]}, {result.branches} branch(es), {result.tags} edition tag(s), "
               f"{result.users} user(s); files: {', '.join(result.files)}")
    click.echo(f"  serve it with: NETKIT_HOME={result.home} netkit serve (the search index is built on start)")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} kB"
