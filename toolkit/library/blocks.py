"""A material's body as its top-level blocks (headings, paragraphs, lists, tables, quotes, code, footnotes), each
with its plain text and, on request, its own safe HTML: what a reviewer comments on (toolkit.history.anchoring
finds a block again in a later text).

The blocks come from the same Markdown parser as the reader's page (toolkit.library.render), so a heading has
the id it has there, footnote references and [[links]] resolve, and every block's HTML passes the same
allow-list; the blocks' HTML joined is the page's body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from toolkit.library.render import LinkTargets, _alignment_to_classes, _make_markdown, plain_text, sanitize

# Blocks by the token that opens them; a thematic break (hr) is shown but not commented on.
KINDS = {"heading_open": "heading", "paragraph_open": "paragraph", "bullet_list_open": "list",
         "ordered_list_open": "list", "table_open": "table", "blockquote_open": "quote", "fence": "code",
         "code_block": "code", "footnote_block_open": "footnotes", "hr": "rule", "html_block": "html"}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Block:
    index: int  # 0-based position among the body's blocks
    kind: str  # one of KINDS' values
    text: str  # the readable text, whitespace collapsed (what a comment quotes and is matched on)
    heading_id: str = ""  # a heading's id on the page ("" for other blocks and headings without one)
    section: str = ""  # the text of the heading this block falls under (or is)
    level: int = 0  # a heading's level (2 for ##)

    @property
    def commentable(self) -> bool:
        return self.kind != "rule" and bool(self.text)

    @property
    def digest(self) -> str:
        return text_fingerprint(self.text)


def text_fingerprint(text: str) -> str:
    """A short fingerprint of a block's text, blind to case and spacing."""
    return hashlib.sha256(normalise(text).casefold().encode("utf-8")).hexdigest()[:24]


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class BlockParser:
    """Splits bodies into blocks; one parser (a markdown-it instance) may be shared by threads."""

    def __init__(self) -> None:
        self._md = _make_markdown()

    def blocks(self, body: str) -> list[Block]:
        tokens = self._md.parse(body, {"targets": LinkTargets({})})
        return [block for block, _tokens in _split(tokens)]

    def render(self, body: str, targets: LinkTargets) -> list[tuple[Block, str]]:
        """Every block with its sanitised HTML (headings with their ids, as on the reader's page)."""
        env: dict[str, Any] = {"targets": targets}
        tokens = self._md.parse(body, env)
        _alignment_to_classes(tokens)
        return [(block, sanitize(self._md.renderer.render(part, self._md.options, env)))
                for block, part in _split(tokens)]


def _split(tokens: list[Token]) -> list[tuple[Block, list[Token]]]:
    """The top-level blocks (by nesting depth: the footnote plugin leaves its tokens' levels at 0)."""
    found: list[tuple[Block, list[Token]]] = []
    section, depth, start = "", 0, 0
    for position, token in enumerate(tokens):
        if depth == 0:
            start = position
        depth += token.nesting
        if depth != 0:
            continue
        part = tokens[start:position + 1]
        kind = KINDS.get(part[0].type, "other")
        text = normalise(_text_of(part))
        heading_id, level = "", 0
        if kind == "heading":
            section, heading_id, level = text, str(part[0].attrGet("id") or ""), int(part[0].tag[1:] or 0)
        found.append((Block(len(found), kind, text, heading_id, section, level), part))
    return found


def _text_of(part: list[Token]) -> str:
    """The readable text of a block's tokens: the inline content without Markdown marks, or the code."""
    texts = []
    for token in part:
        if token.type == "inline":
            texts.append(plain_text(token.content))
        elif token.type in ("fence", "code_block"):
            texts.append(token.content)
    return " ".join(texts)
