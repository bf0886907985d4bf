"""Names in a Word file's tags that cannot be question ids, for `templates scaffold`: renamed or refused.

form.yaml's ids are lowercase letters, digits and _ (starting with a letter). A tag name such as `Name`,
`firstName` or `Projekt-navn` is mapped to one (`name`, `first_name`) and the tags are rewritten in the
Word file, so the package checks and renders; a name starting with `_` (`__class__`) is refused as the
sandbox refuses it, and so is a mapping that would make two names one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from docx.document import Document as DocumentObject
from docx.oxml.ns import qn

from toolkit.documents.docxfile import Place
from toolkit.documents.packages import CONTEXT_NAMES
from toolkit.documents.tagscan import ITEM, Scan
from toolkit.errors import Invalid, Problem

XML_SPACE = qn("xml:space")
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"|[“”‘’„][^“”‘’„]*[“”‘’„]")


def normalised(name: str) -> str:
    """The question id for a tag name: `firstName` → `first_name`, `Projekt-navn` → `projekt_navn`."""
    text = name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa").replace("Æ", "Ae").replace(
        "Ø", "Oe").replace("Å", "Aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9_]", "_", text)).strip("_")


def plan_names(tree: Mapping[str, Any], scan: Scan, display: str) -> dict[str, str]:
    """Old → new for every name that is not a valid id; Invalid (each name at its place) for those refused."""
    renamed: dict[str, str] = {}
    problems: list[Problem] = []

    def level(names: list[str], taken: set[str], what: str) -> None:
        targets = {name: name for name in names if IDENTIFIER.match(name)}
        for name in names:
            if IDENTIFIER.match(name):
                continue
            where = _place_of(scan, name)
            new = normalised(name)
            if name.startswith("_"):
                message = (f"'{name}' starts with _: the sandbox refuses such names (they reach Python's internals); "
                           "rename the tag in Word")
            elif not IDENTIFIER.match(new):
                message = (f"'{name}' cannot be made a {what} id (lowercase letters, digits and _, starting with a "
                           "letter); rename the tag in Word")
            elif new in taken or new in targets or renamed.get(name, new) != new:
                message = (f"'{name}' would become '{new}', which the template already uses; rename one of them "
                           "in Word")
            else:
                targets[new] = name
                renamed[name] = new
                continue
            problems.append(Problem.at(display, message, field=where.describe() if where else None))

    def walk(nodes: Mapping[str, Any], taken: set[str], what: str) -> None:
        level(list(nodes), taken, what)
        for node in nodes.values():
            if node.fields:
                walk(node.fields, set(), "field")

    walk(tree, set(CONTEXT_NAMES), "question")
    if problems:
        raise Invalid(f"{display} uses names that cannot become question ids", problems)
    return renamed


def rename_tags(document: DocumentObject, renamed: Mapping[str, str]) -> int:
    """Rewrite the names inside the tags of every story docxtpl renders (not in quoted texts); returns how many."""
    from toolkit.documents.wordstories import all_paragraphs, stories

    if not renamed:
        return 0
    pattern = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in sorted(renamed, key=len, reverse=True))
                         + r")(?![\w])")
    count = 0
    for story in stories(document):
        changed = sum(_rename_paragraph(paragraph, pattern, renamed) for paragraph in all_paragraphs(story))
        if changed:
            story.save()
        count += changed
    return count


def _rename_paragraph(paragraph: Any, pattern: re.Pattern, renamed: Mapping[str, str]) -> int:
    """Rewrite one w:p element piece by piece (its w:t elements), so each run keeps its formatting."""
    from toolkit.documents.wordstories import text_elements

    pieces = text_elements(paragraph)
    texts = [piece.text or "" for piece in pieces]
    joined = "".join(texts)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in the paragraph's text
    for tag in TAG.finditer(joined):
        literals = [m.span() for m in LITERAL.finditer(tag.group())]
        for match in pattern.finditer(tag.group()):
            if not any(a <= match.start() < b for a, b in literals):
                edits.append((tag.start() + match.start(), tag.start() + match.end(), renamed[match.group(1)]))
    if not edits:
        return 0
    # A renamed name goes to the piece it starts in (keeping that run's formatting); its rest leaves later pieces.
    offset = 0
    for piece, text in zip(pieces, texts, strict=True):
        start, end = offset, offset + len(text)
        offset = end
        out = []
        position = start
        while position < end:
            edit = next((e for e in edits if e[0] <= position < e[1]), None)
            if edit is None:
                out.append(joined[position])
                position += 1
                continue
            if edit[0] == position:
                out.append(edit[2])
            position = min(edit[1], end)
        new = "".join(out)
        if new == text:
            continue
        if new:
            piece.text = new
            piece.set(XML_SPACE, "preserve")
        else:  # an emptied w:t would confuse docxtpl's joining of a tag split over runs
            piece.getparent().remove(piece)
    return len(edits)


def _place_of(scan: Scan, name: str) -> Place | None:
    return next((place for path, place in scan.paths().items() if name in path and name != ITEM), None)
