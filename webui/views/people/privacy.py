"""What the law asks every page to offer: the accessibility statement (`/was`, the WAS tool's convention: a
redirect to NETKIT_ACCESSIBILITY_STATEMENT_URL) and the privacy notice (`/privatliv`: NETKIT_PRIVACY_URL when
the network has its own, else Netkit's Danish page on what it stores, why, for how long and the reader's rights).
The footer of base.html links to both."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template
from werkzeug.wrappers import Response

from toolkit.config import Settings
from toolkit.people.signins import DRAFT_SECONDS, FAILURE_MEMORY, SESSION_SECONDS

bp = Blueprint("privacy", __name__)

SENT_MAIL_DAYS = 90  # toolkit.people.notifystore.NotifyStore.prune's default, which the sender uses


def _settings() -> Settings:
    return current_app.config["NETKIT_SETTINGS"]


@bp.get("/was")
def accessibility_statement() -> Response | tuple[str, int]:
    url = _settings().accessibility_statement_url
    if url:
        return redirect(url, 302)
    return render_template("privacy/no_statement.html"), 404


@bp.get("/privatliv")
def privacy() -> Response | str:
    settings = _settings()
    if settings.privacy_url:
        return redirect(settings.privacy_url, 302)
    return render_template("privacy/privacy.html", days=settings.activity_days,
                           session_hours=SESSION_SECONDS // 3600, failure_hours=int(FAILURE_MEMORY // 3600),
                           draft_hours=DRAFT_SECONDS // 3600, sent_mail_days=SENT_MAIL_DAYS,
                           provider=settings.oidc_provider_name if settings.oidc_issuer else "",
                           mail=bool(settings.smtp_host))
