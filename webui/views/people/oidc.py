"""Signing in with the region's OpenID Connect provider (toolkit/people/oidc.py does the protocol).

`/log-ind/oidc` starts a sign-in: state, nonce and PKCE verifier (and where to go afterwards) are kept in the
session — one pending sign-in at a time, taken out (consumed) when the provider sends the browser back to
`/log-ind/oidc/retur`. There the answer and the ID token are checked, the provider's groups are mapped through the
instance's oidc-groups.yaml (at every sign-in), the account is made or updated, and a session starts exactly as
after a local sign-in (webui/views/people/auth.py). A person none of whose groups is mapped gets a "no access"
page and no account.

Refused answers are logged (and in the activity log) but not throttled: nothing can be guessed through them (the
password is checked at the provider; a state is bound to the session that began the sign-in), while a count per
address would lock out everyone behind a region's shared outgoing address after a few stale tabs.

The token's e-mail becomes the account's only when the provider says it is verified (`email_verified`), or when
NETKIT_OIDC_TRUST_EMAIL says the provider's directory owns its addresses: an address is a right here (a project
listing it as a contact may be edited by its holder). A new account never takes a user name that a working group's
record or a project's `created_by` already names (someone removed, or not signed in yet): those names carry rights.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from toolkit.config import Settings
from toolkit.errors import Invalid
from toolkit.network.groups import group_ids, names_with_rights
from toolkit.people.oidc import OidcClient, Pending, ProviderUnavailable, TokenRefused, trusted_email
from toolkit.people.oidcgroups import MAPPING_FILE, GroupMapping, claim_values
from webui.addresses import absolute
from webui.audit import record
from webui.context import accounts, group_records, library, projects, signins
from webui.identity import safe_target
from webui.views.people.sessions import local_login, start_session

bp = Blueprint("oidc", __name__)
CLIENT_KEY, MAPPING_KEY = "netkit.oidc", "netkit.oidcgroups"
PENDING = "oidc_pending"  # the session key of a sign-in under way
REFUSED = "(oidc)"  # who a refused provider answer is logged as (no user name is known then)


def init_app(app: Flask, settings: Settings) -> None:
    """The provider client (when an issuer is configured) and the group mapping; the sign-in page's switches."""
    if settings.oidc_issuer:
        app.extensions[CLIENT_KEY] = OidcClient(settings.oidc_issuer, settings.oidc_client_id,
                                                settings.oidc_client_secret)
        app.extensions[MAPPING_KEY] = GroupMapping(settings.home)
    app.jinja_env.globals["oidc_provider_name"] = settings.oidc_provider_name if settings.oidc_issuer else ""
    app.jinja_env.globals["local_login"] = local_login(settings)
    if settings.oidc_issuer:
        app.after_request(_forms_may_go_to_the_provider)


def _forms_may_go_to_the_provider(response: Response) -> Response:
    """Let the sign-in button and the sign-out form lead on to the provider: browsers hold a form's redirects to
    the policy's form-action (webui/security.py allows only this site; it runs before this hook)."""
    policy = response.headers.get("Content-Security-Policy", "")
    client: OidcClient = current_app.extensions[CLIENT_KEY]
    origins = " ".join(sorted(client.origins()))
    if "form-action 'self'" in policy and origins:
        response.headers["Content-Security-Policy"] = policy.replace("form-action 'self'",
                                                                     f"form-action 'self' {origins}")
    return response


def provider_logout_url(id_token: str) -> str | None:
    """Where to end the session at the provider after Netkit's own ended (None: nowhere)."""
    client: OidcClient | None = current_app.extensions.get(CLIENT_KEY)
    return client.logout_url(id_token, absolute("reader.home")) if client else None


@bp.get("/log-ind/oidc")
def start() -> Response | tuple[str, int]:
    client = _client()
    try:
        url, pending = client.start(absolute("oidc.callback"))  # NETKIT_BASE_URL, else the proxy's host and path
    except ProviderUnavailable as exc:
        current_app.logger.error("OpenID sign-in cannot start: %s", exc)
        return _unavailable()
    session[PENDING] = {**pending.to_dict(), "next": safe_target(request.args.get("next"))}
    return redirect(url)


