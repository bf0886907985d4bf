"""A real server on 127.0.0.1 and a real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.e2e.servers import serving
from toolkit.config import BUNDLED_LIBRARY, Settings
from webui import create_app

CHROMIUM = os.environ.get("NETKIT_CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_chromium() -> None:
    if shutil.which(CHROMIUM) is None:
        message = f"headless Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("live") / "instance"
    app = create_app(Settings(library=BUNDLED_LIBRARY, home=home))
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def mailserver():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) for the module's live server (its sender runs in the background)."""
    from tests.helpers.smtpserver import MailCatcher

    catcher = MailCatcher().start()
    yield catcher
    catcher.stop()
