"""Run the web UI: gunicorn with several workers in production, Flask's reloader with --dev."""

from __future__ import annotations

from typing import Any

from toolkit.config import Settings

# A request that takes longer than this kills its worker; everything a request does (a PDF by LibreOffice:
# toolkit.documents.pdf.SINGLE_TIMEOUT_SECONDS) stops well before.
WORKER_TIMEOUT_SECONDS = 60


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for `netkit serve`."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # One log line per request, the app's own (webui/requestlog.py: JSON, the real client's address).
        "accesslog": None,
        # Forwarded headers are believed by ProxyFix alone, as NETKIT_PROXY_HOPS says (webui/proxy.py);
        # gunicorn would otherwise take X-Forwarded-Proto from any local client.
        "forwarded_allow_ips": "",
        "timeout": WORKER_TIMEOUT_SECONDS,
    }


def serve(settings: Settings, *, dev: bool = False) -> None:
    from toolkit.people.accounts import Accounts
    from webui import create_app, readiness

    password = Accounts(settings.home).ensure_admin()
    if password:  # the very first start: one admin, its password shown this once
        print(f"Netkit: created the first user 'admin' with password {password}\n"
              "        (change it with `netkit user passwd admin`; it is not shown again)", flush=True)
    app = create_app(settings)
    try:  # the library and its search index before the workers are forked: each starts ready (/readyz)
        readiness.load(app)
    except Exception:  # serve anyway: /readyz says 503 and loads again in the background, search repairs itself
        app.logger.exception("loading the search index before starting failed")
    if dev:
        app.run(host=settings.host, port=settings.port, debug=True)
        return

    from gunicorn.app.base import BaseApplication

    class NetkitServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options = gunicorn_options(settings)
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    NetkitServer().run()
