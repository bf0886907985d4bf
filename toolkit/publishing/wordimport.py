"""A Word document (.docx) read as a material's Markdown body, its title, its images, and what did not come along.

The file is opened safely first (docxsafety: size, zip bomb, encryption, external images), then mammoth turns
it into semantic HTML with a style map for Word's built-in and Danish style names, wordsoup gathers the
footnotes and recognises Netkit's own export, htmlmarkdown writes the Markdown, and wordscan counts what the
Markdown cannot hold, so the user is told (`notes`) instead of losing it silently. Images are checked by
toolkit.library.media like any upload and named billede-1.png, billede-2.jpg …; the Markdown refers to them as
![alt](media:billede-1.png) with Word's alternative text. Word comments come back as `comments`, and the
revision and slug that "Hent som Word til kommentering" wrote (custom properties) as `revision` and `slug`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from toolkit.errors import Invalid
from toolkit.library.materials import TITLE_RANGE
from toolkit.library.media import FILES_MAX, MediaFile, inspect_media, looks_like_svg, safe_name, sniff, unique_name
from toolkit.publishing.docxsafety import open_docx, refused
from toolkit.publishing.wordprops import parse_custom_properties
from toolkit.publishing.wordscan import Scan, WordComment, scan
from toolkit.publishing.wordsoup import PAGE_BREAK_CLASS, TITLE_CLASS, prepare

REVISION_PROPERTY = "netkit-revision"
SLUG_PROPERTY = "netkit-slug"
TITLE_MAX = TITLE_RANGE[1]  # a longer core title is cut, so the draft passes the schema check
IMAGE_STEM = "billede"
_STYLE_MAP_LINES = [
    *(f"p[style-name='{name}'] => h1.{TITLE_CLASS}:fresh" for name in ("Title", "Titel")),
    *(f"p[style-name='{name}'] => p:fresh" for name in ("Subtitle", "Undertitel")),
    *(f"p[style-name='{prefix} {level}'] => h{min(level + 1, 6)}:fresh"
      for prefix in ("Heading", "Overskrift") for level in range(1, 10)),
    *(f"p[style-name='{name}'] => blockquote > p:fresh"
      for name in ("Quote", "Citat", "Intense Quote", "Strkt citat", "Kraftigt citat", "Block Text", "Bloktekst",
                   "Quotations", "Citater")),
    *(f"p[style-name='{name}'] => pre:separator('\\n')"
      for name in ("Code", "Kode", "HTML Preformatted", "HTML-forudformateret", "Preformatted Text",
                   "Forudformateret tekst", "Source Code", "Kildekode", "Macro Text", "Makrotekst")),
    *(f"r[style-name='{name}'] => code"
      for name in ("Inline Code", "Source Text", "Kildetekst", "HTML Code", "HTML-kode", "Verbatim Char")),
    # python-docx's and Netkit's list styles carry no nesting of their own: the style name tells the level
    *(f"p[style-name='{style} {level}'] => {' > '.join(['ul|ol > li'] * (level - 1))} > {tag} > li:fresh"
      for style, tag in (("List Bullet", "ul"), ("Opstilling med punkttegn", "ul"), ("List Number", "ol"),
                         ("Opstilling med tal", "ol")) for level in (2, 3, 4, 5)),
    # a table of contents is made on the page from the headings; Word's own is left out (and noted)
    *(f"p[style-name='{prefix} {level}'] => !"
      for prefix in ("toc", "Indholdsfortegnelse", "Contents") for level in range(1, 10)),
    *(f"p[style-name='{name}'] => !" for name in ("TOC Heading", "Overskrift til indholdsfortegnelse",
                                                 "Contents Heading")),
    f"br[type='page'] => hr.{PAGE_BREAK_CLASS}",
    "comment-reference => !",
]
STYLE_MAP = "\n".join(_STYLE_MAP_LINES)
# Windows metafiles (WMF, EMF) and TIFF/BMP: Word shows them, a web page cannot; they are left out and noted
UNSHOWN_IMAGE = re.compile(rb"\A(?:\xd7\xcd\xc6\x9a|\x01\x00\x09\x00|\x02\x00\x09\x00|II\*\x00|MM\x00\*|BM"
                           rb"|\x01\x00\x00\x00.{36} EMF)", re.DOTALL)


@dataclass(frozen=True)
class ImportedDocument:
    """A converted Word document: the material's title and Markdown body (no front matter), its images, what was
    not carried over (Danish, for the user), the Word comments, and where a Word file for comments came from."""

    title: str
    body: str
    media: tuple[MediaFile, ...]
    notes: tuple[str, ...]
    comments: tuple[WordComment, ...]
    revision: str | None
    slug: str | None


def read_docx(data: bytes, filename: str) -> ImportedDocument:
    """Convert an uploaded .docx; Invalid (field "file") when the file is refused, naming it and what to do."""
    import mammoth  # only an import pays for it
    from bs4 import BeautifulSoup

    from toolkit.publishing.htmlmarkdown import to_markdown

    package = open_docx(data, filename)
    images = _Images(package.filename)
    try:
        result = mammoth.convert_to_html(io.BytesIO(package.data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(images.convert))
    except Invalid:
        raise
    except RecursionError:
        raise _too_deep(package.filename) from None
    except Exception as exc:  # mammoth raises many kinds on a damaged document
        raise refused(package.filename, f"kan ikke læses som Word-dokument ({type(exc).__name__}); åbn den i "
                                        "Word, gem den igen som .docx og prøv igen") from None
    try:
        soup = BeautifulSoup(result.value, "html.parser")
        prepared = prepare(soup)
        found = scan(package)
        title = _title(soup, prepared.titles, found.core_title, package.filename)
        body = _promote_headings(to_markdown(soup))
    except RecursionError:
        raise _too_deep(package.filename) from None
    if prepared.footnotes:
        body = body + "\n\n" + "\n\n".join(prepared.footnotes)
    properties = parse_custom_properties(package.parts.get("docProps/custom.xml", b""))
    return ImportedDocument(
        title=title, body=body.strip() + "\n" if body.strip() else "", media=tuple(images.files),
        notes=tuple(_notes(found, images, netkit_cover=prepared.netkit_cover)), comments=tuple(found.comments),
        revision=_property(properties, REVISION_PROPERTY), slug=_property(properties, SLUG_PROPERTY))


_HEADING_LINE = re.compile(r"^(#{2,6}) ", re.MULTILINE)


def _promote_headings(body: str) -> str:
    """Word's Heading 1 is the page's ## (its title is the page's h1); a document that spent its only Heading 1 on
    the title starts its sections at Heading 2 — lift them one level, so the page has its ## sections."""
    levels = {len(match.group(1)) for match in _HEADING_LINE.finditer(body)}
    if not levels or min(levels) == 2 or "```" in body:
        return body
    shift = min(levels) - 2
    return _HEADING_LINE.sub(lambda match: "#" * (len(match.group(1)) - shift) + " ", body)