@bp.get("/log-ind/oidc/retur")
def callback() -> Response | tuple[str, int]:
    client = _client()
    address = request.remote_addr or ""
    kept = session.pop(PENDING, None)  # consumed: the same answer cannot be used twice
    if not isinstance(kept, dict):
        return _refused("no pending sign-in in this session (replayed, or the session is new)", address)
    try:
        signed = client.finish(Pending.from_dict(kept), request.args)
    except TokenRefused as exc:
        return _refused(str(exc), address)
    except ProviderUnavailable as exc:
        current_app.logger.error("OpenID sign-in cannot finish: %s", exc)
        return _unavailable()
    claims = signed.claims
    settings: Settings = current_app.config["NETKIT_SETTINGS"]
    mapping: GroupMapping = current_app.extensions[MAPPING_KEY]
    try:
        access = mapping.access(claims.get(settings.oidc_groups_claim), group_ids(library(), group_records()))
    except Invalid as exc:
        current_app.logger.error("OpenID sign-in refused, %s is wrong: %s", MAPPING_FILE, exc)
        return _again(_("Log-ind via %(provider)s er ikke sat rigtigt op her. Kontakt en administrator af Netkit.",
                        provider=settings.oidc_provider_name), 503)
    subject = f"{client.issuer} {claims['sub']}"
    if access is None:
        current_app.logger.warning("OpenID sign-in of %r: no mapped group in %r", claims["sub"],
                                   settings.oidc_groups_claim)
        record("sign_in_failed", str(claims.get("preferred_username") or claims["sub"])[:80], address)
        known = accounts().by_subject(subject)
        if known is not None:  # every group taken away at the provider: no session of theirs goes on either
            signins().end_sessions_of(known.name)
        admins = [user for user in accounts().users() if user.role == "admin"]
        groups = [str(value)[:100] for value in claim_values(claims.get(settings.oidc_groups_claim))][:20]
        return render_template("auth/no_access.html", provider=settings.oidc_provider_name, admins=admins,
                               groups=groups, claim=settings.oidc_groups_claim), 403
    preferred = str(claims.get("preferred_username") or claims.get("email") or claims["sub"])
    email = trusted_email(claims, trust_provider=settings.oidc_trust_email)
    user = accounts().sign_in_external(subject, preferred=preferred, email=email,
                                       full_name=str(claims.get("name") or ""), role=access.role,
                                       groups=access.groups,
                                       reserved=names_with_rights(group_records(), projects().all()))
    if email and user.email != email.strip().lower():
        current_app.logger.warning("OpenID sign-in of %s: the e-mail from the provider is held by another account; "
                                   "not taken", user.name)
    start_session(user.name, address)
    signins().keep_id_token(session["sid"], signed.id_token)  # for the sign-out at the provider (id_token_hint)
    return redirect(safe_target(kept.get("next")))


def _client() -> OidcClient:
    client = current_app.extensions.get(CLIENT_KEY)
    if client is None:
        abort(404)  # no provider configured
    return client


def _refused(reason: str, address: str) -> tuple[str, int]:
    current_app.logger.warning("OpenID sign-in refused from %s: %s", address, reason)
    record("sign_in_failed", REFUSED, address)
    return _again(_("Log-ind blev afvist eller er udløbet. Prøv igen."), 400)


def _unavailable() -> tuple[str, int]:
    settings: Settings = current_app.config["NETKIT_SETTINGS"]
    return _again(_("%(provider)s svarer ikke lige nu. Prøv igen om lidt.", provider=settings.oidc_provider_name),
                  503)


def _again(message: str, status: int) -> tuple[str, int]:
    return render_template("auth/login.html", name="", target=url_for("reader.home"), message=message), status
