"""Markdown → safe HTML: markdown-it-py with tables, footnotes, task lists, heading ids and [[wiki links]].

Every page of HTML passes nh3's allow-list, whatever the Markdown held. Rendering is cached by a hash of
the body and of the link targets it may resolve against, so a page is rendered once per content change; the
cache is bounded by the bytes it holds, not only by its number of pages.
"""

from __future__ import annotations

import hashlib
import html
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

# [[slug]], [[slug#anchor]], [[slug|text]]; inside a table cell the pipe is escaped: [[slug\|text]].
WIKILINK_RE = re.compile(r"\[\[([^\[\]|#\n\\]+)(?:#([^\[\]|\n\\]+))?(?:\\?\|([^\[\]\n]+))?\]\]")
TOC_LEVELS = ("h2", "h3")
ID_LEVELS = ("h2", "h3", "h4")  # the headings that get an id (an anchor for [[slug#anchor]] and the TOC)
# A material may have at most this many headings (checked when it is saved); past it the renderer gives no
# more ids, so a longer file already on disk costs no more than plain text.
HEADINGS_MAX = 500
_NOT_NEWLINE = re.compile(r"[^\n]")
# Fenced code blocks (``` or ~~~ up to the matching fence or the end).
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_BACKTICKS_RE = re.compile(r"`+")
# What may stand before a heading's marks on its line: indentation, block quote marks, list item markers.
_CONTAINERS = r"^(?:(?:[-*+]|\d{1,9}[.)])[ \t]|[ \t>])*+"
# An ATX heading line (## Title), or a non-blank line underlined by === or --- (a setext heading).
_HEADING_RE = re.compile(_CONTAINERS + r"#{1,6}(?:[ \t]|$)|^[^\S\n]*+\S[^\n]*+\n(?=" + _CONTAINERS
                         + r"(?:=+|-+)[ \t]*$)", re.MULTILINE)
_SLUG_DROP = re.compile(r"[^\w\u4e00-\u9fff\- ]")
CACHE_BYTES = 64 * 1024 * 1024

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "div", "img", "input", "label", "li", "ol", "p", "pre", "s", "section", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "loading"},
    "input": {"type", "checked", "disabled"},
    "ol": {"start"},
    "span": {"title"},
    # The only div is a table's scroll box (TABLE_BOX): a named region in the tab order, so keyboard users reach
    # what is off to the side (WCAG 2.1.1); sanitize() fixes its role and tabindex whatever the input said.
    "div": {"role", "tabindex", "aria-label"},
}
_DIV_VALUES = {"div": {"role": "region", "tabindex": "0"}}
TABLE_BOX = '<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
TABLE_LABEL = "Tabel"  # the region's name, before the header row's text (the library's language)
TABLE_LABEL_MAX = 80
URL_SCHEMES = {"http", "https", "mailto", "media"}  # media:name is resolved per page (toolkit.library.media)


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class WikiLink:
    target: str
    anchor: str | None
    line: int  # 1-based line within the body


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]


class LinkTargets:
    """The materials a [[link]] may point at: slug → title, plus how to build their URLs."""

    def __init__(self, titles: Mapping[str, str], href_pattern: str = "/m/{slug}/"):
        self.titles = dict(titles)
        self.href_pattern = href_pattern
        digest = hashlib.sha256(href_pattern.encode())
        for slug in sorted(self.titles):
            digest.update(f"\0{slug}\0{self.titles[slug]}".encode())
        self.fingerprint = digest.hexdigest()

    def href(self, slug: str) -> str:
        return self.href_pattern.format(slug=slug)