class _Images:
    """mammoth's image callback: each picture checked as an upload, stored once, named billede-N."""

    def __init__(self, shown: str):
        self.shown = shown
        self.files: list[MediaFile] = []
        self.by_digest: dict[str, str] = {}
        self.without_alt = 0
        self.unshown = 0
        self.count = 0

    def convert(self, image) -> dict[str, str]:
        self.count += 1
        with image.open() as stream:
            data = stream.read()
        if sniff(data) is None and UNSHOWN_IMAGE.match(data):
            self.unshown += 1
            return {"src": ""}
        if not (image.alt_text or "").strip():
            self.without_alt += 1
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.by_digest:
            return {"src": f"media:{self.by_digest[digest]}"}
        if len(self.files) >= FILES_MAX:
            raise refused(self.shown, f"har over {FILES_MAX} forskellige billeder; højst {FILES_MAX} pr. materiale "
                                      "er tilladt — del dokumentet op i flere materialer og prøv igen")
        if looks_like_svg(data):
            raise refused(self.shown, f"indeholder en SVG-tegning (billede nr. {self.count}); SVG modtages ikke, "
                                      "fordi den kan indeholde programkode — gem tegningen som PNG, sæt den ind i "
                                      "Word i stedet, gem og prøv igen")
        try:
            checked = inspect_media(f"{IMAGE_STEM}-{len(self.files) + 1}", data)
        except Invalid as exc:
            reason = (exc.problems[0].message if exc.problems else str(exc)).split(";")[0].split(" — ")[0]
            kind = image.content_type or "ukendt type"
            raise refused(self.shown, f"indeholder et billede (nr. {self.count}, {kind}), der ikke kan bruges: det "
                                      f"{reason} — sæt billedet ind igen som PNG eller JPEG (Word: Indsæt › "
                                      "Billeder), gem og prøv igen") from None
        if not checked.is_image:
            raise refused(self.shown, f"indeholder en PDF, hvor der skulle være et billede (nr. {self.count}); "
                                      "indsæt billedet som PNG eller JPEG og prøv igen")
        name = unique_name(safe_name(checked.name, checked.type), {file.name for file in self.files})
        self.files.append(dataclasses.replace(checked, name=name))
        self.by_digest[digest] = name
        return {"src": f"media:{name}"}


