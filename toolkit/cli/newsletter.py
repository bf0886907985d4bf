"""`netkit newsletter preview|send`: the monthly newsletter "Nyt fra netværket" (toolkit.network.newsletter*).

Exit codes: 0 done; 1 nothing to send, sent already or no mail server; 2 misuse (a malformed month, no --month).
"""

from __future__ import annotations

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.group("newsletter")
def newsletter_group() -> None:
    """The monthly newsletter "Nyt fra netværket": preview it, send it to the subscribers."""


def _month(value: str | None) -> str:
    from toolkit.errors import InvalidSlug
    from toolkit.network.meetings import today_here
    from toolkit.network.newsletter import parse_month, previous_month

    if value is None:
        return previous_month(today_here())
    try:
        return parse_month(value)
    except InvalidSlug as exc:
        raise click.BadParameter(str(exc), param_hint="--month") from None


@newsletter_group.command("preview")
@click.option("--month", help="The month (YYYY-MM); default: the month before this one.")
@pass_context
@core_errors
def preview_command(ctx: Context, month: str | None) -> None:
    """Print the month's newsletter as it would be sent now (items the facilitator left out are marked).

    Example: netkit newsletter preview --month 2026-11
    """
    from toolkit.network.newsletterissue import current_issue, issue_records

    chosen = _month(month)
    issue, digest, _base = current_issue(ctx.instance, issue_records(ctx.instance.library_dir), chosen)
    click.echo(digest.title)
    if issue is not None and issue.sent is not None:
        click.echo(f"(sent {issue.sent:%Y-%m-%d %H:%M} UTC by {issue.sent_by} to {issue.recipients} subscriber(s))")
    click.echo("")
    if digest.intro:
        click.echo(digest.intro + "\n")
    if not digest.has_news:
        click.echo("Nothing new happened in this month: there is nothing to send.", err=True)
    for _name, heading, items in digest.sections(everything=True):
        click.echo(heading)
        for item in items:
            left_out = "  (left out)" if item.key in digest.dropped else ""
            click.echo(f"  * {item.title}{left_out}\n    {item.text}\n    [{item.key}]")
        click.echo("")


@newsletter_group.command("send")
@click.option("--month", required=True, help="The month (YYYY-MM) whose newsletter to send.")
@click.option("--author", help="Who sends it, for the history: 'Name <email>' (default: NETKIT_AUTHOR or git's).")
@pass_context
@core_errors
def send_command(ctx: Context, month: str, author: str | None) -> None:
    """Send the month's newsletter to every subscriber, once: a second send sends nothing (exit 1).

    The mails wait in the outbox; the running web server's sender sends them (or `netkit notifications send`).

    Example: netkit newsletter send --month 2026-11
    """
    from toolkit.network.newsletterissue import issue_records, send_issue
    from toolkit.network.notifying import notifications_for
    from toolkit.people.accounts import Accounts

    chosen = _month(month)
    accounts = Accounts(ctx.settings.home)
    parts = notifications_for(ctx.settings, ctx.instance, accounts)
    who = ctx.author(author)
    done = send_issue(ctx.instance, issue_records(ctx.instance.library_dir), accounts, parts.outbox,
                      parts.notifier.site, chosen, who, sent_by=who.name)
    click.echo(f"Newsletter {chosen}: {done.queued} mail(s) queued for {done.subscribers} subscriber(s); the "
               "running web server's sender sends them (or `netkit notifications send`)")
