"""A text back from Word, in the words of the revision it came from wherever Word changed nothing.

Word does not keep Markdown's formatting: hard-wrapped paragraphs come back as one line, `[[slug]]` as
`[[slug|Title]]`, a table's `|---|` as `| --- |`, a bold header cell with `**`, footnotes gathered at the end. Saved
as it is, every such line would count as changed: the history would show edits nobody made, and a three-way merge
would conflict with co-authors' real edits nearby. So each block (paragraph, list, table, footnote) whose meaning is
the same as in the base revision is given back exactly as the base wrote it; only what the co-author really
changed in Word comes from Word.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.errors import Invalid, Problem
from toolkit.library.editing import split
from toolkit.library.media import MediaFile, unique_name

if TYPE_CHECKING:
    from toolkit.history.instance import Instance
    from toolkit.publishing.wordimport import ImportedDocument

_WIKILINK = re.compile(r"\[\[([^\[\]|\n\\]+)\\?\|([^\[\]\n]+)\]\]")  # also [[slug\|Title]] in a table cell
_SEPARATOR = re.compile(r"\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_CONTINUATION = re.compile(r"\n[ \t]*(?:>[ \t]?)?")
_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]")
_REFERENCE = re.compile(r"\(media:([^\s)]+)\)")
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:")
_ATTACHMENT = re.compile(r"(?<!!)\[([^\]\n]*)\]\(media:([^\s)]+)\)")  # Word holds its text and name, not the file


@dataclass(frozen=True)
class WordChanges:
    """A Word file for comments, read back: the text to save on top of `base`, and the pictures it brings that
    the material does not have yet (those it has keep their names)."""

    body: str
    base: str
    new_media: tuple[MediaFile, ...]


def changes_from_word(instance: Instance, slug: str, imported: ImportedDocument) -> WordChanges:
    """The text of Netkit's "til kommentering" file of `slug`, ready for a three-way save against the revision the
    file came from. Invalid when the file is not that (no properties, another material); NotFound when its
    revision is unknown here."""
    if imported.slug != slug or not imported.revision:
        raise Invalid(f"the Word file is not the file for comments of '{slug}'",
                      [Problem.at(slug, "download it with 'Hent som Word til kommentering'", field="file")])
    base = instance.store.resolve(imported.revision)
    library = instance.library()
    stored = {name: path.read_bytes() for name in library.media_names(slug)
              if (path := library.media_file(slug, name)) is not None}
    names: dict[str, str] = {}
    new_media: list[MediaFile] = []
    for file in imported.media:  # a picture the material already has keeps its name and is not stored twice
        name = next((known for known, data in stored.items() if data == file.data), None)
        if name is None:
            name = unique_name(file.name, set(stored) | {m.name for m in new_media})
            new_media.append(MediaFile(name, file.data, file.type, file.width, file.height))
        names[file.name] = name
    body = rename_media(imported.body, names)
    _front, base_body = split(instance.read(slug, base))
    return WordChanges(keep_base_formatting(base_body, body, library.targets.titles), base, tuple(new_media))


def rename_media(body: str, names: Mapping[str, str]) -> str:
    """Every (media:old) reference renamed in one pass, so a new name that is another file's old name is not
    renamed again."""
    return _REFERENCE.sub(lambda m: f"(media:{names.get(m.group(1), m.group(1))})", body) if names else body


def shorten_links(body: str, titles: Mapping[str, str]) -> str:
    """`[[slug|Title]]` → `[[slug]]` where the text is the material's own title (what the Word export wrote)."""
    def shorter(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        return f"[[{target}]]" if titles.get(target.split("#", 1)[0].strip()) == label.strip() else match.group(0)
    return _WIKILINK.sub(shorter, body)


def keep_base_formatting(base: str, new: str, titles: Mapping[str, str]) -> str:
    """`new` (a body converted from Word) with every block that means the same as in `base` written as in `base`;
    footnotes that did not change stay where the base had them."""
    base_blocks, new_blocks = _blocks(base), _blocks(shorten_links(new, titles))
    base_keys = [_key(block, titles) for block in base_blocks]
    unchanged_notes = {key for key, block in zip(base_keys, base_blocks, strict=True) if _FOOTNOTE.match(block)}
    new_blocks = [block for block in new_blocks
                  if not (_FOOTNOTE.match(block) and _key(block, titles) in unchanged_notes)]
    new_keys = [_key(block, titles) for block in new_blocks]
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, base_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += base_blocks[i1:i2]
            continue
        if tag in ("delete", "replace"):  # an unchanged footnote stays where it was
            out += [block for block, key in zip(base_blocks[i1:i2], base_keys[i1:i2], strict=True)
                    if key in unchanged_notes]
        if tag == "replace" and i2 - i1 == j2 - j1:
            out += [_keep_items(old, fresh, titles) for old, fresh in zip(base_blocks[i1:i2], new_blocks[j1:j2],
                                                                           strict=True)]
        elif tag in ("insert", "replace"):
            out += new_blocks[j1:j2]
    leading = base[:len(base) - len(base.lstrip("\n"))]
    return leading + "\n\n".join(out) + "\n"


def _keep_items(old: str, fresh: str, titles: Mapping[str, str]) -> str:
    """Within a changed list or table, the items and rows that did not change, as the base wrote them."""
    old_items, fresh_items = _items(old), _items(fresh)
    old_keys = {_key(item, titles): item for item in old_items}
    return "\n".join(old_keys.get(_key(item, titles), item) for item in fresh_items)


def _blocks(body: str) -> list[str]:
    return [block.strip("\n") for block in re.split(r"\n[ \t]*\n", body.strip("\n")) if block.strip()]


def _items(block: str) -> list[str]:
    """A block's list items (with their continuation lines) or table rows; a paragraph is one item."""
    items: list[str] = []
    for line in block.split("\n"):
        starts = _ITEM.match(line.lstrip()) or line.lstrip().startswith("|") or not items
        if starts:
            items.append(line)
        else:
            items[-1] += "\n" + line
    return items


def _key(block: str, titles: Mapping[str, str]) -> str:
    """What a block says, whatever its formatting: lines joined, spacing and escapes ignored, table separators
    and cells normalised, links to a material by its title shortened, bold in table cells ignored."""
    lines = []
    block = _ATTACHMENT.sub(r"\1 (vedhæftet fil: \2)", shorten_links(block, titles))
    for line in block.split("\n"):
        stripped = line.strip()
        if _SEPARATOR.fullmatch(stripped) and "|" in stripped:
            lines.append("|" + "|".join("-" for _ in stripped.strip("|").split("|")) + "|")
        elif stripped.startswith("|"):
            cells = re.split(r"(?<!\\)\|", stripped.strip("|"))
            lines.append("|" + "|".join(cell.replace("**", "").strip() for cell in cells) + "|")
        else:
            lines.append(line)
    text = _CONTINUATION.sub(" ", "\n".join(lines))
    return " ".join(_ESCAPE.sub(r"\1", text).split())
