"""Where an instance keeps its content, known without opening it (the layout is described in instance.py).

The command line asks "is there an instance at --home, and where are its library and templates?" before most
commands. Answering here costs a few paths; importing toolkit.history.instance costs the library's renderer and
the whole history, which `netkit generate` never uses (tests/cli/test_startup.py holds it to that).
"""

from __future__ import annotations

from pathlib import Path


def content_dir(home: Path) -> Path:
    """The instance's git repository: library/ and templates/."""
    return Path(home).resolve() / "content"


def library_dir(home: Path) -> Path:
    return content_dir(home) / "library"


def templates_dir(home: Path) -> Path:
    return content_dir(home) / "templates"


def holds_instance(home: Path) -> bool:
    """Whether `home` holds an instance: its content repository exists."""
    from toolkit.history.gitstore import GitStore

    return GitStore(content_dir(home)).exists()
