"""Run the web UI: gunicorn with several workers in production, Flask's reloader with --dev."""

from __future__ import annotations

from typing import Any

from toolkit.config import Settings

# A request that takes longer than this kills its worker; everything a request does (a PDF by LibreOffice:
# toolkit.documents.pdf.SINGLE_TIMEOUT_SECONDS) stops well before.
WORKER_TIMEOUT_SECONDS = 60


def serve(settings: Settings, *, dev: bool = False) -> None:
    from toolkit.people.accounts import Accounts
    from webui import create_app

    password = Accounts(settings.home).ensure_admin()
    if password:  # the very first start: one admin, its password shown this once
        print(f"Netkit: created the first user 'admin' with password {password}\n"
              "        (change it with `netkit user passwd admin`; it is not shown again)", flush=True)
    app = create_app(settings)
    if dev:
        app.run(host=settings.host, port=settings.port, debug=True)
        return

    from gunicorn.app.base import BaseApplication

    class NetkitServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{settings.host}:{settings.port}",
                "workers": settings.workers,
                "accesslog": "-",
                "timeout": WORKER_TIMEOUT_SECONDS,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    NetkitServer().run()
