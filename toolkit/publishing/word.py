"""Export one material to a Word document (.docx) in the house style of the bundled templates: the cover with
its facts (and a recommendation's recipients, decision, key points and signatories), the body, and the
document's core properties. The page and its styles are wordpage's; the body is written by wordbody.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from toolkit.documents.sandboxfilters import danish_date
from toolkit.documents.wordparts import ACCENT, MUTED, SOFT_FILL, set_widths, shade
from toolkit.errors import Invalid, Problem
from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.publishing.wordbody import write_body
from toolkit.publishing.wordmedia import MediaReader, library_media
from toolkit.publishing.wordpage import LANGUAGE_TAGS, TEXT_WIDTH_CM, clean, new_document, small
from toolkit.publishing.wordprops import write_custom_properties

LOGO_WIDTH, LOGO_MAX_HEIGHT = Cm(4), Cm(2.5)
LOGO_MAX_BYTES = 1024 * 1024
CORE_PROPERTY_MAX = 255  # python-docx (and Office) refuse longer core-property text
DEFAULT_NETWORK = "Netværket for AI på sundhedsdata"
REVISION_PROPERTY, SLUG_PROPERTY = "netkit-revision", "netkit-slug"  # what an upload of the file is read against


def material_docx(material: Material, library: Library, *, network_name: str = DEFAULT_NETWORK,
                  logo: Path | None = None, published: dt.date | None = None,
                  media: MediaReader | None = None) -> bytes:
    """The material as a Word file: a cover with its facts (and, for a recommendation, its recipients,
    decision, key points and signatories), then the body with its pictures; `published` is the date of the edition
    exported, `media` reads its images by name (default: the library's current files; an edition passes a reader
    at its revision). Raises Invalid for a bad logo."""
    logo_data = _read_logo(logo) if logo is not None else None
    document = new_document(material, network_name)
    _cover(document, material, library, network_name, logo, logo_data, published)
    write_body(document, library, material.body, library_media(library, material.slug) if media is None else media)
    _core_properties(document, material, library)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def material_docx_for_comments(material: Material, library: Library, *, revision: str,
                               network_name: str = DEFAULT_NETWORK, media: MediaReader | None = None,
                               today: dt.date | None = None) -> bytes:
    """"Hent som Word til kommentering": the same body under a one-line cover (no facts, no recommendation box:
    the co-author edits the text), carrying the slug and the revision it came from as custom document
    properties, so an upload of the edited file is merged against that revision."""
    document = new_document(material, network_name)
    document.add_paragraph(clean(material.title), style="Title")
    # The revision travels in the file's properties, not in front of the reader
    line = document.add_paragraph().add_run(f"Kladde til kommentering, hentet {danish_date(today or dt.date.today())}. "
                                            "Skriv ændringer og kommentarer direkte i filen, og indlæs den igen under "
                                            "Rediger › Skriv i Word.")
    line.font.size = Pt(10)
    line.font.color.rgb = MUTED
    write_body(document, library, material.body, library_media(library, material.slug) if media is None else media)
    _core_properties(document, material, library)
    buffer = io.BytesIO()
    document.save(buffer)
    return write_custom_properties(buffer.getvalue(), {SLUG_PROPERTY: material.slug, REVISION_PROPERTY: revision})


# -- the cover and the properties --------------------------------------------------------------------------


def _read_logo(logo: Path) -> bytes:
    """The logo's bytes, refused (Invalid, naming the file) unless it is a PNG or JPEG that can be read."""
    try:
        data = Path(logo).read_bytes()
    except OSError as exc:
        raise Invalid(f"{logo}: the logo cannot be read",
                      [Problem.at(logo, f"cannot be read: {exc.strerror or exc}")]) from None
    if len(data) > LOGO_MAX_BYTES:
        raise Invalid(f"{logo}: the logo is too large",
                      [Problem.at(logo, f"is {len(data) // 1024} KB; use an image under {LOGO_MAX_BYTES // 1024} KB")])
    if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        raise Invalid(f"{logo}: the logo is not a PNG or JPEG image",
                      [Problem.at(logo, "is not a PNG or JPEG image; give the logo as .png or .jpg")])
    return data


