"""The inline Markdown of one Word paragraph (wordbody's blocks): runs with bold, italic and strike, inline code,
hard breaks, hyperlinks (web addresses, in-document anchors and [[wiki links]]), footnote marks, task
checkboxes, and the material's pictures (wordmedia; a link to an attachment names the file instead). Like the
web pages, the export never renders raw HTML: tags are dropped and their text content is kept. Links keep only
the schemes the web page would keep, and are quoted so Word accepts them.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from markdown_it.token import Token

from toolkit.library.render import URL_SCHEMES
from toolkit.publishing.wordmedia import add_picture, attachment_note, media_name
from toolkit.publishing.wordpage import TEXT_WIDTH_CM, clean

if TYPE_CHECKING:
    from toolkit.publishing.wordbody import BodyWriter

CHECKBOX = {True: "☒", False: "☐"}
# A raw HTML tag the parser left as text (html is off, as on the web); comments are cut by _strip_raw_html.
_RAW_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w:.-]*"
                      r"(?:\s*=\s*(?:[^\"'=<>`\s]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>")
_SPACES = re.compile(r" {2,}")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


class InlineWriter:
    """Writes the inline tokens of one paragraph as runs, hyperlinks and footnote marks."""

    def __init__(self, writer: BodyWriter, paragraph: Paragraph, *, bold: bool = False, size: Pt | None = None,
                 max_width_cm: float = TEXT_WIDTH_CM):
        self.writer = writer
        self.paragraph = paragraph
        self.size = size
        self.max_width_cm = max_width_cm  # a picture in a table cell fits the cell
        self.attachment: str | None = None  # the open link leads to this media file (which Word cannot hold)
        self.marks = {"bold": int(bold), "italic": 0, "strike": 0}
        self.link: BaseOxmlElement | None = None
        self.link_fallback = ""
        self.after_checkbox = False

    def write(self, tokens: list[Token]) -> None:
        for token in tokens:
            kind = token.type
            if kind in _MARKS:
                name, step = _MARKS[kind]
                self.marks[name] = max(self.marks[name] + step, 0)
            elif kind == "text":
                self.text(token.content)
            elif kind == "softbreak":
                self.run(" ")
            elif kind == "hardbreak":
                self.run("").add_break()
            elif kind == "code_inline":
                self.run(token.content, style="Inline Code")
            elif kind == "link_open":
                self.open_link(str(token.attrGet("href") or ""))
            elif kind == "link_close":
                self.close_link()
            elif kind == "wikilink":
                self.wikilink(token.meta or {})
            elif kind == "footnote_ref":
                self.footnote_ref(token.meta or {})
            elif kind == "html_inline":
                self.html(token.content)
            elif kind == "image":
                self.image(token)
            elif token.children:
                self.write(token.children)  # images (their alt text) and unknown containers
            elif token.content:
                self.run(token.content)

    def text(self, text: str) -> None:
        # As a browser shows it: without raw HTML, and spaces run together (Word would show every one).
        text = _SPACES.sub(" ", _strip_raw_html(text))
        if self.after_checkbox:  # the tab after the checkbox already parts it from the text
            text = text.lstrip()
            self.after_checkbox = not text
        if text:
            self.run(text)

    def run(self, text: str, *, style: str | None = None) -> Run:
        run = self.paragraph.add_run(clean(text))
        if style is not None or self.link is not None:
            run._r.style = self.writer.style_id(style or "Hyperlink")
        # Only what is on: python-docx adds run properties for every value set, even None.
        if self.marks["bold"]:
            run.bold = True
        if self.marks["italic"]:
            run.italic = True
        if self.marks["strike"]:
            run.font.strike = True
        if self.size is not None:
            run.font.size = self.size
        if self.link is not None:
            self.link.append(run._r)  # moved from the paragraph into the hyperlink
        return run

    def open_link(self, href: str) -> None:
        if self.link is not None:
            return  # Word cannot nest hyperlinks; the inner text joins the outer link
        if href.startswith("media:"):  # the material's own file: the text stays, the file is named after it
            self.attachment = media_name(href) or href.removeprefix("media:")
            return
        if href.startswith("#"):
            name = self.writer.bookmarks.get(urllib.parse.unquote(href[1:]))
            self.link = self.hyperlink(anchor=name) if name else None
        elif _allowed_url(href):
            self.link = self.hyperlink(url=href)
        self.link_fallback = href

    def close_link(self) -> None:
        if self.attachment is not None:
            self.run(attachment_note(self.attachment))
            self.attachment = None
        if self.link is not None and self.link.find(qn("w:r")) is None:
            self.run(self.link_fallback)  # [](url): show the address rather than an invisible link
        self.link = None

    def hyperlink(self, *, url: str | None = None, anchor: str | None = None) -> BaseOxmlElement:
        element = OxmlElement("w:hyperlink")
        if url is not None:
            part = self.paragraph.part
            element.set(qn("r:id"), part.relate_to(_safe_url(url), RT.HYPERLINK, is_external=True))
        if anchor is not None:
            element.set(qn("w:anchor"), anchor)
        element.set(qn("w:history"), "1")
        self.paragraph._p.append(element)
        return element

    def image(self, token: Token) -> None:
        """![alt](media:name): the picture, or its alt text in brackets when the file is missing or unreadable
        (the renderer's own rule has already turned images from elsewhere into links)."""
        alt = "".join(child.content for child in token.children or ()) or token.content
        name = media_name(str(token.attrGet("src") or ""))
        data = self.writer.media(name) if name is not None and self.writer.media is not None else None
        if data is None or not add_picture(self.run(""), data, alt, max_width_cm=self.max_width_cm):
            self.run(f"[{alt}]" if alt else f"[{name or 'billede'}]")

    def wikilink(self, meta: dict) -> None:
        """[[slug]], [[slug#anchor]], [[slug|text]] as render.py shows them: the target's title, or plain
        text when the target is no material."""
        targets = self.writer.library.targets
        target = str(meta.get("target") or "")
        title = targets.titles.get(target)
        label = str(meta.get("label") or title or target)
        if title is None or self.link is not None:
            self.run(label)
            return
        anchor = meta.get("anchor")
        self.link = self.hyperlink(url=targets.href(target) + (f"#{anchor}" if anchor else ""))
        self.run(label)
        self.link = None

    def footnote_ref(self, meta: dict) -> None:
        note_id = meta.get("id")
        number = note_id + 1 if isinstance(note_id, int) else 0
        if self.link is None:
            self.link = self.hyperlink(anchor=f"_fn{number}")
            self.run(str(number)).font.superscript = True
            self.link = None
        else:
            self.run(str(number)).font.superscript = True

    def html(self, content: str) -> None:
        if "task-list-item-checkbox" in content:  # the tasklists plugin's checkbox, the only HTML we keep
            self.run(CHECKBOX["checked" in content] + "\t")
            self.after_checkbox = True
        elif text := html_text(content):
            self.run(text)


_MARKS = {
    "strong_open": ("bold", 1), "strong_close": ("bold", -1),
    "em_open": ("italic", 1), "em_close": ("italic", -1),
    "s_open": ("strike", 1), "s_close": ("strike", -1),
}


def _allowed_url(href: str) -> bool:
    """Links the web page would keep (render.URL_SCHEMES, or relative addresses); others stay text."""
    scheme = _SCHEME.match(href)
    return bool(href) and (scheme is None or scheme[1].lower() in URL_SCHEMES)


def _safe_url(url: str) -> str:
    # Word refuses to open a file whose hyperlink target is not a valid URI (spaces, non-ASCII letters).
    return urllib.parse.quote(clean(url), safe=":/?#[]@!$&'()*+,;=%~")


def _strip_raw_html(text: str) -> str:
    """Text without HTML tags and comments, keeping what is between the tags."""
    if "<" not in text:
        return text
    kept, position = [], 0
    # Comments by str.find, not a regular expression: many unclosed "<!--" would make one quadratic.
    while (start := text.find("<!--", position)) != -1 and (end := text.find("-->", start + 4)) != -1:
        kept.append(text[position:start])
        position = end + 3
    kept.append(text[position:])
    return _RAW_TAG.sub("", "".join(kept))


def html_text(fragment: str) -> str:
    """The text of an HTML fragment: tags and comments dropped, entities read."""
    return clean(html.unescape(_strip_raw_html(fragment)))
