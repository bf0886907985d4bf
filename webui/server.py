"""Run the web UI: gunicorn with several workers in production, Flask's reloader with --dev."""

from __future__ import annotations

from typing import Any

from toolkit.config import Settings


def serve(settings: Settings, *, dev: bool = False) -> None:
    from webui import create_app

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
                "timeout": 60,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    NetkitServer().run()
