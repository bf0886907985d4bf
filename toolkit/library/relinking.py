"""Pointing a material's references at a new slug (for a rename): its [[old]], [[old#anchor]] and [[old|label]]
wiki links, and the front-matter fields that name materials (`related`, `replaced_by`). Every other byte stays as
written: links inside code are not links and stay, and a list keeps its layout (flow or block) and its order.
"""

from __future__ import annotations

import re

from toolkit.library.frontmatter import FENCE, FrontMatterError, parse, set_fields
from toolkit.library.render import WIKILINK_RE, _without_code  # the renderer's own idea of what a link is

SLUG_FIELDS = ("related", "replaced_by")  # the front-matter fields whose values are slugs of other materials


def relink(text: str, old: str, new: str) -> str:
    """`text` (a material file) with every reference to `old` pointing at `new`. A file whose front matter
    cannot be read is returned as it is (it is not in the library, and guessing could damage it)."""
    try:
        matter = parse(text)
    except FrontMatterError:
        return text
    lines = text.replace("\r\n", "\n").split("\n")
    head, body = lines[:matter.body_line - 1], "\n".join(lines[matter.body_line - 1:])
    for name in SLUG_FIELDS:
        if _names(matter.data.get(name), old):
            head = _relink_field(head, matter.key_lines[name] - 1, old, new)
    relinked = "\n".join([*head, relink_body(body, old, new)])
    return _checked(relinked, matter.data, old, new)


def relink_body(body: str, old: str, new: str) -> str:
    """The Markdown body with its [[old…]] links pointing at `new` (anchor and label kept)."""
    if "[[" not in body or old not in body:
        return body
    parts, done = [], 0
    for match in WIKILINK_RE.finditer(_without_code(body)):  # same offsets: code is blanked, not removed
        if match[1].strip() != old:
            continue
        start, end = match.span(1)
        raw = body[start:end]
        lead = raw[:len(raw) - len(raw.lstrip())]
        trail = raw[len(raw.rstrip()):]
        parts += [body[done:start], lead, new, trail]
        done = end
    return "".join(parts) + body[done:] if parts else body


def _names(value: object, slug: str) -> bool:
    return value == slug or (isinstance(value, list) and slug in value)


def _relink_field(head: list[str], index: int, old: str, new: str) -> list[str]:
    """The front-matter lines with `old` replaced by `new` in one field (its key line after the colon and its
    indented continuation lines); a slug is matched whole, never as part of a longer slug."""
    token = re.compile(rf"(?<![a-z0-9-]){re.escape(old)}(?![a-z0-9-])")
    result = list(head)
    key, _, value = result[index].partition(":")
    result[index] = f"{key}:{token.sub(new, value)}"
    following = index + 1
    while following < len(result) and result[following].startswith((" ", "\t")) \
            and result[following].rstrip() not in (FENCE, "..."):
        result[following] = token.sub(new, result[following])
        following += 1
    return result


def _checked(text: str, before: dict, old: str, new: str) -> str:
    """The slug fields as they should be after the rewrite; if the text says otherwise (YAML written in some
    unexpected way), those fields are written out plainly instead."""
    after = parse(text).data
    wanted: dict[str, str] = {}
    for name in SLUG_FIELDS:
        value = before.get(name)
        expected = ([new if item == old else item for item in value] if isinstance(value, list)
                    else new if value == old else value)
        if after.get(name) != expected:
            wanted[name] = f"[{', '.join(map(str, expected))}]" if isinstance(expected, list) else str(expected)
    return set_fields(text, wanted) if wanted else text
