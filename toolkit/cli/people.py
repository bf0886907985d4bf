"""`netkit person export|erase EMAIL`: a person's data for their rights of access and erasure (GDPR) — what the
current records and the instance's stores hold for an e-mail address, and removing the contact data from them.
The history is not rewritten: past revisions still hold what was erased (the output says so)."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import Context, author_option, core_errors, main, pass_context

if TYPE_CHECKING:  # the records' modules are imported by the commands (the CLI starts without them)
    from toolkit.network.persondata import PersonData
    from toolkit.network.projects.model import Contact

SECTIONS = (("accounts", "Accounts"), ("projects", "Projects"), ("meetings", "Meetings"), ("comments", "Comments"),
            ("signups", "Meeting invitations and answers"), ("minutes", "Action items in minutes"),
            ("interest", "Partner interest (Vis interesse, the last day)"),
            ("groups", "Working groups"),
            ("proposals", "Topic proposals"), ("materials", "Materials (as author)"),
            ("activity", "Activity log (sign-ins)"), ("newsletter", "Newsletter (subscription, issues sent)"),
            ("unread", "Records with problems (not read)"))
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_NAMED = re.compile(r"\s*([^<>]+?)\s*<([^<>\s]+)>\s*")


@main.group("person")
def person_group() -> None:
    """A person's data (GDPR): person export|erase EMAIL.

    Example: netkit person export anna.jensen@rm.dk
    """


def _address(email: str) -> str:
    if not _ADDRESS.fullmatch(email.strip()):
        raise click.BadParameter(f"'{email}' is not an e-mail address; give e.g. anna.jensen@rm.dk",
                                 param_hint="EMAIL")
    return email.strip()


@person_group.command("export")
@click.argument("email")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_context
@core_errors
def export_command(ctx: Context, email: str, as_json: bool) -> None:
    """List everything Netkit holds now for an e-mail address (case does not matter): accounts, project and
    meeting contacts, comments, memberships, the activity log and notification settings. Past revisions of the
    history are not searched.

    Example: netkit person export anna.jensen@rm.dk --json > anna.json
    """
    from toolkit.network.persondata import find_person

    found = find_person(ctx.instance, _address(email), activity_days=ctx.settings.activity_days)
    if as_json:
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo("\n".join(_text(found)))


def _text(found: PersonData) -> list[str]:
    lines = [f"What Netkit holds now for {found.email} (the current records; the history's past revisions are not "
             "searched). [erase] marks what `netkit person erase` removes."]
    if found.names:
        lines.append(f"Names given with this address: {', '.join(found.names)}")
    listed = {section for section, _title in SECTIONS}
    unlisted = sorted({place.section for place in found.places} - listed)  # a new kind of record is never hidden
    for section, title in (*SECTIONS, *((name, name.capitalize()) for name in unlisted)):
        places = found.section(section)
        if places:
            lines += ["", f"{title}:"] + [f"  {p.where}: {p.what}" + (" [erase]" if p.erasable else "")
                                          for p in places]
    notified = found.notified
    if notified:
        lines += ["", "Notifications [erase]:"]
        lines += [f"  {user} follows {type} {target} ({mode})" for user, type, target, mode in notified.watches]
        lines += [f"  {user}: personal mails {personal}" + (", every mail turned off" if muted else "")
                  for user, personal, muted in notified.prefs]
        lines.append(f"  {notified.inbox} notification(s) in the bell, {notified.mails_waiting} mail(s) waiting, "
                     f"{notified.mails_sent} sent mail(s) kept")
    if len(lines) <= 2 and not found.places:
        lines.append("Nothing found.")
    return lines


@person_group.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (needed without a terminal).")
@click.option("--replacement", metavar="'NAME <EMAIL>'",
              help="The contact to put in place of the person in a project where they are the only contact.")
@author_option
@pass_context
@core_errors
def erase_command(ctx: Context, email: str, yes: bool, replacement: str | None, author: str | None) -> None:
    """Remove a person's contact data from the current records (project contacts, meeting invitees, speakers and
    presenters: one revision per record), their activity-log lines and notification settings; then say what was
    not removed (the account: `netkit user remove`; the history is not rewritten).

    Example: netkit person erase anna.jensen@rm.dk --yes
    """
    from toolkit.network.persondata import erase_person, find_person

    email = _address(email)
    contact = _contact(replacement, email) if replacement else None
    if not yes:
        if not sys.stdin.isatty():
            raise click.UsageError("erasing asks for confirmation, and there is no terminal to ask at; "
                                   "add --yes to erase without asking")
        found = find_person(ctx.instance, email, activity_days=ctx.settings.activity_days)
        click.echo("\n".join(_text(found)))
        click.confirm(f"\nErase what is marked [erase] for {email}?", abort=True)
    erasure = erase_person(ctx.instance, email, ctx.author(author), activity_days=ctx.settings.activity_days,
                           replacement=contact, invitations=_invitations(ctx))
    click.echo(f"Erased for {email}:")
    click.echo("\n".join(f"  {line}" for line in erasure.done) if erasure.done else "  nothing (none was found)")
    click.echo("Not erased:")
    click.echo("\n".join(f"  {line}" for line in erasure.kept))


def _invitations(ctx: Context):
    """The instance's mail wiring, so whoever moves up to a seat the erased person held is told by mail."""
    from toolkit.network.invitations import invitations_for
    from toolkit.network.notifying import notifications_for
    from toolkit.people.accounts import Accounts

    accounts = Accounts(ctx.settings.home)
    return invitations_for(notifications_for(ctx.settings, ctx.instance, accounts), ctx.instance, accounts)


def _contact(text: str, erased: str) -> Contact:
    from toolkit.network.projects.model import Contact
    from toolkit.network.projects.validation import EMAIL_RE
    from toolkit.people.personal import same_address

    named = _NAMED.fullmatch(text)
    if named is None or not EMAIL_RE.match(named[2]) or same_address(named[2], erased):
        raise click.BadParameter(f"'{text}' is not another person's 'Name <email>', e.g. 'Bo Hansen <bo@rm.dk>'",
                                 param_hint="--replacement")
    return Contact(" ".join(named[1].split()), named[2])
