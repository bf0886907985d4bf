"""Markdown → safe HTML: markdown-it-py with tables, footnotes, task lists, anchors and [[wiki links]].

Every page of HTML passes nh3's allow-list, whatever the Markdown held. Rendering is cached by a hash of
the body and of the link targets it may resolve against, so a page is rendered once per content change.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

# [[slug]], [[slug#anchor]], [[slug|text]]; inside a table cell the pipe is escaped: [[slug\|text]].
WIKILINK_RE = re.compile(r"\[\[([^\[\]|#\n\\]+)(?:#([^\[\]|\n\\]+))?(?:\\?\|([^\[\]\n]+))?\]\]")
TOC_LEVELS = ("h2", "h3")
_NOT_NEWLINE = re.compile(r"[^\n]")
# Fenced code blocks (``` or ~~~ up to the matching fence or the end) and inline code spans.
_CODE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)|(?<!`)(`+)(?!`).+?(?<!`)\2(?!`)",
                      re.MULTILINE | re.DOTALL)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "input", "label", "li", "ol", "p", "pre", "s", "section", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href", "title"},
    "abbr": {"title"},
    "input": {"type", "checked", "disabled"},
    "ol": {"start"},
    "span": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}


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
                     link_rel="noopener noreferrer")


class Renderer:
    """Renders Markdown bodies to sanitised HTML, with an in-process LRU cache keyed by content hash."""

    def __init__(self, cache_size: int = 2048):
        self._md = _make_markdown()
        self._cache: OrderedDict[str, Rendered] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def render(self, body: str, targets: LinkTargets) -> Rendered:
        key = hashlib.sha256(f"{targets.fingerprint}\0{body}".encode()).hexdigest()
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self.hits += 1
                return cached
        rendered = self.render_uncached(body, targets)
        with self._lock:
            self.misses += 1
            self._cache[key] = rendered
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return rendered

    def render_uncached(self, body: str, targets: LinkTargets) -> Rendered:
        env: dict[str, Any] = {"targets": targets}
        tokens = self._md.parse(body, env)
        _alignment_to_classes(tokens)
        raw = self._md.renderer.render(tokens, self._md.options, env)
        return Rendered(html=sanitize(raw), toc=tuple(_toc(tokens)))



@functools.lru_cache(maxsize=8192)
def wikilinks(body: str) -> tuple[WikiLink, ...]:
    """Every [[link]] in the body with its 1-based line, ignoring fenced code blocks and code spans.

    A regular-expression scan rather than a full Markdown parse: checking a library of 1,000 materials
    must not cost a full parse of each (it was 30 ms a material); indented code blocks are not skipped.
    """
    if "[[" not in body:
        return ()
    visible = _CODE_RE.sub(_blank, body) if "`" in body or "~~~" in body else body
    return tuple(WikiLink(m[1].strip(), m[2].strip() if m[2] else None, visible.count("\n", 0, m.start()) + 1)
                 for m in WIKILINK_RE.finditer(visible))


def _blank(match: re.Match[str]) -> str:
    """Code replaced by spaces, newlines kept, so offsets and line numbers stay true."""
    return _NOT_NEWLINE.sub(" ", match[0])


def _make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin).use(tasklists_plugin, label=True).use(anchors_plugin, min_level=2, max_level=4)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)
    return md


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
            text = "".join(child.content for child in tokens[index + 1].children or () if child.type in
                           ("text", "code_inline"))
            entries.append(TocEntry(int(token.tag[1]), str(token.attrGet("id")), text))
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
