"""Saying why not: a refused action names what it takes and who can grant it (a 403 page that only said
"Forespørgslen kunne ikke gennemføres" left people stuck), and the sign-in page says why a page needs it."""

from __future__ import annotations

from typing import NoReturn

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.exceptions import Forbidden

from toolkit.library.materials import Material
from toolkit.people.permissions import MEMBER_ACTIONS
from webui.context import accounts
from webui.names import group_name

# The pages a visitor must sign in for, by the start of their path: why, in one sentence.
SIGN_IN_REASONS = (
    ("/emner", _l("Emneforslag er for netværkets medlemmer. Log ind for at se og stille forslag.")),
    ("/grupper", _l("Arbejdsgrupperne er for netværkets medlemmer. Log ind for at se grupper, medlemmer og mandater.")),
    ("/gennemgang", _l("Listen over materialer, der skal gennemgås, er for facilitatorer. Log ind som facilitator.")),
    ("/aktivitet", _l("Aktivitetsloggen er for facilitatorer. Log ind som facilitator.")),
    ("/admin", _l("Brugere og roller administreres af en administrator. Log ind som administrator.")),
    ("/ny", _l("Log ind for at skrive et nyt materiale.")),
    ("/projekter/ny", _l("Log ind for at tilføje et projekt.")),
    ("/mit-arbejde", _l("Log ind for at se dine kladder og det, der venter på dig.")),
)


class Refused(Forbidden):
    """403 with the reason in Danish (the error page shows it; `detail_html`, when set, is the same reason with
    links, for the page — the API keeps the plain `description`)."""

    detail_html: Markup | None = None


def refuse(permission: str, material: Material | None = None) -> NoReturn:
    refused = Refused(description=why_not(permission, material))
    refused.detail_html = why_not_html(permission, material)
    raise refused


def why_not_html(permission: str, material: Material | None = None) -> Markup | None:
    """The reason with "Arbejdsgrupper" as a link to the groups page, where the reason points there."""
    text = why_not(permission, material)
    place = _("Arbejdsgrupper")
    if permission != "edit" or material is None or not material.working_group or place not in text:
        return None
    before, _sep, after = text.rpartition(place)  # the last: the sentence that points there
    link = Markup('<a href="{}">{}</a>').format(url_for("groups.groups"), place)
    return escape(before) + link + escape(after)


def why_not(permission: str, material: Material | None = None) -> str:
    """What the action takes, and who can grant it."""
    if permission == "edit" and material is not None:
        if material.working_group:
            return _("Du kan redigere materialer fra dine egne arbejdsgrupper; dette materiale hører til "
                     "%(group)s. En facilitator kan tage dig med i gruppen under Arbejdsgrupper.",
                     group=group_name(material.working_group))
        return _("Materialet hører ikke til en arbejdsgruppe, så kun facilitatorer kan redigere det.")
    if permission == "resolve":
        return _("En kommentartråd markeres som løst (eller åbnes igen) af den, der startede den, af materialets "
                 "arbejdsgruppe og af facilitatorer. Du kan stadig svare i tråden.")
    if permission == "edit_project":
        return _("Du kan redigere projekter, du selv har oprettet, og projekter, hvor din e-mailadresse står som "
                 "kontakt. En facilitator kan redigere alle projekter.")
    if permission == "manage_users":
        needed = _("Det kræver rollen administrator.")
    elif permission in MEMBER_ACTIONS:
        needed = _("Det kræver, at du er logget ind som medlem af netværket.")
    else:
        needed = _("Det kræver rollen facilitator (eller administrator).")
    admins = [u.display_name for u in accounts().users() if u.role == "admin"]
    grant = _("Roller gives af en administrator: %(names)s.", names=", ".join(admins)) if admins else ""
    return f"{needed} {grant}".strip()


def sign_in_reason(target: str | None) -> str | None:
    """Why the page the visitor came from needs signing in (None: they came to sign in themselves)."""
    if target and request.script_root and target.startswith(request.script_root + "/"):
        target = target[len(request.script_root):]  # the page's own path, without the proxy's prefix
    if not target or target == "/":
        return None
    for prefix, reason in SIGN_IN_REASONS:
        if target == prefix or target.startswith((prefix + "/", prefix + "?")):
            return str(reason)
    if target.startswith("/m/") and ("/rediger" in target or "/status" in target or "/historik" in target
                                      or "/forskel" in target or "/gendan/" in target):
        return _("Log ind for at redigere materialet og se dets historik.")
    return _("Siden kræver, at du er logget ind.")
