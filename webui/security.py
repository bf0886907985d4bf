"""Security headers on every response (a strict Content-Security-Policy and friends), and a cap on the
number of fields a posted form may have: no page has more than a few hundred, and every view's work grows
with them."""

from __future__ import annotations

from flask import Flask, Response, abort, request

MAX_FORM_FIELDS = 4000

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def init_app(app: Flask) -> None:
    # Multipart forms are capped by Flask's own MAX_FORM_PARTS (1,000); url-encoded ones here.
    @app.before_request
    def refuse_oversized_forms() -> None:
        if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded" \
                and sum(len(values) for values in request.form.listvalues()) > MAX_FORM_FIELDS:
            abort(413)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
