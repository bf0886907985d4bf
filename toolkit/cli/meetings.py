"""Meeting commands: meetings list|ics|plan (the annual plan as a table, calendar files and a Word document) and
invite|signups|remind (invitations by mail, the answers, reminders)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import Context, core_errors, main, pass_context
from toolkit.errors import Invalid

if TYPE_CHECKING:  # the core is imported by the commands that use it (see toolkit/cli/base.py)
    from toolkit.network.meetings import Meeting


def _records(ctx: Context):
    from toolkit.network.meetings import meeting_records

    records = meeting_records(ctx.library_root)
    if records.problems():
        click.echo(f"note: {len(records.problems())} meeting file(s) have problems:", err=True)
        for problem in records.problems():
            click.echo(f"  {problem}", err=True)
    return records


def _as_dict(meeting: Meeting) -> dict:
    return {"slug": meeting.slug, "theme": meeting.theme, "date": meeting.date.isoformat(),
            "start": f"{meeting.start:%H:%M}" if meeting.start else None,
            "end": f"{meeting.end:%H:%M}" if meeting.end else None, "place": meeting.place,
            "status": meeting.status, "topics": list(meeting.topics), "facilitator": meeting.facilitator,
            "invited_roles": list(meeting.invited_roles), "agenda": [item.topic for item in meeting.agenda],
            "proposals": list(meeting.proposals), "formed_groups": list(meeting.formed_groups)}


@main.group("meetings")
def meetings_group() -> None:
    """The network's meetings: meetings list|ics|plan|invite|signups|remind.

    Example: netkit meetings list --year 2027
    """


@meetings_group.command("list")
@click.option("--year", type=click.IntRange(2000, 2100), help="Only this year's meetings.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def list_meetings(ctx: Context, year: int | None, as_json: bool) -> None:
    """List the meetings in date order (a year's plan with --year).

    Example: netkit meetings list --year 2027 --json
    """
    from toolkit.network.meetings import STATUS_DA, all_meetings, meetings_of_year

    records = _records(ctx)
    meetings = meetings_of_year(records, year) if year else all_meetings(records)
    if as_json:
        click.echo(json.dumps([_as_dict(m) for m in meetings], ensure_ascii=False, indent=2))
        return
    if not meetings:
        click.echo(f"no meetings{f' in {year}' if year else ''}", err=True)
        return
    width = max(len(m.slug) for m in meetings)
    for meeting in meetings:
        time = f"{meeting.start:%H:%M}-{meeting.end:%H:%M}" if meeting.start and meeting.end else "hele dagen"
        click.echo(f"{meeting.slug:{width}}  {meeting.date.isoformat()} {time:11}  {STATUS_DA[meeting.status]:9}  "
                   f"{meeting.theme} ({meeting.place})")


@meetings_group.command("ics")
@click.argument("slug", required=False)
@click.option("--year", type=click.IntRange(2000, 2100), help="The whole year's plan instead of one meeting.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .ics file to write ('-' for standard output).")
@pass_context
@core_errors
def ics_command(ctx: Context, slug: str | None, year: int | None, output: Path) -> None:
    """Write one meeting, or a year's plan, as an iCalendar file (RFC 5545).

    A cancelled meeting has no calendar file of its own (exit 1); the year's plan lists it as cancelled.

    Example: netkit meetings ics 2027-02-04-adgang-til-data -o moede.ics
    """
    if (slug is None) == (year is None):
        raise click.UsageError("give a meeting's SLUG or --year YEAR (one of them)")
    from toolkit.network.icsfile import meeting_ics, plan_ics  # icalendar: only for this command

    records = _records(ctx)
    taxonomy = ctx.library.taxonomy
    if slug is not None:
        meeting = records.get(slug)
        try:
            text = meeting_ics(meeting, taxonomy=taxonomy)
        except Invalid:
            raise click.ClickException(f"mødet er aflyst: {slug} is cancelled, so it has no calendar file; "
                                       f"the year's plan (--year {meeting.year}) lists it as cancelled") from None
    else:
        from toolkit.network.calls import call_records  # the funding calls' deadlines beside the meetings

        text = plan_ics(records.all(), year=year, taxonomy=taxonomy, calls=call_records(ctx.library_root).all())
    _write(text.encode("utf-8"), output)


@meetings_group.command("plan")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .docx file to write.")
@pass_context
@core_errors
def plan_command(ctx: Context, year: int, output: Path) -> None:
    """Write the year's annual plan as a Word document (a table of the meetings, then each meeting).

    Example: netkit meetings plan 2027 -o aarsplan-2027.docx
    """
    from toolkit.network.annualplan import annual_plan_docx  # python-docx: only for this command
    from toolkit.network.calls import call_records  # the funding calls' deadlines after the meetings

    records = _records(ctx)
    data = annual_plan_docx(records.all(), year, ctx.library.taxonomy, network_name=ctx.settings.network_name,
                            calls=call_records(ctx.library_root).all())
    _write(data, output)


def _write(data: bytes, output: Path) -> None:
    from toolkit.files import write_atomically

    if str(output) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_atomically(data, output)
    click.echo(f"wrote {output}", err=True)


# -- invitations and sign-ups (toolkit.network.invitations) ------------------------------------------------------------


def _invitations(ctx: Context):
    from toolkit.network.invitations import invitations_for
    from toolkit.network.notifying import notifications_for
    from toolkit.people.accounts import Accounts

    accounts = Accounts(ctx.settings.home)
    parts = notifications_for(ctx.settings, ctx.instance, accounts)
    return invitations_for(parts, ctx.instance, accounts, _records(ctx))


@meetings_group.command("invite")
@click.argument("slug")
@click.option("--to", "targets", multiple=True, required=True, metavar="ROLE|group:ID|EMAIL",
              help="Whom to invite (repeatable): a role (member, facilitator, admin, all), every member of a working "
                   "group (group:ID), or a person ('anna@region.dk', 'Anna Holm <anna@region.dk>').")
@pass_context
@core_errors
def invite_command(ctx: Context, slug: str, targets: tuple[str, ...]) -> None:
    """Invite people to a meeting: each new invitee gets one e-mail with the agenda, a personal answer link and a
    calendar invitation; someone invited before is not mailed again. The mails wait in the outbox: the running web
    server's sender sends them (or `netkit notifications send`).

    Example: netkit meetings invite 2027-02-04-adgang-til-data --to member --to 'Cecilie Dahl <cecilie@au.dk>'
    """
    invitations = _invitations(ctx)
    people, without, problems = invitations.resolve(targets)
    if problems:
        raise click.UsageError("; ".join(p.message for p in problems))
    done = invitations.invite(slug, people)
    click.echo(f"Invited {len(done.added)} new; {len(done.already)} invited before (not mailed again); "
               f"{done.mailed} mail(s) queued")
    if without:
        click.echo(f"note: no e-mail address, not invited: {', '.join(without)}", err=True)
    if done.unsent:
        click.echo("note: no mail server (NETKIT_SMTP_HOST): the invitations are recorded, not mailed; they are "
                   "mailed at the next invite once a server is set", err=True)


@meetings_group.command("signups")
@click.argument("slug")
@click.option("--csv", "as_csv", is_flag=True, help="Write the participant list as CSV (UTF-8 with BOM, ';').")
@pass_context
@core_errors
def signups_command(ctx: Context, slug: str, as_csv: bool) -> None:
    """Show who is invited to a meeting and what they answered (seats, waiting list, maybe, no).

    Example: netkit meetings signups 2027-02-04-adgang-til-data --csv > deltagere.csv
    """
    from toolkit.network.participants import local_time, ordered, to_csv
    from toolkit.network.signups import SignupStore
    from toolkit.people.notifystore import NotifyStore

    meeting = _records(ctx).get(slug)
    store = SignupStore(NotifyStore(ctx.settings.home))
    signups = store.of(slug)
    if as_csv:
        sys.stdout.buffer.write(to_csv(signups))
        sys.stdout.buffer.flush()
        return
    summary = store.summary(slug, meeting.capacity)
    click.echo(f"Tilmeldt: {summary.seats}" + (f" af {meeting.capacity}" if meeting.capacity else "")
               + f"  venteliste: {summary.waiting}  måske: {summary.maybe}  nej: {summary.no}  "
                 f"ikke svaret: {summary.unanswered}")
    for signup in ordered(signups):
        click.echo(f"  {signup.answer_da:11} {signup.place_da:10} {signup.name} <{signup.email}>"
                   + (f", {signup.organisation}" if signup.organisation else "")
                   + (f"  ({local_time(signup.answered)})" if signup.answered else ""))


@meetings_group.command("remind")
@click.option("--days", type=click.IntRange(0, 60), default=2, show_default=True,
              help="Remind this many days before the meeting (or fewer, when the reminder was not sent yet).")
@pass_context
@core_errors
def remind_command(ctx: Context, days: int) -> None:
    """Remind those who said yes (with a seat) or maybe, once per person and meeting: safe to run daily from cron.
    Exit code 1 without a mail server.

    Example: netkit meetings remind --days 2
    """
    invitations = _invitations(ctx)
    if invitations.outbox.server is None:
        raise click.ClickException("no mail server: set NETKIT_SMTP_HOST (and NETKIT_SMTP_PORT, …) first")
    count = invitations.remind(days)
    click.echo(f"{count} reminder(s) queued; the running web server's sender sends them (or `netkit notifications "
               "send`)")


from toolkit.cli import decisions  # noqa: E402, F401  (registers `netkit meetings actions`)
