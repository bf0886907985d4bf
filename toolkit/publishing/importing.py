"""Word documents in as new draft materials: one file, or a folder of them with a summary of each.

The conversion is toolkit.publishing.wordimport's; this module gives the result a slug and front matter and saves
it through the instance (text and images in one revision). A file that cannot be imported is refused with its
reason and nothing is written for it; the others go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import Conflict, Invalid, InvalidSlug, WriteFailed
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.library.materials import SUMMARY_MAX, validate_slug
from toolkit.library.render import plain_text
from toolkit.library.starters import new_material, slug_from_title

READ_MAX_BYTES = 64 * 1024 * 1024  # not even read past this (docxsafety refuses smaller ones with its reason)
FOLDER_MAX_FILES = 1000


@dataclass(frozen=True)
class ImportOutcome:
    source: Path
    result: str                 # "converted", "warnings" (converted, with something not carried over) or "refused"
    slug: str | None = None
    title: str = ""
    notes: tuple[str, ...] = ()  # what was not carried over, or why it was refused
    revision: str = ""


@dataclass(frozen=True)
class ImportChoices:
    """What a file does not say itself: the material's kind, topics and audience (and summary)."""

    kind: str
    topics: tuple[str, ...]
    audience: tuple[str, ...]
    summary: str | None = None
    working_group: str | None = None


def import_file(instance: Instance, source: Path, choices: ImportChoices, author: Author, *,
                slug: str | None = None) -> ImportOutcome:
    """Import one .docx as a new draft; never raises for a bad file (the outcome says why it was refused)."""
    from toolkit.publishing.wordimport import read_docx  # mammoth and friends only when importing

    try:
        if source.stat().st_size > READ_MAX_BYTES:
            return _refused(source, f"the file is {source.stat().st_size // (1024 * 1024)} MB; at most "
                                    f"{READ_MAX_BYTES // (1024 * 1024)} MB are read")
        imported = read_docx(source.read_bytes(), source.name)
    except Invalid as exc:
        return _refused(source, *([p.message for p in exc.problems] or [str(exc)]))
    except OSError as exc:
        return _refused(source, f"cannot be read: {exc.strerror or exc}")
    name = slug or slug_from_title(imported.title) or slug_from_title(source.stem)
    try:
        validate_slug(name)
    except InvalidSlug as exc:
        return _refused(source, f"no usable slug ({exc}); give one with --slug")
    summary = choices.summary or summary_from(imported.body) or imported.title
    try:
        text = new_material(title=imported.title, kind=choices.kind, summary=summary, topics=list(choices.topics),
                            audience=list(choices.audience), author=author.name,
                            working_group=choices.working_group, body=imported.body)
        result = instance.save(name, text, author, f"Import {source.name}", None, media=imported.media)
    except Conflict:
        return _refused(source, f"'{name}' already exists; give another slug with --slug", slug=name)
    except Invalid as exc:
        return _refused(source, *([str(p) for p in exc.problems] or [str(exc)]), slug=name)
    except WriteFailed as exc:
        return _refused(source, str(exc), slug=name)
    notes = tuple(imported.notes) + tuple(f"Word comment by {c.author or 'unknown'}: {c.text}"
                                          for c in imported.comments)
    return ImportOutcome(source, "warnings" if notes else "converted", name, imported.title, notes, result.revision)


def import_folder(instance: Instance, folder: Path, choices: ImportChoices, author: Author) -> list[ImportOutcome]:
    """Import every .docx in a folder (not its subfolders; Word's ~$ lock files skipped), in name order."""
    files = sorted(path for path in folder.iterdir() if path.suffix.lower() == ".docx" and path.is_file()
                   and not path.name.startswith(("~$", ".")))
    return [import_file(instance, path, choices, author) for path in files[:FOLDER_MAX_FILES]]


def summary_from(body: str) -> str:
    """A summary for an imported text: its first paragraph of plain text long enough to be one (cut at a word,
    within SUMMARY_MAX)."""
    for block in body.split("\n\n"):
        stripped = block.strip()
        if not stripped or stripped.startswith(("#", "|", "!", "-", "*", ">", "[^")) or stripped[0].isdigit():
            continue
        text = " ".join(plain_text(stripped).split())
        if len(text) >= 10:
            return text if len(text) <= SUMMARY_MAX else text[:SUMMARY_MAX - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _refused(source: Path, *reasons: str, slug: str | None = None) -> ImportOutcome:
    return ImportOutcome(source, "refused", slug, notes=tuple(reasons))
