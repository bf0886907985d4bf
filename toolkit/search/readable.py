"""The text search keeps of a Markdown body, for its snippets: what a reader can follow, not markup.

toolkit.library.render.plain_text strips the markup, but leaves a wiki link as its slug and flattens a table into
one run of cells ("… i brug · Regionsråd og direktion 2 · En klar vej …"). Here a wiki link becomes its label or
the linked material's title, each table row a line of its own ("label: cell; cell."), and a heading a line that
ends like a sentence, before plain_text does the rest. The words stay those of the body (a table's header row is
kept as one line too), so ranking sees the same words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.library.render import WIKILINK_RE, plain_text

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)[ \t#]*$")
_NUMBER = re.compile(r"[\d.,)]+")
_ENDS_SENTENCE = re.compile(r"[.!?:;…]$")


def readable_text(body: str, titles: Mapping[str, str] | None = None) -> str:
    """The readable plain text of a Markdown `body`; `titles` (slug → title) names the targets of wiki links."""
    titles = titles or {}
    body = WIKILINK_RE.sub(lambda match: link_text(match, titles), body)
    return plain_text(_blocks_as_lines(body))


def link_text(match: re.Match[str], titles: Mapping[str, str]) -> str:
    """What a reader sees for a [[slug|label]]: the label, else the title, else the slug's words (a link to a
    material that is gone still reads as words, never as a slug)."""
    slug, label = match[1].strip(), match[3]
    if label and label.strip():
        return label.strip()
    return titles.get(slug) or slug.replace("-", " ")


def linked_slugs(body: str) -> tuple[str, ...]:
    """The slugs a body links to with [[…]], in order (what its readable text depends on besides itself)."""
    return tuple(match[1].strip() for match in WIKILINK_RE.finditer(body))


def _blocks_as_lines(body: str) -> str:
    """Tables as one line per row and headings as sentences; fenced code is left alone."""
    lines = body.split("\n")
    out: list[str] = []
    fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if fence or opening:
            if opening and not fence:
                fence = opening[1]
            elif opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = ""
            out.append(line)
            index += 1
            continue
        if "|" in line and index + 1 < len(lines) and "|" in lines[index + 1] and _RULE.match(lines[index + 1]):
            out.append(_row(line, header=True))
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                out.append(_row(lines[index]))
                index += 1
            out.append("")
            continue
        heading = _HEADING.match(line)
        if heading and heading[2]:
            line = heading[1] + _as_sentence(heading[2])
        out.append(line)
        index += 1
    return "\n".join(out)


def _row(line: str, header: bool = False) -> str:
    """One table row as "label: cell; cell." — the first cell names the row (a bare number is dropped, the
    next cell names it instead); empty cells and dashes are left out. The header row: "name, name."."""
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    cells = [cell.strip().replace("\\|", "|") for cell in _CELL_SPLIT.split(text)]
    cells = [cell for cell in cells if re.search(r"\w", cell)]
    if len(cells) > 1 and _NUMBER.fullmatch(cells[0]):
        cells = cells[1:]
    if not cells:
        return ""
    if len(cells) == 1 or header:
        return _as_sentence(", ".join(cell.rstrip(":") for cell in cells))
    label = cells[0].rstrip(":")
    return _as_sentence(f"{label}: {'; '.join(cells[1:])}")


# The words a question starts with (Danish and English), so a question listed in the front matter reads as one.
_ASKING = frozenset({"hvad", "hvem", "hvor", "hvordan", "hvornår", "hvorfor", "hvilke", "hvilken", "hvilket", "må",
                     "skal", "kan", "er", "har", "får", "bør", "gælder", "kræver", "hjælper", "gør", "dækker",
                     "ændrer", "findes", "bruger", "giver", "betyder", "vil", "tæller", "what", "who", "where", "how",
                     "when", "why", "which", "can", "do", "does", "is", "are", "should", "may", "must", "will"})


def questions_text(questions: tuple[str, ...]) -> str:
    """A material's questions as lines a snippet can show, after its text: each a sentence with a capital, and the
    writer's own ending, else "?" for a question and "." for a search phrase ("Hvem melder fejlen?",
    "Journalopslag til kvalitetsudvikling.")."""
    lines = []
    for question in questions:
        text = question.strip()
        if not text:
            continue
        if text[-1] not in ".?!…":
            first = text.split(maxsplit=1)[0].casefold()
            text += "?" if first in _ASKING or ", hv" in text else "."
        lines.append(text[0].upper() + text[1:])
    return "\n".join(lines)


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if not text or _ENDS_SENTENCE.search(text.rstrip("*_`")) else f"{text}."
