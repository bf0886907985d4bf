"""Notifications in the web: `/notifikationer` (the list behind the bell), the mail settings and watches
(`/notifikationer/indstillinger`), the watch buttons (`POST /foelg`) and the one-click unsubscribe page of every
mail (`/notifikationer/afmeld/<token>`: a signed link, no sign-in; mail clients POST to it, RFC 8058)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.errors import Invalid
from toolkit.network.groups import group_ids
from toolkit.people.accounts import User
from toolkit.people.notifications import Notifications
from toolkit.people.watches import MODES, PERSONAL_MODES, TYPES, Unsubscribe
from webui import csrf
from webui.context import group_records, library
from webui.filters import label
from webui.guards import signed_in
from webui.identity import safe_target
from webui.notifying import parts

bp = Blueprint("notifications", __name__)

# What happened, as the web says it (the mails are Danish: toolkit.people.mail).
SENTENCES = {
    "review": _l("%(actor)s har bedt om review af »%(title)s«."),
    "returned": _l("%(actor)s har sendt »%(title)s« tilbage til kladde."),
    "approved": _l("%(actor)s har godkendt »%(title)s«."),
    "published": _l("%(actor)s har udgivet »%(title)s« som udgave %(version)s."),
    "comment": _l("%(actor)s har skrevet en kommentar til »%(title)s«."),
    "reply": _l("%(actor)s har svaret i en kommentartråd til »%(title)s«."),
    "renamed": _l("%(actor)s har flyttet »%(title)s« til en ny adresse."),
    "due": _l("»%(title)s« skal have en faglig gennemgang (%(month)s)."),
    "retired": _l("%(actor)s har markeret »%(title)s« som udgået."),
    "status": _l("%(actor)s har ændret status for »%(title)s«."),
}
TYPE_LABELS = {"material": _l("Materiale"), "topic": _l("Emne"), "kind": _l("Type"), "group": _l("Arbejdsgruppe")}
STOPPED = {"material": _l("e-mails om materialet »%(name)s«"), "topic": _l("e-mails om emnet »%(name)s«"),
           "kind": _l("e-mails om typen »%(name)s«"), "group": _l("e-mails om arbejdsgruppen »%(name)s«")}
MODE_LABELS = {"immediate": _l("Straks"), "digest": _l("Daglig oversigt"), "none": _l("Ingen e-mails")}


def _parts() -> Notifications:
    found = parts()
    if found is None:  # a plain folder without history: no events, so no notifications
        abort(404)
    return found


def sentence(item) -> str:
    values = {"version": "", "month": ""} | dict(item.values)
    return str(SENTENCES.get(item.what, SENTENCES["status"])) % {
        "actor": item.actor or "Netkit", "title": item.title, "version": values["version"], "month": values["month"]}


@bp.get("/notifikationer")
@signed_in
def inbox(user: User):
    found = _parts()
    before = request.args.get("foer", type=int)
    items = found.inbox.items(user.name, before=before)
    return render_template("notifications/inbox.html", items=items, sentence=sentence,
                           unread=found.inbox.unread(user.name), more=len(items) == 50 and items[-1].id,
                           mail=found.outbox.server is not None and bool(user.email))


@bp.get("/notifikationer/<int:item>/")
@signed_in
def open_item(user: User, item: int):
    """Follow a notification: it is read now. Someone else's id leads nowhere."""
    found = _parts()
    chosen = next((i for i in found.inbox.items(user.name, before=item + 1, limit=1) if i.id == item), None)
    if chosen is None:
        abort(404)
    found.inbox.mark_read(user.name, [item])
    path, _hash, anchor = chosen.notice.path().partition("#")
    if path.endswith("/kommentarer"):  # a comment: its thread
        return redirect(url_for("comments.review", slug=chosen.slug, _anchor=anchor or None))
    return redirect(url_for("workflow.status", slug=chosen.slug) if path.endswith("/status")
                    else url_for("reader.material", slug=chosen.slug))


@bp.post("/notifikationer/laest")
@signed_in
def mark_all_read(user: User):
    if not csrf.valid():
        return _settings_page(user, _("Formularen var for gammel. Prøv igen."), 400)
    _parts().inbox.mark_read(user.name)
    return redirect(url_for("notifications.inbox"))


