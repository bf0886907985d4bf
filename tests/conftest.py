"""Shared fixtures: a scratch copy of the small test library, the app, a client and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.config import BUNDLED_LIBRARY, Settings
from webui import create_app

DATA = Path(__file__).parent / "data"

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
def settings(library_path: Path) -> Settings:
    return Settings(library=library_path)


@pytest.fixture
def app(settings: Settings):
    return create_app(settings, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def bundled_app():
    return create_app(Settings(library=BUNDLED_LIBRARY), {"TESTING": True})


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
