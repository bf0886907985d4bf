"""mammoth's HTML of a Word document made ready for Markdown (htmlmarkdown): footnotes and endnotes gathered
as [^N] definitions, Netkit's own Word export recognised (its cover, its "Noter" section, its task checkboxes),
the title taken out, and bookmarks without text dropped.

Netkit's export (toolkit.publishing.word, wordbody) writes a footnote as a superscript number hyperlinked to a
bookmark _fnN, and the notes as "N.<tab>text" paragraphs after a "Noter" heading, each bookmarked _fnN; Word's own
footnotes reach us from mammoth as <a href="#footnote-N"> (endnotes: #endnote-N) with the notes in a list at the
end. Both become one sequence of [^1], [^2] … numbered in the order the text refers to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from toolkit.publishing.htmlmarkdown import TASK_DONE, TASK_OPEN, to_markdown

TITLE_CLASS = "netkit-title"
PAGE_BREAK_CLASS = "netkit-pagebreak"
NOTES_HEADINGS = {"Noter", "Notes"}
COMMENTS_COVER = "Kladde til kommentering, hentet"
FACTS_FIRST_LABEL = "Type"
_WORD_NOTE = re.compile(r"\A(?:footnote|endnote)-\d+\Z")
_WORD_NOTE_REF = re.compile(r"\A#((?:footnote|endnote)-\d+)\Z")
_WORD_BACKLINK = re.compile(r"\A#(?:footnote|endnote)-ref-\d+\Z")
_NETKIT_NOTE = re.compile(r"\A_fn\d+\Z")
_NETKIT_NOTE_REF = re.compile(r"\A#(_fn\d+)\Z")
_NOTE_NUMBER = re.compile(r"\A\s*\d+\.\s*")
_TASK = re.compile(r"\A\s*([☐☒])[\t ]+")


@dataclass
class Prepared:
    """What preparing the soup found: the title paragraphs' texts, whether a Netkit cover was taken off, and the
    footnote definitions as Markdown ("[^1]: …")."""

    titles: list[str]
    netkit_cover: bool
    footnotes: list[str]


def prepare(soup: BeautifulSoup) -> Prepared:
    """Change the soup in place; see the module's docstring."""
    netkit_cover = _take_cover(soup)
    notes = _word_notes(soup) | _netkit_notes(soup)
    footnotes = _number_notes(soup, notes)
    _tasks(soup)
    titles = []
    for element in soup.find_all(class_=TITLE_CLASS):
        titles.append(" ".join(element.get_text().split()))
        element.name = "p"
        del element["class"]
    for anchor in soup.find_all("a"):
        if not anchor.get("href") and not anchor.get_text(strip=True) and anchor.find("img") is None:
            anchor.decompose()  # a bookmark (_Toc…, _GoBack, _h1): nothing to read
    return Prepared(titles, netkit_cover, footnotes)


def _top(soup: BeautifulSoup) -> list[Tag]:
    return [child for child in soup.children if isinstance(child, Tag)]


def _take_cover(soup: BeautifulSoup) -> bool:
    """Netkit's cover off the top: the export's (Title, summary, the facts table whose first label is "Type",
    a recommendation's lists, a page break) or the Word file for comments' (Title, "Kladde til kommentering,
    hentet …"). The Title paragraph itself stays, as the document's title."""
    top = _top(soup)
    start = next((index for index, tag in enumerate(top[:3]) if TITLE_CLASS in (tag.get("class") or [])), None)
    if start is None:
        return False
    after = top[start + 1:]
    if after and after[0].name == "p" and after[0].get_text().startswith(COMMENTS_COVER):
        for tag in top[:start]:
            tag.decompose()
        after[0].decompose()
        return True
    for index, tag in enumerate(after[:60]):
        if tag.name in ("h2", "h3", "h4", "h5", "h6"):
            return False
        if tag.find("hr", class_=PAGE_BREAK_CLASS) is not None or tag.name == "hr":
            if not any(_is_facts_table(earlier) for earlier in after[:index]):
                return False
            for earlier in top[:start] + after[:index + 1]:
                earlier.decompose()
            return True
    return False


def _is_facts_table(tag: Tag) -> bool:
    cell = tag.find(["td", "th"]) if tag.name == "table" else None
    return cell is not None and cell.get_text(strip=True) == FACTS_FIRST_LABEL