def sanitize(fragment: str) -> str:
    """Clean any HTML fragment through the allow-list (also for HTML from other sources)."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", set_tag_attribute_values=_DIV_VALUES)


class SizedCache:
    """A least-recently-used cache bounded by the bytes its values hold as well as by their number.

    A count alone does not bound memory when one value may be megabytes (a rendered 1 MB material); a value
    larger than `entry_bytes` is not kept at all, so a few huge ones cannot push out every ordinary page."""

    def __init__(self, max_bytes: int, max_entries: int, size_of: Callable[[Any], int], entry_bytes: int = 0):
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self.entry_bytes = entry_bytes or max_bytes // 8
        self.bytes = 0
        self._size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: Any, key_bytes: int = 0) -> None:
        size = self._size_of(value) + key_bytes
        if size > self.entry_bytes:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.bytes -= previous[1]
            self._entries[key] = (value, size)
            self.bytes += size
            while self.bytes > self.max_bytes or len(self._entries) > self.max_entries:
                self.bytes -= self._entries.popitem(last=False)[1][1]


class Renderer:
    """Renders Markdown bodies to sanitised HTML, with an in-process LRU cache keyed by content hash.

    The cache holds at most `cache_size` pages and `cache_bytes` of HTML (a page over an eighth of that is
    rendered every time); `render(..., cache=False)` is for one-off texts such as an editor's preview."""

    def __init__(self, cache_size: int = 2048, cache_bytes: int = CACHE_BYTES):
        self._md = _make_markdown()
        self._cache = SizedCache(cache_bytes, cache_size, _rendered_bytes)
        self.hits = 0
        self.misses = 0

    @property
    def cached_bytes(self) -> int:
        """The estimated bytes of the pages in the cache."""
        return self._cache.bytes

    @property
    def cached_pages(self) -> int:
        return len(self._cache)

    def render(self, body: str, targets: LinkTargets, cache: bool = True) -> Rendered:
        if not cache:
            return self.render_uncached(body, targets)
        key = hashlib.sha256(f"{targets.fingerprint}\0{body}".encode()).hexdigest()
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        rendered = self.render_uncached(body, targets)
        self.misses += 1
        self._cache.put(key, rendered)
        return rendered

    def render_uncached(self, body: str, targets: LinkTargets) -> Rendered:
        env: dict[str, Any] = {"targets": targets}
        tokens = self._md.parse(body, env)
        _alignment_to_classes(tokens)
        raw = self._md.renderer.render(tokens, self._md.options, env)
        return Rendered(html=sanitize(raw), toc=tuple(_toc(tokens)))


def _rendered_bytes(rendered: Rendered) -> int:
    """The memory a rendered page holds, near enough: its HTML and its table of contents."""
    return sys.getsizeof(rendered.html) + sum(sys.getsizeof(entry.anchor) + sys.getsizeof(entry.text) + 100
                                              for entry in rendered.toc)


def count_headings(body: str) -> int:
    """How many headings a Markdown body has (any level, ATX or setext, also in lists and block quotes).

    One regular-expression scan (no Markdown parse), so it is cheap enough for every material check. It
    skips fenced code and may count a few lines that are no heading (in indented code, or a `---` under a
    heading), never fewer than there are, so a body it accepts renders every heading with its id."""
    visible = _FENCE_RE.sub(_blank, body) if "```" in body or "~~~" in body else body
    return sum(1 for _ in _HEADING_RE.finditer(visible))


def heading_slug(title: str) -> str:
    """A heading's id before de-duplication; the same slugs as mdit_py_plugins' anchors plugin made, so every
    [[slug#anchor]] written against it still resolves (GitHub's style: lower case, spaces to dashes)."""
    return _SLUG_DROP.sub("", title.lower().replace(" ", "-"))


