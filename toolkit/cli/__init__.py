"""The `netkit` command line: thin wrappers that parse input, call the core once and present the result."""

from toolkit.cli import exporting, groups, reading, searching, serving, site, templating, users, versions  # noqa: F401  (registers the commands)
from toolkit.cli.base import main

__all__ = ["main"]
