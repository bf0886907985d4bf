"""The rendered view of a diff: both bodies as the reader sees them, block by block, with what changed marked.

Both bodies go through the library's renderer, so everything compared is already sanitised HTML. It is cut
into its top-level blocks (a paragraph, a heading, a list, a table …); the blocks are matched by diffing's
size-aware matcher, and a changed block is compared word by word with its tags kept whole. What this module
adds is only <ins>/<del> around runs of text between tags, so the result stays well formed; the whole result
passes nh3 once more (the renderer's allow-list plus <ins>, without ids, which would repeat on the page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import nh3

from toolkit.history.diffing import LINE_BUDGET, WORD_BUDGET, WORD_MARK_LINE_MAX, Budget, opcodes
from toolkit.library.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, LinkTargets, Renderer

BLOCK_CONTEXT = 1  # unchanged blocks shown around a change
MIN_GAP = 2  # fewer unchanged blocks than this are shown, not folded away
# equal: unchanged; insert / delete: a whole block added or removed; changed: a changed block with its
# inserted and deleted words marked in place; old: the old form of a changed block whose new form follows
BlockKind = Literal["equal", "insert", "delete", "changed", "old"]

_TOKEN_RE = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>|&#?\w+;|\w+|\s+|[^\w\s<&]+|[<&]")
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_VOID = {"br", "hr", "input", "img", "wbr"}
_TAGS = ALLOWED_TAGS | {"ins"}
_ATTRIBUTES = {tag: set(names) - {"id"} for tag, names in ALLOWED_ATTRIBUTES.items()}


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    html: str  # sanitised


@dataclass(frozen=True)
class BlockGap:
    """Unchanged blocks folded away."""

    blocks: tuple[Block, ...]
    collapsed = True

    @property
    def size(self) -> int:
        return len(self.blocks)


@dataclass(frozen=True)
class BlockRun:
    """Changed blocks with the unchanged ones around them."""

    blocks: tuple[Block, ...]
    collapsed = False


@dataclass(frozen=True)
class RenderedDiff:
    parts: tuple[BlockRun | BlockGap, ...]

    @property
    def changed(self) -> bool:
        return any(block.kind != "equal" for part in self.parts for block in part.blocks)


def rendered_diff(old_body: str, new_body: str, renderer: Renderer, targets: LinkTargets) -> RenderedDiff:
    """Render both bodies and mark what changed between them, block by block and word by word."""
    old_blocks = blocks_of(renderer.render(old_body, targets).html)
    new_blocks = blocks_of(renderer.render(new_body, targets).html)
    words = Budget(WORD_BUDGET)
    marked: list[Block] = []
    for tag, i1, i2, j1, j2 in opcodes(old_blocks, new_blocks, Budget(LINE_BUDGET), pair_rest=True):
        if tag == "equal":
            marked += [Block("equal", html) for html in new_blocks[j1:j2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for offset in range(pairs):
            marked += _changed_block(old_blocks[i1 + offset], new_blocks[j1 + offset], words)
        marked += [Block("delete", html) for html in old_blocks[i1 + pairs:i2]]
        marked += [Block("insert", html) for html in new_blocks[j1 + pairs:j2]]
    clean = [Block(block.kind, _sanitize(block.html)) for block in marked]
    return RenderedDiff(tuple(_runs(clean)))


def blocks_of(html: str) -> list[str]:
    """The top-level elements of a sanitised HTML fragment, each as its own HTML (whitespace between dropped)."""
    blocks: list[str] = []
    depth, start = 0, None
    for match in _TOKEN_RE.finditer(html):
        token = match[0]
        name = _TAG_NAME_RE.match(token) if token.startswith("<") else None
        if start is None:
            if name is None and token.isspace():
                continue
            start = match.start()
        if name is not None:
            if token.startswith("</"):
                depth = max(depth - 1, 0)
            elif name[1].lower() not in _VOID and not token.endswith("/>"):
                depth += 1
        # An element ends at depth 0; text outside any element (the renderer makes none) runs up to a tag.
        if depth == 0 and (name is not None or match.end() == len(html) or html[match.end()] == "<"):
            blocks.append(html[start:match.end()].strip())
            start = None
    if start is not None:
        blocks.append(html[start:].strip())
    return [block for block in blocks if block]


def _changed_block(old: str, new: str, budget: Budget) -> list[Block]:
    """A changed block: in place with its words marked when only text changed; otherwise its new form with the
    inserted words marked, after its old form with the deleted ones marked (left out when none were)."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    if _tag_name(old) != _tag_name(new):
        return [Block("delete", old), Block("insert", new)]
    if max(len(old), len(new)) > WORD_MARK_LINE_MAX:
        budget = Budget(0)
    codes = opcodes(a, b, budget)
    changes = [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in codes if tag != "equal"]
    if not any(_has_tag(a[i1:i2]) or _has_tag(b[j1:j2]) for _, i1, i2, j1, j2 in changes):
        merged: list[str] = []
        for tag, i1, i2, j1, j2 in codes:
            if tag == "equal":
                merged += b[j1:j2]
                continue
            merged.append(_wrapped(a[i1:i2], "del", keep_space=False))
            merged.append(_wrapped(b[j1:j2], "ins"))
        return [Block("changed", "".join(merged))]
    old_marked = _side(a, [(i1, i2) for _, i1, i2, _, _ in changes], "del")
    new_marked = _side(b, [(j1, j2) for _, _, _, j1, j2 in changes], "ins")
    deleted_text = any(_has_text(a[i1:i2]) for _, i1, i2, _, _ in changes)
    return ([Block("old", old_marked)] if deleted_text else []) + [Block("changed", new_marked)]


