"""Answers printed by docxtpl's `{{r x}}` (a whole run) and `{{p x}}` (a whole paragraph), so none is lost.

docxtpl moves such a tag out of its run (or paragraph) before Jinja runs: a plain string printed there lands
between runs and Word drops it. A docxtpl script would pass a RichText / RichTextParagraph; Netkit's answers
are plain values, so `RichDocxTemplate` rewrites `{{r x}}` to `{{r (x)|docxtpl_r }}` (and `{{p …}}` likewise)
and the filters turn the value into runs: XML-escaped, line breaks and tabs kept, and a small safe subset of
Markdown — **bold**, *italic* (or _italic_) and [links](https://…) to http(s) and mailto addresses only.
A `{{p x}}` answer with blank lines becomes several paragraphs.

It also renders the footnotes part once: docxtpl renders it once per section, so with two sections an answer
that looks like a tag would be evaluated as one in the second pass.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

from docxtpl import DocxTemplate, InlineImage, RichText, RichTextParagraph
from jinja2 import Environment
from markupsafe import Markup

HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# As docxtpl's patch_xml: the text of a tag split over runs is joined first, then the prefixed outputs rewritten.
_SPLIT_BRACES = re.compile(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", re.DOTALL)
_TAG_TEXT = re.compile(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*", re.DOTALL)
# **bold**, *italic* or _italic_ (not touching spaces inside, so "2 * 3 * 4" and snake_case stay as they are),
# [label](https://…): the only markup an answer can carry.
_INLINE = re.compile(r"\*\*(?P<bold>[^*\s](?:[^*\n]*?[^*\s])?)\*\*"
                     r"|(?<![\w*])(?P<mark>[*_])(?P<italic>[^*_\s](?:[^*_\n]*?[^*_\s])?)(?P=mark)(?![\w*])"
                     r"|\[(?P<label>[^\]\n]+)\]\((?P<url>(?:https?://|mailto:)[^\s)]+)\)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# One run or paragraph that holds no other (a paragraph holding a text box is left alone; its box's are not).
_RUN = re.compile(r"<w:r(?: [^>]*)?>(?:(?!<w:r[ >]|</w:r>).)*</w:r>", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>(?:(?!<w:p[ >]|</w:p>).)*</w:p>", re.DOTALL)
_LEFT_OVER = re.compile(r"\{\{(-?)(r|p)\s+((?:(?!\}\}).)*?)\s*(-?)\}\}", re.DOTALL)
_RUN_START = re.compile(r"<w:r[ >]")
_RPR = re.compile(r"<w:r(?: [^>]*)?>\s*<w:rPr>((?:(?!</w:rPr>).)*)</w:rPr>", re.DOTALL)
_PPR = re.compile(r"<w:p(?: [^>]*)?>\s*<w:pPr>((?:(?!</w:pPr>).)*)</w:pPr>", re.DOTALL)
_SECTION = re.compile(r"<w:sectPr[ >].*?</w:sectPr>|<w:sectPr/>", re.DOTALL)
# The elements of run properties one level deep: empty (<w:b/>) or with content (<w:rFonts …>…</w:rFonts>).
_ELEMENT = re.compile(r"<w:([A-Za-z]+)\b[^>]*/>|<w:([A-Za-z]+)\b[^>]*>.*?</w:\2>", re.DOTALL)
RPR_ORDER = {name: n for n, name in enumerate((
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss",
    "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz",
    "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath", "rPrChange"))}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class RichDocxTemplate(DocxTemplate):
    """docxtpl's DocxTemplate, with `{{r}}`/`{{p}}` answers turned into runs and paragraphs."""

    def __init__(self, template_file: Any) -> None:
        super().__init__(template_file)
        self._formats: list[tuple[str, str]] = []  # (paragraph, run) properties of each rewritten tag

    def patch_xml(self, src_xml: str) -> str:
        src_xml = _SPLIT_BRACES.sub("", src_xml)
        src_xml = _TAG_TEXT.sub(lambda m: re.sub("</w:t>.*?(<w:t>|<w:t [^>]*>)", "", m.group(0), flags=re.DOTALL),
                                src_xml)
        src_xml = _PARAGRAPH.sub(self._keep_format, src_xml)  # {{p}} first: its run's format is read there
        src_xml = _RUN.sub(self._keep_format, src_xml)
        src_xml = _LEFT_OVER.sub(lambda m: m[0] if "|docxtpl_" in m[3] else  # e.g. {{p}} beside a text box
                                 f"{{{{{m[1]}{m[2]} ({m[3]})|docxtpl_{m[2]} {m[4]}}}}}", src_xml)
        return super().patch_xml(src_xml)

    def _keep_format(self, match: re.Match) -> str:
        """Rewrite the `{{r}}`/`{{p}}` tags of one run or paragraph to call the filters with the number of its
        formatting (run properties; for a paragraph also its paragraph properties), which docxtpl would drop."""
        xml = match.group(0)
        kind = "p" if xml.startswith("<w:p") else "r"
        if f"{{{{{kind} " not in xml and f"{{{{-{kind} " not in xml and f"{{{{{kind}\t" not in xml:
            return xml
        paragraph = _PPR.match(xml) if kind == "p" else None
        starts = [m.start() for m in _RUN_START.finditer(xml, 0, xml.find("{{"))] if kind == "p" else [0]
        run = _RPR.match(xml, starts[-1]) if starts else None  # the run that holds the tag
        self._formats.append((paragraph[1] if paragraph else "", run[1] if run else ""))
        number = len(self._formats) - 1
        return re.sub(r"\{\{(-?)" + kind + r"\s+((?:(?!\}\}).)*?)\s*(-?)\}\}",
                      lambda m: f"{{{{{m[1]}{kind} ({m[2]})|docxtpl_{kind}({number}) {m[3]}}}}}", xml, flags=re.DOTALL)

    def render_footnotes(self, context: dict[str, Any], jinja_env: Environment | None = None) -> None:
        done = set()
        for part in self.docx.part.package.iter_parts():
            if part.content_type.endswith("wordprocessingml.footnotes+xml") and id(part) not in done:
                done.add(id(part))
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                part._blob = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env).encode("utf-8")

    def rich_environment(self, env: Environment) -> Environment:
        """`env` with the filters the rewritten tags call."""
        def formats(number: int) -> tuple[str, str]:
            return self._formats[number] if 0 <= number < len(self._formats) else ("", "")

        env.filters["docxtpl_r"] = lambda value, number=-1: Markup(as_runs(value, self._link, formats(number)[1]))
        env.filters["docxtpl_p"] = lambda value, number=-1: Markup(as_paragraphs(value, self._link, *formats(number)))
        return env

    def _link(self, url: str) -> str:
        """A relationship id for `url` in the part being rendered (body, header, footer or footnotes)."""
        part = getattr(self, "current_rendering_part", None) or self.docx.part
        return part.relate_to(url, HYPERLINK_REL, is_external=True)


