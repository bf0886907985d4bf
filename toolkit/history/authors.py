"""Who is writing: from an explicit 'Name <email>', the environment, git's config, or the OS user."""

from __future__ import annotations

import getpass
import re
import subprocess

from toolkit.errors import Invalid, Problem
from toolkit.history.gitstore import Author

AUTHOR_RE = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*$")


def parse_author(value: str) -> Author:
    match = AUTHOR_RE.match(value)
    if match is None:
        raise Invalid(f"'{value}' is not an author", [Problem.at("author", "write it as 'Name <email>', "
                                                                 "e.g. 'Anna Jensen <anna@rm.dk>'", field="author")])
    return Author(match["name"], match["email"])


def resolve_author(explicit: str | None) -> Author:
    """--author, then NETKIT_AUTHOR (passed in as `explicit` by the settings), then git config, then the OS."""
    if explicit:
        return parse_author(explicit)
    name, email = _git_config("user.name"), _git_config("user.email")
    if name and email:
        return Author(name, email)
    user = getpass.getuser()
    return Author(name or user, email or f"{user}@localhost")


def _git_config(key: str) -> str | None:
    try:
        result = subprocess.run(["git", "config", "--get", key], capture_output=True, text=True, check=False)
    except OSError:
        return None
    return result.stdout.strip() or None