def _word_notes(soup: BeautifulSoup) -> dict[str, list[Tag | NavigableString]]:
    """Word's footnotes and endnotes (mammoth's list items at the end), taken out of the soup."""
    notes = {}
    for item in soup.find_all("li", id=_WORD_NOTE):
        for backlink in item.find_all("a", href=_WORD_BACKLINK):
            backlink.decompose()
        listing = item.parent
        notes[str(item["id"])] = list(item.extract().contents)
        if listing is not None and not listing.find("li"):
            listing.decompose()
    return notes


def _netkit_notes(soup: BeautifulSoup) -> dict[str, list[Tag | NavigableString]]:
    """The "Noter" section of Netkit's export, taken out of the soup: a heading, then paragraphs each starting
    with a bookmark _fnN and "N.<tab>", maybe followed by more paragraphs of the same note."""
    anchors = soup.find_all("a", id=_NETKIT_NOTE)
    if not anchors:
        return {}
    heading = anchors[0].find_previous(["h1", "h2", "h3", "h4", "h5", "h6"])
    if heading is None or heading.get_text(strip=True) not in NOTES_HEADINGS or heading.parent is not soup:
        return {}
    notes: dict[str, list[Tag]] = {}
    current: list[Tag] | None = None
    taken: list[Tag] = []
    for sibling in heading.find_next_siblings():
        first = sibling.find("a", id=_NETKIT_NOTE) if sibling.name == "p" else None
        if first is not None:
            current = notes.setdefault(str(first["id"]), [])
            first.decompose()
            text = next((node for node in sibling.descendants if isinstance(node, NavigableString)), None)
            if text is not None:
                text.replace_with(_NOTE_NUMBER.sub("", str(text), count=1))
        elif current is None or sibling.name != "p":
            break
        current.append(sibling)
        taken.append(sibling)
    if not notes:
        return {}
    heading.decompose()
    for paragraph in taken:
        paragraph.extract()
    return notes


def _number_notes(soup: BeautifulSoup, notes: dict[str, list]) -> list[str]:
    """Each reference to a note becomes its mark (numbered by first reference); the definitions as Markdown.
    A note nothing refers to is still kept, at the end: never dropped."""
    numbers: dict[str, int] = {}
    for link in soup.find_all("a", href=True):
        match = _WORD_NOTE_REF.match(str(link["href"])) or _NETKIT_NOTE_REF.match(str(link["href"]))
        if match is None or match[1] not in notes:
            continue
        number = numbers.setdefault(match[1], len(numbers) + 1)
        holder = link.parent if link.parent is not None and link.parent.name == "sup" and \
            len([c for c in link.parent.contents if str(c).strip()]) == 1 else link
        holder.replace_with(NavigableString(f"\ue000{number}\ue001"))
    for name in notes:
        numbers.setdefault(name, len(numbers) + 1)
    definitions = []
    for name, number in sorted(numbers.items(), key=lambda item: item[1]):
        wrapper = BeautifulSoup("", "html.parser")
        for node in notes[name]:
            wrapper.append(node)
        text = to_markdown(wrapper)
        first, *rest = text.split("\n") if text else [""]
        lines = [f"[^{number}]: {first}".rstrip()] + [f"    {line}" if line else "" for line in rest]
        definitions.append("\n".join(lines))
    return definitions


def _tasks(soup: BeautifulSoup) -> None:
    """Netkit's task items ("☐<tab>text" paragraphs) back into a task list ("- [ ] text")."""
    group: Tag | None = None
    for paragraph in soup.find_all("p"):
        text = next((node for node in paragraph.descendants if isinstance(node, NavigableString)), None)
        match = _TASK.match(str(text)) if text is not None and paragraph.parent is soup else None
        if match is None:
            continue
        text.replace_with((TASK_DONE if match[1] == "☒" else TASK_OPEN) + str(text)[match.end():])
        previous = paragraph.find_previous_sibling()
        if group is None or previous is not group:
            group = soup.new_tag("ul")
            paragraph.insert_before(group)
        item = soup.new_tag("li")
        group.append(item)
        item.extend(list(paragraph.contents))
        paragraph.decompose()