def _cover(document: DocumentObject, material: Material, library: Library, network_name: str,
           logo: Path | None, logo_data: bytes | None, published: dt.date | None) -> None:
    if logo is not None and logo_data is not None:
        _logo(document.add_paragraph(), logo, logo_data)
    small(document.add_paragraph().add_run(clean(network_name))).font.size = Pt(10)
    document.add_paragraph(clean(material.title), style="Title")
    summary = document.add_paragraph().add_run(clean(material.summary))
    summary.font.size = Pt(12)
    summary.font.color.rgb = MUTED
    _facts_table(document, _facts(material, library, published))
    _recommendation(document, material)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _recommendation(document: DocumentObject, material: Material) -> None:
    """A recommendation's cover: who it is for, the decision asked for, its key points, who stands behind it."""
    if material.recipients:
        _cover_label(document, "Til")
        for recipient in material.recipients:
            document.add_paragraph(clean(recipient), style="List Bullet")
    if material.decision_requested:
        _cover_label(document, "Beslutning der bedes om")
        document.add_paragraph(clean(material.decision_requested))
    if material.key_points:
        _cover_label(document, "Hovedpunkter")
        for point in material.key_points:
            document.add_paragraph(clean(point), style="List Number")
    if material.signatories:
        _cover_label(document, "Bag anbefalingen")
        for signatory in material.signatories:
            who = signatory.organisation + (f", {signatory.person}" if signatory.person else "")
            document.add_paragraph(clean(f"{who} – underskrevet {danish_date(signatory.signed)}"),
                                   style="List Bullet")


def _cover_label(document: DocumentObject, text: str) -> None:
    run = document.add_paragraph().add_run(text)
    run.bold = True
    run.font.color.rgb = ACCENT


def _logo(paragraph: Paragraph, logo: Path, data: bytes) -> None:
    try:
        picture = paragraph.add_run().add_picture(io.BytesIO(data), width=LOGO_WIDTH)
    except Exception as exc:  # python-docx raises several kinds on a damaged image header
        raise Invalid(f"{logo}: the logo cannot be read as an image",
                      [Problem.at(logo, f"is a damaged PNG or JPEG image ({type(exc).__name__})")]) from None
    if picture.height > LOGO_MAX_HEIGHT:  # a tall logo would push the title down the page
        picture.width = int(picture.width * LOGO_MAX_HEIGHT / picture.height)
        picture.height = LOGO_MAX_HEIGHT


def _facts(material: Material, library: Library, published: dt.date | None = None) -> list[tuple[str, str]]:
    taxonomy = library.taxonomy
    status = taxonomy.label("statuses", material.status)
    edition = (("Udgave", f"{material.version}, udgivet {danish_date(published)}") if published
               else ("Status og version", f"{status}, version {material.version}"))
    return [
        ("Type", taxonomy.label("kinds", material.kind)),
        edition,
        ("Opdateret", danish_date(material.updated)),
        ("Forfattere", ", ".join(material.authors)),
        ("Emner", ", ".join(taxonomy.label("topics", topic) for topic in material.topics)),
    ]


def _facts_table(document: DocumentObject, facts: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in facts:
        cells = table.add_row().cells
        shade(cells[0], SOFT_FILL)
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(clean(value))
    set_widths(table, [4.5, TEXT_WIDTH_CM - 4.5])


def _core_properties(document: DocumentObject, material: Material, library: Library) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # python-docx writes the value as UTC ("…Z")
    properties = document.core_properties
    properties.title = _fit(material.title)
    properties.author = _fit(", ".join(material.authors))
    properties.subject = _fit(material.summary)
    properties.keywords = _fit(", ".join(library.taxonomy.label("topics", t) for t in material.topics))
    properties.category = _fit(library.taxonomy.label("kinds", material.kind))
    properties.content_status = _fit(library.taxonomy.label("statuses", material.status))
    properties.version = _fit(material.version)
    properties.identifier = _fit(material.slug)
    properties.language = LANGUAGE_TAGS.get(material.language, material.language)
    properties.last_modified_by = "Netkit"
    properties.revision = 1
    properties.created = now
    properties.modified = now


def _fit(text: str) -> str:
    text = clean(text)
    return text if len(text) <= CORE_PROPERTY_MAX else text[:CORE_PROPERTY_MAX - 1] + "…"
