"""Take the README's screenshots of the main pages with the real headless Chromium: make screenshots.

Serves the bundled library on a free local port (a scratch instance folder), opens each page at a desktop
and a phone width, and writes PNG files beside this script.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from toolkit.config import BUNDLED_LIBRARY, Settings  # noqa: E402
from webui import create_app  # noqa: E402

HERE = Path(__file__).resolve().parent
PAGES = [
    ("home", "/", 1280),
    ("material", "/m/adgang-til-data/", 1280),
    ("search", "/sog?q=samtykke", 1280),
    ("browse", "/gennemse?topic=consent", 1280),
    ("template-form", "/skabeloner/ce-maerkning-tjekliste/udfyld", 1280),
    ("material-phone", "/m/samtykkemodeller/", 375),
    ("overview", "/overblik/", 1280),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        app = create_app(Settings(library=BUNDLED_LIBRARY, home=Path(home) / "instance"))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                for name, path, width in PAGES:
                    page = browser.new_page(viewport={"width": width, "height": 900}, locale="da-DK")
                    page.goto(base + path)
                    page.screenshot(path=str(HERE / f"{name}.png"), full_page=False)
                    page.close()
                    print(f"wrote docs/screenshots/{name}.png")
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
