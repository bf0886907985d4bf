"""`netkit notifications`: what waits in the outbox, and sending it now (the web server's sender does it by itself;
this is for after fixing the mail server, or for an instance served without the web UI)."""

from __future__ import annotations

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.group("notifications")
def notifications_group() -> None:
    """Notifications by e-mail: the outbox of the instance."""


def _parts(ctx: Context):
    from toolkit.network.notifying import notifications_for
    from toolkit.people.accounts import Accounts

    return notifications_for(ctx.settings, ctx.instance, Accounts(ctx.settings.home))


@notifications_group.command("status")
@pass_context
@core_errors
def status_command(ctx: Context) -> None:
    """Show the mail server setting and how many mails were sent, wait and were refused.

    Example: netkit notifications status
    """
    parts = _parts(ctx)
    server = parts.outbox.server
    click.echo(f"Mail server: {server.host}:{server.port}" if server else
               "Mail server: none (set NETKIT_SMTP_HOST; notifications are shown in the web only)")
    counts = parts.outbox.counts()
    click.echo(f"Sent: {counts['sent']}  waiting: {counts['waiting']}  refused for good: {counts['failed']}")
    click.echo(f"Events not yet turned into notifications: {len(parts.store.pending_events())}")


@notifications_group.command("send")
@pass_context
@core_errors
def send_command(ctx: Context) -> None:
    """Send what waits now, without waiting for the next retry. Exit code 1 when mails are still waiting
    (no mail server set, or it did not accept them).

    Example: netkit notifications send
    """
    parts = _parts(ctx)
    if parts.outbox.server is None:
        raise click.ClickException("no mail server: set NETKIT_SMTP_HOST (and NETKIT_SMTP_PORT, …) first")
    before = parts.outbox.counts()
    parts.outbox.retry_now()
    if not parts.sender.run_once():
        click.echo("The running web server holds the sender's lease: it sends the waiting mails within seconds.")
        return
    parts.sender.stop()  # gives the lease back at once
    after = parts.outbox.counts()
    click.echo(f"Sent {after['sent'] - before['sent']}; waiting {after['waiting']}; refused for good "
               f"{after['failed']}")
    if after["waiting"]:
        raise click.ClickException("some mails are still waiting; see the log above, and try again later")
