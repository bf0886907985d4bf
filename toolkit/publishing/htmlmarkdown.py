"""mammoth's HTML of a Word document → the Markdown this project's renderer reads (toolkit.library.render:
CommonMark, GFM pipe tables, footnotes, [[wiki links]]).

markdownify does the walking; this subclass decides what the output may hold: ATX headings, "-" bullets and
"1." numbers indented as CommonMark nests them, pipe tables with the first row as header (pipes escaped, a cell's
paragraphs joined), links to http/https/mailto only (an internal anchor keeps its text, a link to a Netkit page
/m/<slug>/ becomes [[slug|text]]), images only as media:name, footnote marks as [^N]. No raw HTML passes: text is
escaped where Markdown would read it as markup, and only there ("1. januar" at a line's start, not "side 3-4").
"""

from __future__ import annotations

import re
import urllib.parse

from bs4 import BeautifulSoup, NavigableString, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter

NOTE_MARK = re.compile("\ue000(\\d+)\ue001")  # a footnote mark placed by wordnotes, read back as [^N]
TASK_OPEN, TASK_DONE = "\ue002", "\ue003"     # a Netkit export's task checkbox (☐ / ☒), read back as [ ] / [x]
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote", "pre", "div", "dd", "dt",
          "ul", "ol", "table", "[document]"}
ALLOWED_LINK = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
PAGE_LINK = re.compile(r"/m/([a-z0-9][a-z0-9-]{0,99})/(?:#([\w-]{1,100}))?\Z")
CELL_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
TABLE_SPAN_MAX = 50