class UniqueSlugs:
    """Slugs made unique the anchors plugin's way (a, a-1, a-2 …), in linear time.

    The plugin tried a-1, a-2 … from 1 for every repeated heading: 8,000 equal headings took 10 s. A counter
    per base slug gives the same ids, because every number below the counter is already taken."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next_number: dict[str, int] = {}

    def make(self, base: str) -> str:
        slug, number = base, self._next_number.get(base, 1)
        while slug in self._taken:
            slug = f"{base}-{number}"
            number += 1
        self._next_number[base] = number
        self._taken.add(slug)
        return slug


def wikilinks(body: str) -> tuple[WikiLink, ...]:
    """Every [[link]] in the body with its 1-based line, ignoring fenced code blocks and code spans.

    A regular-expression scan rather than a full Markdown parse: checking a library of 1,000 materials
    must not cost a full parse of each (it was 30 ms a material); indented code blocks are not skipped.
    Kept per body in a cache bounded by bytes (the key is the body itself, which may be 1 MB).
    """
    if "[[" not in body:
        return ()
    links = _WIKILINKS_CACHE.get(body)
    if links is None:
        links = _scan_wikilinks(body)
        _WIKILINKS_CACHE.put(body, links, key_bytes=sys.getsizeof(body))  # the key is the body: count it
    return links


def _scan_wikilinks(body: str) -> tuple[WikiLink, ...]:
    visible = _without_code(body)
    links, line, counted_to = [], 1, 0
    for match in WIKILINK_RE.finditer(visible):
        line += visible.count("\n", counted_to, match.start())  # from the last link on: linear in the body
        counted_to = match.start()
        links.append(WikiLink(match[1].strip(), match[2].strip() if match[2] else None, line))
    return tuple(links)


def _without_code(body: str) -> str:
    """The body with fenced code blocks, then code spans, blanked (newlines kept)."""
    visible = _FENCE_RE.sub(_blank, body) if "```" in body or "~~~" in body else body
    return _blank_code_spans(visible) if "`" in visible else visible


def _blank_code_spans(text: str) -> str:
    """Code spans blanked: a run of backticks opens one, the next run of the same length closes it, and a run
    without such a closer is plain text (CommonMark's rule). Linear, where a regular expression that looks
    for the closer from every run took seconds on runs of many different lengths."""
    runs = [match.span() for match in _BACKTICKS_RE.finditer(text)]
    closers: list[int | None] = [None] * len(runs)
    next_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closers[index] = next_of_length.get(length)
        next_of_length[length] = index
    parts, done, index = [], 0, 0
    while index < len(runs):
        closer = closers[index]
        if closer is None:
            index += 1
            continue
        start, end = runs[index][0], runs[closer][1]
        parts += [text[done:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        done, index = end, closer + 1
    parts.append(text[done:])
    return "".join(parts)


def _wikilinks_bytes(links: tuple[WikiLink, ...]) -> int:
    return sys.getsizeof(links) + 200 * len(links)  # a WikiLink with its strings is about 200 bytes


_WIKILINKS_CACHE = SizedCache(32 * 1024 * 1024, 8192, _wikilinks_bytes)


def _blank(match: re.Match[str]) -> str:
    """Code replaced by spaces, newlines kept, so offsets and line numbers stay true."""
    return _NOT_NEWLINE.sub(" ", match[0])


def _make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(tasklists_plugin, label=True)
    md.core.ruler.push("heading_ids", _heading_ids)  # last, where the anchors plugin's rule was
    md.core.ruler.push("media_images", _media_images)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _heading_ids(state: StateCore) -> None:
    """Ids for the h2–h4 headings among the first HEADINGS_MAX, from their text, unique within the page."""
    slugs = UniqueSlugs()
    headings = 0
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        headings += 1
        if headings > HEADINGS_MAX:
            return
        if token.tag in ID_LEVELS:
            token.attrSet("id", slugs.make(heading_slug(_heading_text(state.tokens[index + 1]))))


def _render_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """A table inside its scroll box: a wide table scrolls sideways within the box (the page's CSS), not the
    page, and the box is named by the table's header row, so a screen reader says which table it is. Done when
    rendering, so the tokens (what the Word export and the blocks read) stay as markdown-it made them."""
    label = html.escape(table_label(tokens, idx), quote=True)
    return TABLE_BOX.format(label=label) + self.renderToken(tokens, idx, options, env)


def _render_table_close(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def table_label(tokens: list[Token], idx: int) -> str:
    """"Tabel: <the header cells' text>" for the table opened at tokens[idx], cut to TABLE_LABEL_MAX characters."""
    cells = []
    for token in tokens[idx + 1:]:
        if token.type in ("thead_close", "tbody_open", "table_close"):
            break
        if token.type == "inline":
            cells.append(" ".join(plain_text(token.content).split()))
    text = ", ".join(cell for cell in cells if cell)
    if len(text) > TABLE_LABEL_MAX:
        text = text[:TABLE_LABEL_MAX - 1].rstrip(" ,") + "…"
    return f"{TABLE_LABEL}: {text}" if text else TABLE_LABEL


def _media_images(state: StateCore) -> None:
    """Only the material's own files are shown as images (media:name, loaded lazily); an image from elsewhere
    becomes a link to it with its alt text, so a page never fetches from another site (the CSP says img-src
    'self' too) and a reader still sees what the picture was."""
    for token in state.tokens:
        for index, child in enumerate(token.children or ()):
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            if src.startswith("media:"):
                child.attrSet("loading", "lazy")
                continue
            label = "".join(part.content for part in child.children or ()) or src
            link_open = Token("link_open", "a", 1, attrs={"href": src})
            text = Token("text", "", 0, content=label)
            token.children[index:index + 1] = [link_open, text, Token("link_close", "a", -1)]


def _heading_text(inline: Token) -> str:
    """A heading's plain text: its text and code, not the markup (nor [[links]], as the anchors plugin did)."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.meta = {
            "target": match[1].strip(),
            "anchor": match[2].strip() if match[2] else None,
            "label": match[3].strip() if match[3] else None,
            "offset": state.pos,
        }
    state.pos = match.end()
    return True


def _render_wikilink(self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    meta = tokens[idx].meta
    targets: LinkTargets | None = env.get("targets")
    title = targets.titles.get(meta["target"]) if targets else None
    label = html.escape(meta["label"] or title or meta["target"])
    if title is None:
        return f'<span class="wikilink-missing" title="Materialet findes ikke">{label}</span>'
    href = targets.href(meta["target"]) + (f"#{meta['anchor']}" if meta["anchor"] else "")
    return f'<a class="wikilink" href="{html.escape(href)}">{label}</a>'


def _alignment_to_classes(tokens: list[Token]) -> None:
    """Table alignment as classes, not inline styles, so the Content-Security-Policy can forbid styles."""
    for token in tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style") or ""
            if style.startswith("text-align:"):
                token.attrs.pop("style")
                token.attrSet("class", "align-" + style.removeprefix("text-align:"))


def _toc(tokens: list[Token]) -> list[TocEntry]:
    entries = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in TOC_LEVELS and token.attrGet("id"):
            entries.append(TocEntry(int(token.tag[1]), str(token.attrGet("id")), _heading_text(tokens[index + 1])))
    return entries


_PLAIN_RULES = (
    (re.compile(r"^ {0,3}(`{3,}|~{3,}).*$", re.MULTILINE), ""),           # code fences (keep the code)
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),                      # images → alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),                       # links → text
    (WIKILINK_RE, lambda m: (m[3] or m[1]).strip()),                     # [[slug|text]] → text
    (re.compile(r"\[\^[^\]]+\]:?"), ""),                                 # footnote marks
    (re.compile(r"^ {0,3}#{1,6}\s*", re.MULTILINE), ""),                 # heading marks
    (re.compile(r"^ {0,3}>\s?", re.MULTILINE), ""),                      # block quotes
    (re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+", re.MULTILINE), ""),         # task list boxes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE), ""),         # list bullets
    (re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.MULTILINE), ""),  # table rules
    (re.compile(r"^[ \t]*\|[ \t]*|[ \t]*\|[ \t]*$", re.MULTILINE), ""),     # table row edges
    (re.compile(r"[ \t]*\|[ \t]*"), " · "),                              # table cells
    (re.compile(r"(\*\*|__|\*|_|`|~~)(?=\S)|(?<=\S)(\*\*|__|\*|_|`|~~)"), ""),  # emphasis and code marks
    (re.compile(r"[ \t]+"), " "),
    (re.compile(r"\n{3,}"), "\n\n"),
)


def plain_text(body: str) -> str:
    """The readable text of a Markdown body (for search snippets), without markup."""
    text = body
    for pattern, replacement in _PLAIN_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()
