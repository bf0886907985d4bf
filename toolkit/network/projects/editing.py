"""A project in the edit form: contacts, links and lists as the lines of a text field and back, what it seeks and
offers as rows of a kind and a line (all checked when the record is parsed), and the file name of a new project.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from toolkit.library.materials import validate_slug
from toolkit.library.starters import slug_from_title
from toolkit.network.projects.model import Contact, Link, Need

BLANK_ROWS = 2  # empty rows the form offers below what a project seeks or offers


def contacts_to_lines(contacts: Iterable[Contact]) -> str:
    """Contacts as the edit form shows them: one per line, `name; e-mail; role`."""
    return "\n".join("; ".join(part for part in (c.name, c.email, c.role) if part) for c in contacts)


_NAMED_ADDRESS = re.compile(r"\s*([^<>;]+?)\s*<([^<>;\s]+@[^<>;\s]+)>\s*(?:;\s*(.*))?")  # Anna Jensen <anna@rm.dk>


def contacts_from_lines(text: str) -> list[dict[str, str]]:
    """`name; e-mail; role` per line (role optional) → contact data; checked when the record is parsed."""
    contacts = []
    for row in text.splitlines():
        if not row.strip():
            continue
        named = _NAMED_ADDRESS.fullmatch(row)
        parts = [named[1], named[2], named[3] or ""] if named else [part.strip() for part in row.split(";")]
        contact = {"name": parts[0], "email": parts[1] if len(parts) > 1 else ""}
        if len(parts) > 2 and "; ".join(parts[2:]).strip():
            contact["role"] = "; ".join(parts[2:]).strip()
        contacts.append(contact)
    return contacts


def links_to_lines(links: Iterable[Link]) -> str:
    return "\n".join(f"{link.title}; {link.url}" if link.title != link.url else link.url for link in links)


def links_from_lines(text: str) -> list[dict[str, str]]:
    """`title; https://…` per line, or just the address."""
    links = []
    for row in text.splitlines():
        if not row.strip():
            continue
        title, separator, url = row.rpartition(";")
        links.append({"title": title.strip(), "url": url.strip()} if separator else {"url": row.strip()})
    return links


def lines_to_list(text: str) -> list[str]:
    return [" ".join(row.split()) for row in text.splitlines() if row.strip()]


def needs_to_rows(needs: Iterable[Need], blank: int = BLANK_ROWS) -> list[dict[str, str]]:
    """The form's rows of what a project seeks or offers, with `blank` empty rows to add more."""
    return [{"kind": n.kind, "text": n.text} for n in needs] + [{"kind": "", "text": ""}] * blank


def needs_from_rows(kinds: list[str], texts: list[str]) -> list[dict[str, str]]:
    """Posted rows (kind, text) → record data; a row with neither is left out, one with text but no kind kept
    (the check says what is missing). The text is kept as typed: the check refuses a line break."""
    rows = []
    for index in range(max(len(kinds), len(texts))):
        kind = kinds[index].strip() if index < len(kinds) else ""
        text = texts[index].strip() if index < len(texts) else ""
        if kind or text:
            rows.append({"kind": kind, "text": text} if text else {"kind": kind})
    return rows


def unique_slug(title: str, taken: Iterable[str]) -> str:
    """A file name for a new project from its title, with -2, -3 … when it is taken."""
    base = slug_from_title(title)[:70].rstrip("-") or "projekt"
    taken = set(taken)
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return validate_slug(slug)
