"""Shared fixtures: a scratch copy of the small test library, the app, a client and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.config import BUNDLED_LIBRARY, Settings
from toolkit.history.instance import Instance
from webui import create_app

TESTS = Path(__file__).parent
REPOSITORY = TESTS.parent
DATA = TESTS / "data"
HELPERS = TESTS / "helpers"  # scripts the tests run as separate processes

VALID_FRONT = """\
---
title: {title}
kind: guide
summary: En vejledning til test.
topics: [consent]
audience: [researchers]
language: da
authors: [Testgruppen]
status: published
version: 1.0.0
updated: 2026-01-01
---
"""


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch) -> Path:
    """No test reads or writes ./instance or the developer's NETKIT_* settings."""
    home = tmp_path_factory.mktemp("home") / "instance"
    for name in ("NETKIT_HOME", "NETKIT_LIBRARY", "NETKIT_AUTHOR", "NETKIT_PORT", "NETKIT_HOST", "NETKIT_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETKIT_HOME", str(home))
    return home


@pytest.fixture
def instance(library_path: Path, tmp_path: Path) -> Instance:
    """A real instance (git repository) created from a copy of the test library."""
    return Instance.create(tmp_path / "instance", library=library_path, templates=tmp_path / "no-templates")


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    """A writable copy of tests/data/library."""
    target = tmp_path / "library"
    shutil.copytree(DATA / "library", target)
    return target


@pytest.fixture
def write_material(library_path: Path):
    """Write a material file into the scratch library; `front=None` uses a valid default front matter."""

    def write(slug: str, body: str = "Tekst.\n", *, front: str | None = None, folder: str = "") -> Path:
        path = library_path / folder / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text((front if front is not None else VALID_FRONT.format(title=f"Titel {slug}")) + body,
                        encoding="utf-8")
        return path

    return write


@pytest.fixture
def settings(library_path: Path, isolated_home: Path) -> Settings:
    return Settings(library=library_path, home=isolated_home)


@pytest.fixture
def app(settings: Settings):
    return create_app(settings, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def bundled_app(tmp_path_factory):
    home = tmp_path_factory.mktemp("bundled") / "instance"
    return create_app(Settings(library=BUNDLED_LIBRARY, home=home), {"TESTING": True})


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def require_libreoffice() -> None:
    """PDF tests need LibreOffice: skipped where it is not installed, a failure under CI (which installs it)."""
    import os

    from toolkit.documents.pdf import pdf_available

    if not pdf_available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing; .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed here")


@pytest.fixture
def mailserver():
    """A real SMTP server on 127.0.0.1 (aiosmtpd) for one test: what it received, per message."""
    from tests.helpers.smtpserver import MailCatcher

    catcher = MailCatcher().start()
    yield catcher
    catcher.stop()