def _title(soup, titles: list[str], core_title: str, filename: str) -> str:
    """The core property title, else the Title paragraph, else the first heading (taken out of the body), else
    the file's name. A Title paragraph or first heading that says the same as the chosen title goes."""
    headings = soup.find_all(["h2", "h3", "h4", "h5", "h6"], limit=1)
    first_heading = headings[0] if headings and headings[0].parent is soup else None
    first_text = " ".join(first_heading.get_text().split()) if first_heading is not None else ""
    title = core_title or (titles[0] if titles else "") or first_text
    if titles and titles[0] == title:
        paragraph = next((tag for tag in soup.find_all("p", recursive=False)
                          if " ".join(tag.get_text().split()) == title), None)
        if paragraph is not None:
            paragraph.decompose()
    elif first_heading is not None and first_text == title:
        first_heading.decompose()
    if not title:
        stem = PurePosixPath(filename).name.rsplit(".", 1)[0]
        title = " ".join(stem.replace("_", " ").split()) or "Uden titel"
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX - 1].rstrip() + "…"


def _notes(found: Scan, images: _Images, *, netkit_cover: bool) -> list[str]:
    notes = []

    def counted(number: int, one: str, many: str, after: str = "") -> None:
        if number:
            notes.append(f"{number} {one if number == 1 else many}{after}")

    counted(found.textboxes, "tekstboks", "tekstbokse", " (teksten står som almindelige afsnit)")
    if found.headers_footers and not netkit_cover:
        notes.append("sidehoved og sidefod")
    if found.toc:
        notes.append("indholdsfortegnelse (laves automatisk på siden)")
    counted(found.formulas, "formel", "formler")
    counted(found.diagrams, "diagram (SmartArt/diagram)", "diagrammer (SmartArt/diagram)")
    counted(found.objects, "indlejret objekt (fx et regneark)", "indlejrede objekter (fx regneark)")
    counted(images.unshown, "billede i et format, siden ikke kan vise (WMF/EMF/TIFF/BMP) — gem det som PNG og "
                            "indsæt det igen", "billeder i et format, siden ikke kan vise (WMF/EMF/TIFF/BMP) — gem "
                            "dem som PNG og indsæt dem igen")
    if found.tracked_changes:
        notes.append("sporede ændringer: indsættelser er taget med, sletninger er udeladt")
    if images.without_alt == 1:
        notes.append("1 billede uden alternativ tekst — skriv, hvad det viser")
    elif images.without_alt:
        notes.append(f"{images.without_alt} billeder uden alternativ tekst — skriv, hvad de viser")
    return notes


def _too_deep(shown: str) -> Invalid:
    # tables in tables in tables …: mammoth and the Markdown writer recurse, and no person writes that deep
    return refused(shown, "er bygget for dybt (tabeller eller lister inden i hinanden i mange lag); gem den igen "
                          "fra Word med en enklere opbygning og prøv igen")


def _property(properties: dict[str, str], name: str) -> str | None:
    value = properties.get(name, "").strip()
    return value or None