def _side(tokens: list[str], ranges: list[tuple[int, int]], mark: str) -> str:
    """One side's tokens with each changed range's runs of text wrapped in <mark> (the tags stay as they are)."""
    out: list[str] = []
    done = 0
    for start, stop in ranges:
        out += tokens[done:start]
        run: list[str] = []
        for token in tokens[start:stop]:
            if token.startswith("<") and len(token) > 1:
                out.append(_wrapped(run, mark))
                out.append(token)
                run = []
            else:
                run.append(token)
        out.append(_wrapped(run, mark))
        done = stop
    out += tokens[done:]
    return "".join(out)


def _wrapped(tokens: list[str], mark: str, keep_space: bool = True) -> str:
    """Text tokens in <ins> or <del>; whitespace alone is left bare (inside a table or list a marked space would
    be moved out of it by the browser), or dropped on the deleted side of an in-place change."""
    text = "".join(tokens)
    if not text:
        return ""
    if text.isspace():
        return text if keep_space else ""
    return f"<{mark}>{text}</{mark}>"


def _has_tag(tokens: list[str]) -> bool:
    return any(token.startswith("<") and len(token) > 1 for token in tokens)


def _has_text(tokens: list[str]) -> bool:
    return any(not (token.startswith("<") and len(token) > 1) and not token.isspace() for token in tokens)


def _tag_name(html: str) -> str:
    match = _TAG_NAME_RE.match(html)
    return match[1].lower() if match else ""


def _sanitize(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def _runs(blocks: list[Block]) -> list[BlockRun | BlockGap]:
    """The blocks as runs of changes with BLOCK_CONTEXT unchanged blocks around them, and folded gaps."""
    if not any(block.kind != "equal" for block in blocks):
        return []
    near = [False] * len(blocks)
    for index, block in enumerate(blocks):
        if block.kind != "equal":
            for other in range(max(0, index - BLOCK_CONTEXT), min(len(blocks), index + BLOCK_CONTEXT + 1)):
                near[other] = True
    parts: list[BlockRun | BlockGap] = []
    pending: list[Block] = []
    index = 0
    while index < len(blocks):
        stop = index
        while stop < len(blocks) and near[stop] == near[index]:
            stop += 1
        if near[index] or stop - index < MIN_GAP:
            pending += blocks[index:stop]
        else:
            if pending:
                parts.append(BlockRun(tuple(pending)))
                pending = []
            parts.append(BlockGap(tuple(blocks[index:stop])))
        index = stop
    if pending:
        parts.append(BlockRun(tuple(pending)))
    return parts
