"""The core's words in the reader's language.

The core writes English: commit messages stay English in git (they are the record, read by git tools and the
CLI), and its errors are written for the CLI and the log. The web shows both to Danish readers, so
`core_message` recognises the shapes the core writes (toolkit/history/instance.py, committing.py, renaming.py,
toolkit/network/groups.py and the errors of workflow.py, accounts.py, records.py) and gives the text in the
reader's language through flask_babel. Anything else — the writer's own words — is shown as written.

A message is read paragraph by paragraph (a rename's second paragraph lists the materials whose links moved);
each paragraph must match a shape whole, so a writer's sentence that merely starts like one is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, g, has_request_context
from flask_babel import gettext as _
from flask_babel import ngettext

from toolkit.errors import NetkitError, Problem
from webui.names import group_name, person

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
USER = r"[a-z][a-z0-9._-]*"
VERSION = r"\d+\.\d+\.\d+"
STATUS = r"draft|review|approved|published|retired"

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _status(term: str) -> str:
    """A workflow status by its taxonomy label ("review" → "Til review"), else the id."""
    from webui.filters import label

    try:
        return label(term, "statuses")
    except (KeyError, NetkitError, RuntimeError):  # no library at hand: the id is still right
        return term


def _with_note(text: str, note: str | None) -> str:
    return _("%(change)s: %(note)s", change=text, note=note.strip()) if note and note.strip() else text


def _restored(slug: str, revision: str) -> str:
    """A restore names the revision by its time, as the history does (a hash means nothing to people)."""
    when = _revision_time(slug, revision)
    if when is None:
        return _("Gendannet til en tidligere udgave")
    return _("Gendannet til udgaven fra %(when)s", when=when)


def _revision_time(slug: str, revision: str) -> str | None:
    from webui.context import source
    from webui.filters import local_datetime

    cache: dict[str, list] = g.setdefault("netkit_histories", {}) if has_request_context() else {}
    try:
        if slug not in cache:
            cache[slug] = source().history(slug)
        revisions = cache[slug]
    except (AttributeError, KeyError, NetkitError, RuntimeError):  # a plain folder, or a material since renamed
        return None
    found = next((r for r in revisions if r.id.startswith(revision)), None)
    return local_datetime(found.time, seconds=True) if found else None


def _links_updated(slugs: str) -> str:
    count = len([s for s in slugs.split(",") if s.strip()])
    return ngettext("Links opdateret i %(num)s materiale", "Links opdateret i %(num)s materialer", count)


def _rule(pattern: str, render: Callable[[re.Match[str]], str]) -> Rule:
    return re.compile(pattern, re.DOTALL), render


# What the history says: commit messages and edition (tag) messages.
HISTORY: tuple[Rule, ...] = (
    _rule(r"Create the instance from (?P<folder>\S+)", lambda m: _("Oprettet, da Netkit blev sat op")),
    _rule(rf"Edition (?P<version>{VERSION}) from the bundled library",
          lambda m: _("Udgave %(version)s fra det medfølgende bibliotek", version=m["version"])),
    _rule(rf"Publish (?P<slug>{SLUG}) (?P<version>{VERSION}): (?P<note>.*)",
          lambda m: _with_note(_("Udgivet som udgave %(version)s", version=m["version"]), m["note"])),
    _rule(rf"(?P<slug>{SLUG}): (?P<old>{STATUS}) → (?P<new>{STATUS})(?:: (?P<note>.*))?",
          lambda m: _with_note(_("Status: %(old)s → %(new)s", old=_status(m["old"]), new=_status(m["new"])),
                               m["note"])),
    _rule(rf"Restore (?P<slug>{SLUG}) to revision (?P<id>[0-9a-f]{{7,40}})",
          lambda m: _restored(m["slug"], m["id"])),
    _rule(rf"Update (?P<slug>{SLUG})", lambda m: _("Ændret (uden besked)")),
    _rule(r"Redigeret i browseren|Edited in the browser", lambda m: _("Redigeret i browseren")),
    _rule(r"Nyt materiale|New material", lambda m: _("Nyt materiale")),
    _rule(r"External change: (?P<files>.+)", lambda m: _("Ændret uden for Netkit: %(files)s", files=m["files"])),
    _rule(r"Committed by Netkit: these files were changed outside the app\.",
          lambda m: _("Netkit gemte ændringerne i historikken, da de var lavet uden for Netkit.")),
    _rule(rf"Rename (?P<old>{SLUG}) → (?P<new>{SLUG})(?:: (?P<note>.*))?",
          lambda m: _with_note(_("Omdøbt fra %(old)s til %(new)s", old=m["old"], new=m["new"]), m["note"])),
    _rule(r"Links updated in: (?P<slugs>.+)", lambda m: _links_updated(m["slugs"])),
    # comment threads (toolkit/history/comments.py writes these in Danish; the thread id is for the record only)
    _rule(rf"(?P<slug>{SLUG}): ny kommentar \((?P<id>[^)]+)\)", lambda m: _("Ny kommentar")),
    _rule(rf"(?P<slug>{SLUG}): svar \((?P<id>[^)]+)\)", lambda m: _("Svar på en kommentar")),
    _rule(rf"(?P<slug>{SLUG}): kommentar løst \((?P<id>[^)]+)\)", lambda m: _("Kommentar markeret som løst")),
    _rule(rf"(?P<slug>{SLUG}): kommentar genåbnet \((?P<id>[^)]+)\)", lambda m: _("Kommentar åbnet igen")),
    _rule(rf"New working group (?P<group>{SLUG})",
          lambda m: _("Ny arbejdsgruppe: %(group)s", group=group_name(m["group"]))),
    _rule(rf"(?P<group>{SLUG}): (?P<user>{USER}) joins",
          lambda m: _("%(person)s er med i %(group)s", person=person(m["user"]), group=group_name(m["group"]))),
    _rule(rf"(?P<group>{SLUG}): (?P<user>{USER}) leaves",
          lambda m: _("%(person)s er ikke længere med i %(group)s", person=person(m["user"]),
                      group=group_name(m["group"]))),
    _rule(rf"(?P<group>{SLUG}): closed", lambda m: _("%(group)s er lukket", group=group_name(m["group"]))),
    _rule(rf"(?P<group>{SLUG}): active", lambda m: _("%(group)s er aktiv igen", group=group_name(m["group"]))),
)

# What the core's errors and problems say, where the web shows them.
ERRORS: tuple[Rule, ...] = (
    _rule(r"is required and missing or empty", lambda m: _("skal udfyldes.")),
    # the questions a material answers (toolkit/library/materials.py _questions): numbered as typed, one per line
    _rule(r"question (?P<n>\d+) is (?P<length>\d+) characters; write (?P<low>\d+)–(?P<high>\d+)",
          lambda m: _("Spørgsmål %(n)s er %(length)s tegn; skriv %(low)s–%(high)s tegn.", n=m["n"],
                      length=m["length"], low=m["low"], high=m["high"])),
    _rule(r"question (?P<n>\d+) repeats an earlier one; remove it",
          lambda m: _("Spørgsmål %(n)s står der allerede; fjern det.", n=m["n"])),
    _rule(r"question (?P<n>\d+) (?:must be text, not \w+|contains a control character; retype it)",
          lambda m: _("Spørgsmål %(n)s skal være en almindelig tekst; skriv det igen.", n=m["n"])),
    _rule(r"has (?P<count>\d+) questions; keep the (?P<max>\d+) readers ask most",
          lambda m: _("Der er %(count)s spørgsmål; behold de %(max)s, læserne oftest stiller.", count=m["count"],
                      max=m["max"])),
    _rule(r"the image media:(?P<name>\S+) has no alternative text; .*",
          lambda m: _("Billedet %(name)s mangler en alternativ tekst: skriv, hvad det viser, mellem de firkantede "
                      "parenteser: ![Diagram over …](media:%(name)s).", name=m["name"])),
    _rule(r"media:(?P<name>\S+): no such file in library/media/; .*",
          lambda m: _("Filen %(name)s findes ikke blandt materialets filer; tilføj den igen, eller fjern henvisningen.",
                      name=m["name"])),
    _rule(r"media:(?P<name>\S+) is not a media file name .*",
          lambda m: _("media:%(name)s er ikke et gyldigt filnavn; tilføj filen med knappen „Tilføj fil“, så får den "
                      "et.", name=m["name"])),
    _rule(r"media:(?P<name>\S+): another file of that name was added meanwhile; .*",
          lambda m: _("En anden har tilføjet en fil med navnet %(name)s imens; tilføj din igen (den får et nyt navn).",
                      name=m["name"])),
    _rule(r"at most (?P<max>\d+) files per material",
          lambda m: _("Et materiale kan højst have %(max)s filer.", max=m["max"])),
    _rule(rf"'(?P<slug>{SLUG})' is (?P<status>{STATUS}); it can move to: (?P<allowed>[a-z, ]+?)"
          r"(?P<publish>; use publish to publish it)?",
          lambda m: _("Materialet har status %(status)s og kan kun skifte til: %(allowed)s.",
                      status=_status(m["status"]),
                      allowed=", ".join(_status(s) for s in m["allowed"].split(", ") if s != "none") or "–")),
    _rule(r"only a retired material has a replacement|name a replacement only when retiring",
          lambda m: _("Kun et udgået materiale kan have en afløser.")),
    _rule(rf"'(?P<other>{SLUG})' is (?:this material itself|no material); choose another",
          lambda m: _("%(other)s kan ikke afløse materialet; vælg et andet.", other=m["other"])),
    _rule(rf"'(?P<slug>{SLUG})' already has version (?P<version>{VERSION})",
          lambda m: _("Materialet har allerede udgave %(version)s.", version=m["version"])),
    _rule(r"choose another bump", lambda m: _("Vælg en anden størrelse af ændringen.")),
    _rule(r"a publish needs a message|say what changed \(the changelog line\)",
          lambda m: _("Skriv en note om, hvad der er ændret: den bliver ændringsloggen for den nye udgave.")),
    _rule(rf"'(?P<slug>{SLUG})' has problems; fix them before publishing",
          lambda m: _("Materialet har fejl; ret dem, før det udgives.")),
    _rule(rf"'(?P<slug>{SLUG})' cannot be published yet", lambda m: _("Materialet kan ikke udgives endnu.")),
    _rule(r"the material was (?P<status>published|retired); your change is saved as a draft until it is "
          r"published again",
          lambda m: _("Materialet var %(status)s; din ændring er gemt som kladde, indtil det udgives igen.",
                      status=_status(m["status"]).lower())),
    _rule(r"the text changed after it was approved; it is back in review",
          lambda m: _("Teksten er ændret, efter den blev godkendt; den er tilbage til review.")),
    _rule(r"\[\[(?P<target>[^\]]+)\]\] links to no material yet",
          lambda m: _("[[%(target)s]] henviser til et materiale, der ikke findes endnu.", target=m["target"])),
    _rule(rf"no material '(?P<slug>{SLUG})'", lambda m: _("Der er intet materiale, der hedder %(slug)s.",
                                                          slug=m["slug"])),
    _rule(rf"no user '(?P<user>{USER})'; see `netkit user list`",
          lambda m: _("Der er ingen bruger, der hedder %(name)s.", name=m["user"])),
    _rule(rf"user '(?P<user>{USER})' exists", lambda m: _("Brugeren %(name)s findes allerede.", name=m["user"])),
    _rule(r"choose another name, or `netkit user passwd` to change the password",
          lambda m: _("Vælg et andet brugernavn.")),
    _rule(rf"no working group '(?P<group>{SLUG})'(?:; did you mean '(?P<near>{SLUG})'\?)?",
          lambda m: _unknown_group(m["group"], m["near"])),
    _rule(rf"no (?P<noun>meeting|project|topic proposal) '(?P<slug>[^']*)'(?:; did you mean '(?P<near>{SLUG})'\?)?",
          lambda m: _not_found(m["noun"], m["slug"], m["near"])),
    # topic proposals (toolkit/network/proposals.py): what a facilitator's action ran into
    _rule(r"a proposal cannot be merged into itself|choose another proposal to merge it into",
          lambda m: _("Et forslag kan ikke slås sammen med sig selv; vælg et andet forslag.")),
    _rule(rf"'(?P<slug>{SLUG})' is (?P<status>[a-z]+); only a new proposal can be merged into another",
          lambda m: _("Kun et nyt forslag kan slås sammen med et andet; dette er %(status)s.",
                      status=_proposal_status(m["status"]))),
    _rule(rf"'(?P<slug>{SLUG})' is declined; merge into a proposal that is new or planned",
          lambda m: _("Forslaget er afvist; vælg et forslag, der er nyt eller planlagt.")),
    _rule(rf"'(?P<slug>{SLUG})' is already planned into the meeting '(?P<meeting>{SLUG})'",
          lambda m: _("Forslaget er allerede planlagt til mødet %(meeting)s.", meeting=m["meeting"])),
    _rule(rf"'(?P<slug>{SLUG})' was merged into '(?P<other>{SLUG})'; plan that proposal instead",
          lambda m: _("Forslaget er slået sammen med %(other)s; planlæg det forslag i stedet.", other=m["other"])),
    _rule(rf"the meeting '(?P<meeting>{SLUG})' is [a-z]+; plan proposals into a planned or invited meeting",
          lambda m: _("Mødet %(meeting)s er afholdt eller aflyst; planlæg forslag til et planlagt eller inviteret "
                      "møde.", meeting=m["meeting"])),
    _rule(rf"'(?P<slug>{SLUG})' is (?P<status>[a-z]+); only a new proposal can be declined",
          lambda m: _("Kun et nyt forslag kan afvises; dette er %(status)s.", status=_proposal_status(m["status"]))),
    _rule(rf"there is no working group '(?P<group>{SLUG})'; did you mean (?P<near>'{SLUG}'(?: or '{SLUG}')*)\?",
          lambda m: _unknown_group(m["group"], " / ".join(n.strip("'") for n in m["near"].split(" or ")))),
    _rule(rf"there is no working group '(?P<group>{SLUG})'; the groups are: .*",
          lambda m: _unknown_group(m["group"], None)),
    _rule(r"'(?P<group>[^']*)' is not a working-group id \(lowercase, digits, hyphens\)",
          lambda m: _("%(group)s er ikke et gruppe-id: brug små bogstaver, tal og bindestreger.", group=m["group"])),
    _rule(r"write the group's name \(3–120 characters\)", lambda m: _("Skriv gruppens navn (3–120 tegn).")),
    _rule(r"another group has this name: library/groups/(?P<group>[^/]+)\.yaml",
          lambda m: _("En anden gruppe har allerede dette navn (%(group)s).", group=m["group"])),
    _rule(r"2–40 characters: lowercase letters, digits, '\.', '_' or '-', starting with a letter",
          lambda m: _("Brugernavnet skal være 2–40 tegn: små bogstaver, tal, '.', '_' eller '-', og begynde med "
                      "et bogstav.")),
    _rule(r"'(?P<email>[^']*)' is not an e-mail address",
          lambda m: _("%(email)s er ikke en e-mailadresse.", email=m["email"])),
    _rule(r"a full name is one line of at most (?P<max>\d+) characters",
          lambda m: _("Det fulde navn skal være én linje på højst %(max)s tegn.", max=m["max"])),
    _rule(r"'(?P<role>[^']*)' is not a role; roles: .*",
          lambda m: _("%(role)s er ikke en rolle: vælg medlem, facilitator eller administrator.", role=m["role"])),
    _rule(r"an admin cannot remove their own account here",
          lambda m: _("Du kan ikke fjerne din egen konto her; bed en anden administrator om det.")),
    _rule(r"the last admin cannot be removed|make another user admin first",
          lambda m: _("Den sidste administrator kan ikke fjernes; gør en anden bruger til administrator først.")),
    _rule(r"use at least (?P<min>\d+) characters",
          lambda m: _("Adgangskoden skal være mindst %(min)s tegn.", min=m["min"])),
    _rule(r"(?P<path>\S+) was changed by someone else since you opened it",
          lambda m: _("Nogen har ændret det, siden du åbnede det. Se det igen, og prøv igen.")),
    _rule(r"(?P<path>\S+) already exists; choose another name",
          lambda m: _("Dette id er allerede i brug; vælg et andet.")),
    _rule(r"(?P<path>\S+) was not saved: fix these problems and save again",
          lambda m: _("Der blev ikke gemt: ret fejlene, og gem igen.")),
    _rule(r"'(?P<slug>[^']*)' is not a valid slug: .*",
          lambda m: _("%(slug)s er ikke et gyldigt id: brug små bogstaver a–z, tal og enkelte bindestreger.",
                      slug=m["slug"][:40])),
)


def _not_found(noun: str, slug: str, near: str | None) -> str:
    things = {"meeting": _("Der er intet møde, der hedder %(slug)s.", slug=slug),
              "project": _("Der er intet projekt, der hedder %(slug)s.", slug=slug),
              "topic proposal": _("Der er intet emneforslag, der hedder %(slug)s.", slug=slug)}
    text = things[noun]
    if not near:
        return text
    return "{} {}".format(text, _("Mente du %(near)s?", near=near))


def _proposal_status(status: str) -> str:
    """A topic proposal's status, as a word in a sentence ("afvist")."""
    words = {"new": _("ny"), "merged": _("slået sammen"), "planned": _("planlagt"), "declined": _("afvist")}
    return words.get(status, status)


