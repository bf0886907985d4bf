"""The `netkit` command line: thin wrappers that parse input, call the core once and present the result."""

from toolkit.cli import (  # noqa: F401  (registers the commands)
    backup,
    exporting,
    groups,
    importing,
    meetings,
    newsletter,
    notifying,
    people,
    projects,
    reading,
    renaming,
    searching,
    serving,
    site,
    templating,
    users,
    versions,
)
from toolkit.cli.base import main

__all__ = ["main"]