def as_runs(value: Any, link: Any = None, run_format: str = "") -> str:
    """The WordprocessingML runs (<w:r>…) for a value printed by `{{r x}}`, in the format of the tag's run."""
    if isinstance(value, RichText):
        return value.xml
    if value is None:
        return ""
    if isinstance(value, InlineImage):  # it closes and reopens a run around the picture: give it one
        return f"<w:r><w:t>{value.__html__()}</w:t></w:r>"
    if hasattr(value, "__html__") and not isinstance(value, str):  # docxtpl objects that render themselves
        return str(value.__html__())
    return "".join(_runs(str(value), link, run_format))


def as_paragraphs(value: Any, link: Any = None, paragraph_format: str = "", run_format: str = "") -> str:
    """The paragraphs (<w:p>…) for a value printed by `{{p x}}`, in the format of the tag's paragraph and run;
    blank lines separate paragraphs. A section break the tag's paragraph carried stays on the last one."""
    section = _SECTION.search(paragraph_format)
    paragraph_format = _SECTION.sub("", paragraph_format)
    if isinstance(value, RichTextParagraph):
        return value.xml
    if isinstance(value, RichText | InlineImage):
        value_xml = [as_runs(value)]
    elif hasattr(value, "__html__") and not isinstance(value, str):
        return str(value.__html__())
    else:
        text = "" if value is None else str(value)
        value_xml = ["".join(_runs(block, link, run_format)) for block in _PARAGRAPH_BREAK.split(text)]
    last = len(value_xml) - 1
    return "".join(f"<w:p><w:pPr>{paragraph_format}{section[0] if section and n == last else ''}</w:pPr>{runs}</w:p>"
                   if paragraph_format or (section and n == last) else f"<w:p>{runs}</w:p>"
                   for n, runs in enumerate(value_xml))


def _runs(text: str, link: Any, base: str = "") -> list[str]:
    runs = []
    position = 0
    for match in _INLINE.finditer(text):
        runs.append(_run(text[position:match.start()], base))
        if match["bold"] is not None:
            runs.append(_run(match["bold"], merged_format(base, ["<w:b/>", "<w:bCs/>"])))
        elif match["italic"] is not None:
            runs.append(_run(match["italic"], merged_format(base, ["<w:i/>", "<w:iCs/>"])))
        elif link is None:
            runs.append(_run(f"{match['label']} ({match['url']})", base))
        else:
            look = merged_format(base, ['<w:color w:val="0563C1"/>', '<w:u w:val="single"/>'])
            runs.append(f'<w:hyperlink xmlns:r="{R_NAMESPACE}" r:id="{link(match["url"])}">'  # any part may lack r:
                        f'{_run(match["label"], look)}</w:hyperlink>')
        position = match.end()
    runs.append(_run(text[position:], base))
    return [run for run in runs if run]


def _run(text: str, properties: str = "") -> str:
    """One run: escaped text, a <w:br/> for each line break and a <w:tab/> for each tab."""
    if not text:
        return ""
    pieces = []
    for number, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        if number:
            pieces.append("<w:br/>")
        for index, chunk in enumerate(line.split("\t")):
            if index:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def merged_format(base: str, extra: list[str]) -> str:
    """Run properties `base` with the `extra` elements added (replacing ones of the same name), in the order
    WordprocessingML's schema requires."""
    present = [m.group(0) for m in _ELEMENT.finditer(base)]
    elements = {_name(e): e for e in present}
    unknown = [e for e in present if _name(e) not in RPR_ORDER]
    for element in extra:
        elements[_name(element)] = element
    known = sorted((e for name, e in elements.items() if name in RPR_ORDER), key=lambda e: RPR_ORDER[_name(e)])
    return "".join(known + unknown)


def _name(element: str) -> str:
    return re.match(r"<w:([A-Za-z]+)", element)[1]