_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")      # a backslash that would escape the next character
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # "_" except between two letters or digits
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(?P<lead>[ \t]*)(?:(?P<hashes>#{1,6})(?=[ \t]|$)|(?P<bullet>[-+])(?=[ \t]|$)"
                         r"|(?P<number>\d{1,9})(?P<dot>[.)])(?=[ \t]|$)|(?P<quote>>)|(?P<rule>(?:=+|-+)[ \t]*$)"
                         r"|(?P<fence>~~~))")
_CLOSING_BRACKET = re.compile(r"(?<!\\)\]")  # a "]" in link text would end it early
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
# Inside these a line's start is no block marker: code, and a heading's text after its "## "
_NO_LINE_START = {"pre", "_noformat", "h1", "h2", "h3", "h4", "h5", "h6"}


def escape_text(text: str) -> str:
    """Plain text made safe inside Markdown: only what could start markup is escaped."""
    if "\\" in text:
        text = _BACKSLASH.sub(r"\\\\", text)
    text = text.replace("*", r"\*").replace("`", r"\`").replace("[", r"\[")
    if "_" in text:
        text = _UNDERSCORE.sub(r"\_", text)
    if "<" in text:
        text = _TAG_START.sub(r"\<", text)
    if "&" in text:
        text = _ENTITY.sub(r"\&", text)
    return text.replace("~~", r"\~\~")


def escape_line_start(text: str) -> str:
    """Text that begins a line, escaped where it would start a heading, list, quote, rule or fence."""
    match = _LINE_START.match(text)
    if match is None:
        return text
    lead = match["lead"]
    rest = text[match.end("lead"):]
    if match["number"]:
        return f"{lead}{match['number']}\\{rest[len(match['number']):]}"
    return f"{lead}\\{rest}"


class WordMarkdown(MarkdownConverter):
    """The converter for mammoth's HTML; see the module's docstring for what it writes."""

    class Options(MarkdownConverter.DefaultOptions):
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        newline_style = BACKSLASH
        escape_asterisks = False  # escape() below does all escaping, and only where it is needed
        escape_underscores = False
        escape_misc = False

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        if node.name == "table":  # written whole from its cells, not from the children's joined text
            return self.convert_table(node, "", parent_tags or set())
        return super().process_tag(node, parent_tags)

    def escape(self, text: str, parent_tags: set[str]) -> str:
        return escape_text(text) if text else ""

    def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
        text = super().process_text(el, parent_tags)
        parent_tags = parent_tags or set()
        if text and not parent_tags & _NO_LINE_START and _starts_line(el):
            text = escape_line_start(text.lstrip(" \t"))
        return text

    # -- inline --

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        href = str(el.get("href") or "").strip()
        if not text.strip():
            return ""
        if page := PAGE_LINK.match(href):
            label = " ".join(el.get_text().split())
            if label and not re.search(r"[\[\]|\\]", label):
                target = page[1] + (f"#{page[2]}" if page[2] else "")
                return f"[[{target}]]" if label == page[1] else f"[[{target}|{label}]]"
            return text
        if not ALLOWED_LINK.match(href) or "_noformat" in parent_tags:
            return text  # an internal anchor, a file path, javascript: … keep the words, drop the link
        destination = urllib.parse.quote(href, safe=":/?#@!$&'*+,;=%~-._")
        plain = el.get_text()
        if plain == href and href.lower().startswith(("http://", "https://")):
            return f"<{destination}>"
        prefix, suffix = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        label = text.strip() if el.find("img") else _CLOSING_BRACKET.sub(r"\\]", text.strip())
        return f"{prefix}[{label}]({destination}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        src = str(el.get("src") or "")
        if not src.startswith("media:"):
            return ""  # only the material's own files; wordimport noted what was left out
        alt = " ".join(str(el.get("alt") or "").split())
        alt = escape_text(alt).replace("]", r"\]")
        return f"![{alt}]({src})"

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "pre" in parent_tags:
            return "\n"
        return super().convert_br(el, text, parent_tags)

    def convert_sup(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text  # the renderer has no superscript; a footnote mark was made [^N] before this

    convert_sub = convert_sup

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""  # only page breaks (br[type='page']) become <hr> in mammoth's HTML

    # -- blocks --

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = " ".join(text.replace("\\\n", " ").split())
        if not text:
            return ""
        if "_inline" in parent_tags:
            return text
        text = _CLOSING_HASHES.sub(r"\1\\\2", text)  # "Pris i #" would lose its " #" as a closing sequence
        return f"\n\n{'#' * min(max(n, 1), 6)} {text}\n\n"

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        for line_break in el.find_all("br"):
            line_break.replace_with("\n")
        code = el.get_text().replace("\r\n", "\n").strip("\n")
        if not code.strip():
            return ""
        runs = [len(run) for run in re.findall(r"`{3,}", code)]
        fence = "`" * max([3, *(run + 1 for run in runs)])
        return f"\n\n{fence}\n{code}\n{fence}\n\n"

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        rows = _grid(el, lambda cell: self.cell(cell, parent_tags))
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        header = [_unbold(cell) for cell in rows[0]]
        lines = [_row(header), _row(["---"] * width), *(_row(row) for row in rows[1:])]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def cell(self, cell: Tag, parent_tags: set[str]) -> str:
        """One table cell as a single line: its paragraphs joined by a space, a list's items by "; "."""
        markdown = self.process_tag(cell, parent_tags=parent_tags | {"_cell"})
        parts, items = [], []
        for line in (line.strip() for line in markdown.replace("\\\n", "\n").split("\n")):
            if not line:
                continue
            if CELL_LIST_MARK.match(line):
                items.append(CELL_LIST_MARK.sub("", line))
                continue
            if items:
                parts.append("; ".join(items))
                items = []
            parts.append(line)
        if items:
            parts.append("; ".join(items))
        return re.sub(r"[ \t]{2,}", " ", " ".join(parts)).replace("|", r"\|")

    def convert_td(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text  # tables are written whole by convert_table

    convert_th = convert_td

    def convert_tr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return text


def to_markdown(soup: BeautifulSoup | Tag) -> str:
    """Markdown of a prepared soup (or part of one): the footnote marks and task boxes put back."""
    markdown = WordMarkdown().convert_soup(soup)
    markdown = NOTE_MARK.sub(r"[^\1]", markdown)
    markdown = markdown.replace(TASK_OPEN, "[ ] ").replace(TASK_DONE, "[x] ")
    return re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")


def _starts_line(node: NavigableString | Tag) -> bool:
    """Whether this text comes first on a line of its block: nothing but inline wrappers before it in its
    block, or a hard line break right before it."""
    while True:
        previous = node.previous_sibling
        while isinstance(previous, NavigableString) and not previous.strip():
            previous = previous.previous_sibling
        if previous is not None:
            return isinstance(previous, Tag) and (previous.name == "br" or previous.name in BLOCKS)
        parent = node.parent
        if parent is None or parent.name in BLOCKS:
            return True
        node = parent


def _grid(table: Tag, convert) -> list[list[str]]:
    """The table's rows as cells, colspans and rowspans filled with empty cells so every row lines up."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column → rows a rowspan still covers
    for tr in (tr for tr in table.find_all("tr") if tr.find_parent("table") is table):
        row: list[str] = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            _fill_spans(row, pending)
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            if rowspan > 1:
                for column in range(len(row), len(row) + colspan):
                    pending[column] = rowspan - 1
            row.append(convert(cell))
            row.extend([""] * (colspan - 1))
        _fill_spans(row, pending)
        rows.append(row)
    return rows


def _fill_spans(row: list[str], pending: dict[int, int]) -> None:
    while pending.get(len(row), 0) > 0:
        pending[len(row)] -= 1
        row.append("")


def _span(value: object) -> int:
    text = str(value or "1")
    return min(max(int(text), 1), TABLE_SPAN_MAX) if text.isdigit() else 1


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _unbold(cell: str) -> str:
    """A header cell written bold in Word ("**Rute**") is a header already: the marks go."""
    if cell.startswith("**") and cell.endswith("**") and len(cell) > 4 and "**" not in cell[2:-2]:
        return cell[2:-2]
    return cell