@bp.route("/notifikationer/indstillinger", methods=["GET", "POST"])
@signed_in
def settings(user: User):
    if request.method == "GET":
        return _settings_page(user)
    if not csrf.valid():
        return _settings_page(user, _("Formularen var for gammel. Prøv igen."), 400)
    personal = request.form.get("personal", "")
    if personal not in PERSONAL_MODES:
        return _settings_page(user, _("Vælg, hvordan du vil have dine egne notifikationer."), 400, field="personal")
    watches = _parts().watches
    watches.set_prefs(user.name, personal=personal, muted=request.form.get("muted") == "ja")
    for watch in watches.of(user.name):  # each watch's mode, as chosen in the table
        mode = request.form.get(f"mode-{watch.type}-{watch.target}")
        if mode in MODES and mode != watch.mode:
            watches.watch(user.name, watch.type, watch.target, mode)
    return redirect(url_for("notifications.settings", gemt=1))


@bp.post("/foelg")
@signed_in
def follow(user: User):
    """Start or stop following a material, a topic, a kind or a working group (the buttons on their pages)."""
    back = safe_target(request.form.get("next"))
    if not csrf.valid():
        return _settings_page(user, _("Formularen var for gammel. Prøv igen."), 400)
    type, target, mode = (request.form.get(k, "") for k in ("type", "target", "mode"))
    watches = _parts().watches
    if request.form.get("action") == "stop":
        watches.unwatch(user.name, type, target)
        return redirect(back)
    if type not in TYPES or target not in _targets(type):
        return _settings_page(user, _("Det, du ville følge, findes ikke (længere)."), 400, field="target")
    try:
        watches.watch(user.name, type, target, mode if mode in MODES else "immediate")
    except Invalid:
        return _settings_page(user, _("Du følger allerede så mange ting, at du må stoppe med at følge nogle "
                                      "først."), 400, field="target")
    return redirect(back)


@bp.route("/notifikationer/afmeld/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """The link of every mail: no sign-in; the signed token says whom and what. A GET shows what it stops and one
    button (link checkers in mail systems open links); a POST — the button or a mail client's one-click — does it."""
    found = _parts()
    stop = found.watches.read_token(token[:1000])
    if stop is None:
        return render_template("notifications/unsubscribe.html", stop=None, what=""), 404
    done = request.method == "POST"
    if done:
        found.watches.unsubscribe(stop)
    return render_template("notifications/unsubscribe.html", stop=stop, what=_stopped(stop), done=done,
                           token=token)


def _stopped(stop: Unsubscribe) -> str:
    if stop.scope == "all":
        return _("alle e-mails fra Netkit")
    if stop.scope == "personal":
        return _("e-mails om dine egne materialer og reviews")
    return str(STOPPED.get(stop.type, STOPPED["material"])) % {"name": _target_label(stop.type, stop.target)}


def _targets(type: str) -> dict[str, str]:
    """What one can follow of a type: id → the label people know it by."""
    lib = library()
    if type == "material":
        return {m.slug: m.title for m in lib.materials()}
    if type in ("topic", "kind"):
        vocabulary = "topics" if type == "topic" else "kinds"
        return {term: label(term, vocabulary) for term in lib.taxonomy.ids(vocabulary)}
    if type == "group":
        records = group_records()
        names = {g.slug: g.name for g in records.all()} if records is not None else {}
        return {g: names.get(g, g) for g in sorted(group_ids(lib, records))}
    return {}


def _target_label(type: str, target: str) -> str:
    return _targets(type).get(target, target)


def _settings_page(user: User, message: str | None = None, status: int = 200, field: str = ""):
    found = _parts()
    watches = [(w, TYPE_LABELS[w.type], _target_label(w.type, w.target)) for w in found.watches.of(user.name)]
    choices = {type: sorted(_targets(type).items(), key=lambda kv: kv[1].casefold())
               for type in ("topic", "kind", "group")}
    return render_template("notifications/settings.html", prefs=found.watches.prefs(user.name), watches=watches,
                           choices=choices, type_labels=TYPE_LABELS, mode_labels=MODE_LABELS, modes=MODES,
                           personal_modes=PERSONAL_MODES, message=message, field=field,
                           mail=found.outbox.server is not None, email=user.email), status