def _unknown_group(group: str, near: str | None) -> str:
    if near:
        return _("Der er ingen arbejdsgruppe, der hedder %(group)s. Mente du %(near)s?", group=group, near=near)
    return _("Der er ingen arbejdsgruppe, der hedder %(group)s. Opret den under Arbejdsgrupper først.", group=group)


def _translate(text: str, rules: tuple[Rule, ...]) -> str:
    stripped = text.strip()
    for pattern, render in rules:
        match = pattern.fullmatch(stripped)
        if match is not None:
            return render(match)
    return text


def core_message(message: str | None) -> str:
    """A commit or edition message in the reader's language, paragraph by paragraph; unknown text as written."""
    if not message:
        return ""
    return "\n\n".join(_translate(part, HISTORY) for part in message.strip().split("\n\n"))


def core_error(error: NetkitError | Problem | str) -> str:
    """A core error or problem, as the web shows it to users, in the reader's language (unknown: as written)."""
    if isinstance(error, Problem):
        text = error.message
    elif isinstance(error, NetkitError):
        text = str(error.args[0]) if error.args else str(error)
    else:
        text = error
    if not text:
        return ""
    whole = _translate(text, ERRORS)
    if whole != text or "; " not in text:
        return whole
    return "; ".join(_translate(part, ERRORS) for part in text.split("; "))  # problems joined by the core


def core_problems(error: NetkitError, limit: int | None = None) -> str:
    """Every problem of an error (or the error itself when it carries none), translated, joined by "; "."""
    problems = list(getattr(error, "problems", []) or [])[:limit]
    return "; ".join(core_error(p) for p in problems) or core_error(error)


def init_app(app: Flask) -> None:
    app.add_template_filter(core_message, "core_message")
    app.add_template_filter(core_error, "core_error")
