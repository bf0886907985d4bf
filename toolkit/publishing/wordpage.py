"""The blank Word page in the house style, before anything is written on it: A4 with its margins, the house
styles (with the code, inline code, quote and hyperlink styles the body uses), the proofing language, the
running header and the footer with page numbers; and the two low-level helpers every Word writer here needs,
text XML can hold and properties in <w:pPr>'s schema order.
"""

from __future__ import annotations

import re

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from toolkit.documents.wordparts import ACCENT, MUTED, SOFT_FILL, add_field, house_styles, shading
from toolkit.library.materials import Material

CODE_FONT = "Consolas"
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, SIDE_MARGIN_CM = 21.0, 29.7, 2.3  # A4: the paper Danish readers print on
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * SIDE_MARGIN_CM
LANGUAGE_TAGS = {"da": "da-DK", "en": "en-GB"}
# Characters XML 1.0 cannot hold; lxml refuses them, so they are dropped rather than failing the export.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The children of <w:pPr> in schema order, from the paragraph border on.
_PPR_ORDER = ("pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
              "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
              "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment",
              "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")


def new_document(material: Material, network_name: str) -> DocumentObject:
    """An empty A4 document in the house styles and the material's language, with its header and footer."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    section.left_margin = section.right_margin = Cm(SIDE_MARGIN_CM)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
    _house_styles(document, LANGUAGE_TAGS.get(material.language, "da-DK"))
    # The cover carries the title in large type, so its page gets no running header, only the footer.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header of its own, not the running one
    _header(section.header.paragraphs[0], f"{material.title} · version {material.version}")
    _footer(section.footer.paragraphs[0], network_name)
    _footer(section.first_page_footer.paragraphs[0], network_name)
    return document


def _house_styles(document: DocumentObject, language: str) -> None:
    styles = document.styles
    house_styles(styles)
    normal = styles["Normal"]
    quote = styles["Quote"]
    quote.font.italic = True
    quote.font.color.rgb = MUTED
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.8)
    code = styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style = normal
    code.font.name = CODE_FONT
    code.font.size = Pt(9)
    code.paragraph_format.line_spacing = 1.0
    code.paragraph_format.left_indent = Cm(0.3)
    add_to_ppr(code.element.get_or_add_pPr(), shading(SOFT_FILL))
    inline_code = styles.add_style("Inline Code", WD_STYLE_TYPE.CHARACTER)
    inline_code.font.name = CODE_FONT
    inline_code.font.size = Pt(9.5)
    # Word's built-in link style, missing from python-docx's template; builtin, so Word does not rename it.
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.font.color.rgb = ACCENT
    link.font.underline = True
    _set_language(document, language)


def _set_language(document: DocumentObject, language: str) -> None:
    """The proofing language of every run, so Word spell-checks Danish text as Danish."""
    r_pr = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is None:  # not in python-docx's own template, but a proofing language on Normal does as well
        r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def _header(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    small(paragraph.add_run(clean(text)))


def _footer(paragraph: Paragraph, network_name: str) -> None:
    small(paragraph.add_run(f"{clean(network_name)} · Side "))
    _field(paragraph, "PAGE")
    small(paragraph.add_run(" af "))
    _field(paragraph, "NUMPAGES")


def small(run: Run) -> Run:
    """The run in the small, muted type of the header and footer."""
    run.font.size = Pt(8)
    run.font.color.rgb = MUTED
    return run


def _field(paragraph: Paragraph, instruction: str) -> None:
    add_field(paragraph, instruction, small)  # each part in a small run: the number as large as the footer text


def add_to_ppr(p_pr: BaseOxmlElement, element: BaseOxmlElement) -> None:
    """Insert a border or shading where the schema wants it in <w:pPr>; Word rejects elements out of order."""
    tag = element.tag.split("}")[1]
    successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1:]
    p_pr.insert_element_before(element, *(f"w:{name}" for name in successors))


def clean(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)
