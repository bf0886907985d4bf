"""Serving the web UI."""

from __future__ import annotations

from dataclasses import replace

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1; env NETKIT_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default 5000; env NETKIT_PORT).")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default 2; env NETKIT_WORKERS).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader (not for production).")
@pass_context
@core_errors
def serve_command(ctx: Context, host: str | None, port: int | None, workers: int | None, dev: bool) -> None:
    """Serve the web UI (gunicorn, several workers).

    Example: netkit serve --port 8000
    """
    from webui.server import serve  # the web front end is loaded only for this command

    settings = replace(ctx.settings, **{k: v for k, v in
                                        {"host": host, "port": port, "workers": workers}.items() if v is not None})
    serve(settings, dev=dev)

