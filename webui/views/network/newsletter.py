"""The newsletter "Nyt fra netværket" on the web (toolkit.network.newsletter*):

- `/nyhedsbrev/`: the issues sent, newest first, and — signed in — subscribing and unsubscribing;
- `/nyhedsbrev/<YYYY-MM>/`: one issue as it was sent (public; an unsent month is not found);
- `/nyhedsbrev/feed.atom`: the issues as an Atom feed of their own, linked from these pages' head;
- `/nyhedsbrev/forbered/?maaned=YYYY-MM`: a facilitator (plan_meetings: the network's own coordination, the
  same people who plan its meetings) previews the assembled issue, edits the intro, drops items, saves the
  draft or sends it (a confirmation box first);
- `/nyhedsbrev/afmeld/<token>`: the unsubscribe link of every mail: no sign-in, the token is signed; a GET shows
  one button (link checkers open links), a POST — the button or a mail client's one-click (RFC 8058) — does it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from toolkit.errors import Conflict, Forbidden, Invalid, InvalidSlug
from toolkit.network.meetings import today_here
from toolkit.network.newsletter import SECTION_DA, month_name, parse_month, previous_month
from toolkit.network.newsletterissue import (
    INTRO_MAX,
    AlreadySent,
    NothingToSend,
    current_issue,
    issue_records,
    save_draft,
    send_issue,
    sent_issues,
)
from toolkit.network.newsletterstore import NewsletterStore
from toolkit.people.accounts import User
from toolkit.publishing.feeds import TAG, FeedEntry, atom_feed
from webui import csrf
from webui.addresses import absolute, configured_root, public_root
from webui.context import accounts, has_history, instance
from webui.guards import needs, signed_in
from webui.identity import current_user
from webui.notifying import parts
from webui.views.network.meetingdata import author

bp = Blueprint("newsletter", __name__)
RECORDS_KEY = "netkit.newsletter-records"
FEED_TYPE = "application/atom+xml; charset=utf-8"


def _records():
    home = instance().library_dir
    cached = current_app.extensions.get(RECORDS_KEY)
    if cached is None or cached[0] != home:
        cached = (home, issue_records(home))
        current_app.extensions[RECORDS_KEY] = cached
    return cached[1]


def _store() -> NewsletterStore | None:
    found = parts()
    return NewsletterStore(found.store) if found is not None else None


def _month_or_404(month: str) -> str:
    try:
        return parse_month(month)
    except InvalidSlug:
        abort(404)


@bp.app_template_filter("month_name")
def month_name_filter(month: str) -> str:
    return month_name(month)


@bp.app_template_global("newsletter_available")
def newsletter_available() -> bool:
    """Whether this server keeps a newsletter: it needs the instance (a plain library folder has none)."""
    return has_history()


@bp.get("/nyhedsbrev/")
def index():
    user, store = current_user(), _store()
    subscribed = bool(user and store and store.subscribed(user.name))
    mail = store is not None and parts().outbox.server is not None
    return render_template("newsletter/index.html", issues=sent_issues(_records()), user=user, subscribed=subscribed,
                           changed=request.args.get("abonnement", ""), mail=mail)


@bp.post("/nyhedsbrev/abonnement")
@signed_in
def subscription(user: User):
    store = _store()
    if store is None:
        abort(404)
    if not csrf.valid():
        return redirect(url_for("newsletter.index", abonnement="gammel"))
    if request.form.get("action") == "stop":
        store.unsubscribe(user.name)
        return redirect(url_for("newsletter.index", abonnement="fra"))
    store.subscribe(user.name)
    return redirect(url_for("newsletter.index", abonnement="til"))


@bp.get("/nyhedsbrev/<month>/")
def issue(month: str):
    chosen = _month_or_404(month)
    found = next((i for i in sent_issues(_records()) if i.month == chosen), None)
    if found is None:
        abort(404)
    return render_template("newsletter/issue.html", issue=found, digest=found.digest())


@bp.get("/nyhedsbrev/feed.atom")
def feed() -> Response:
    root = public_root()
    entries = [FeedEntry(id=f"{TAG}nyhedsbrev/{i.month}", title=i.digest().title,
                         link=f"{root}nyhedsbrev/{i.month}/", updated=i.sent, published=i.sent,
                         summary=(i.intro or _summary(i))[:500], authors=("Netkit",))
               for i in sent_issues(_records())[:50] if i.sent is not None]
    body = atom_feed(entries, feed_id=f"{TAG}nyhedsbrev", title="Nyt fra netværket",
                     self_url=absolute("newsletter.feed"), alternate_url=absolute("newsletter.index"))
    response = Response(body, content_type=FEED_TYPE)
    response.headers["Cache-Control"] = f"{'public' if configured_root() else 'private'}, max-age=300"
    response.add_etag()
    return response.make_conditional(request)


def _summary(found) -> str:
    return "; ".join(f"{SECTION_DA[name]}: {len(items)}" for name, _heading, items in found.digest().sections())


# -- the facilitator's preview, edit and send -----------------------------------------------------------------------


@bp.route("/nyhedsbrev/forbered/", methods=["GET", "POST"])
@needs("plan_meetings")
def prepare(user: User):
    raw = request.values.get("maaned") or previous_month(today_here())
    try:
        month = parse_month(raw)
    except InvalidSlug:
        return _prepare_page(previous_month(today_here()), status=400, month_error=_(
            "Skriv måneden som ÅÅÅÅ-MM, fx 2026-11."), typed_month=raw[:20])
    if request.method == "GET":
        return _prepare_page(month, saved=request.args.get("gemt") == "1")
    form = {"intro": request.form.get("intro", ""), "keep": request.form.getlist("keep"),
            "base": request.form.get("base", ""), "confirm": request.form.get("confirm") == "ja"}
    if not csrf.valid():
        return _prepare_page(month, form, 400, notice=_("Formularen var for gammel (eller din session udløb). Det, "
                                                        "du skrev, er bevaret – send den igen."))
    _issue, digest, _base = current_issue(instance(), _records(), month)
    shown = set(request.form.getlist("shown"))  # an item new since the form was shown is kept, not dropped unseen
    dropped = [item.key for item in digest.items if item.key in shown and item.key not in form["keep"]]
    form["keep"] += [item.key for item in digest.items if item.key not in shown]
    sending = request.form.get("action") == "send"
    if sending and not form["confirm"]:
        return _prepare_page(month, form, 400, confirm_error=_("Sæt flueben for at bekræfte, at nyhedsbrevet skal "
                                                               "sendes til alle abonnenter."))
    notifications = parts()
    try:
        with instance().writing():  # the draft as typed, then the sending of just that: one state
            save_draft(instance(), _records(), month, form["intro"], dropped, author(user), base=form["base"])
            if not sending:
                return redirect(url_for("newsletter.prepare", maaned=month, gemt="1"))
            if notifications is None:
                raise Forbidden("no notification store")
            send_issue(instance(), _records(), accounts(), notifications.outbox, notifications.notifier.site, month,
                       author(user), sent_by=user.name)
    except Invalid as exc:
        message = _("Skriv højst %(max)s tegn.", max=INTRO_MAX) if "long" in str(exc) else _(
            "Indledningen indeholder et kontroltegn (et usynligt specialtegn, ofte fra kopiering). Fjern det.")
        return _prepare_page(month, form, 400, intro_error=message)
    except Conflict:
        form["base"] = _records().digest(month)  # the next save is against the file as it is now
        return _prepare_page(month, form, 409, notice=_("En anden har gemt nyhedsbrevet, mens du skrev. Din tekst er "
                                                        "bevaret herunder; se den igen, og gem."))
    except AlreadySent:
        return _prepare_page(month, form, 409, notice=_("Nyhedsbrevet for denne måned er allerede sendt. Det sendes "
                                                        "ikke igen."))
    except NothingToSend:
        return _prepare_page(month, form, 400, notice=_("Der er intet at sende: nyhedsbrevet har intet nyt fra måneden "
                                                        "(eller du har fjernet det hele)."))
    except Forbidden:
        return _prepare_page(month, form, 503, notice=_("Netkit kan ikke sende e-mails lige nu (der er ingen "
                                                        "mailserver sat op). Kladden er gemt."))
    return redirect(url_for("newsletter.issue", month=month))


def _prepare_page(month: str, form: dict | None = None, status: int = 200, **messages):
    found, digest, base = current_issue(instance(), _records(), month)
    if form is None:
        form = {"intro": digest.intro, "keep": [i.key for i in digest.kept], "base": base, "confirm": False}
    store = _store()
    return render_template("newsletter/prepare.html", month=month, issue=found, digest=digest, form=form,
                           news=any(item.news for item in digest.items),
                           subscribers=len(store.subscribers()) if store else 0, intro_max=INTRO_MAX,
                           mail=store is not None and parts().outbox.server is not None,
                           typed_month=messages.pop("typed_month", month), **messages), status


# -- unsubscribing by the mail's link -------------------------------------------------------------------------------


@bp.route("/nyhedsbrev/afmeld/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    store = _store()
    user = store.read_token(token[:1000]) if store is not None else None
    if user is None:
        return render_template("newsletter/unsubscribe.html", valid=False), 404
    done = request.method == "POST"
    if done:
        store.unsubscribe(user)
    return render_template("newsletter/unsubscribe.html", valid=True, done=done, token=token)
