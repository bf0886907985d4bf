"""Danish by default, English by choice (remembered in a cookie): Flask-Babel with catalogues in
webui/translations. The UI's source texts are Danish; `make translations` extracts them and updates the
catalogues; tests check that both languages are complete and the compiled catalogues are current."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, redirect, request
from flask_babel import Babel, get_locale
from werkzeug.wrappers import Response

LANGUAGES = ("da", "en")
COOKIE = "netkit_lang"
TRANSLATIONS = Path(__file__).parent / "translations"

bp = Blueprint("language", __name__)


def current_lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "da"


def _select_locale() -> str:
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else "da"


@bp.get("/sprog/<lang>")
def choose(lang: str) -> Response:
    """Switch language and go back where the reader was (only to a path on this site)."""
    from webui.identity import safe_target  # (at call time: identity reads the app's accounts)

    target = safe_target(request.args.get("next", "/"))
    response = redirect(target.rstrip("?") or "/")
    if lang in LANGUAGES:
        # Like the session cookie (webui/proxy.py): under the site's prefix, Secure on https.
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            path=request.script_root + "/",
                            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure)
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "da")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=_select_locale)
    app.jinja_env.globals["current_lang"] = current_lang
    app.register_blueprint(bp)
