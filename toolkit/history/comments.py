"""Comments on a material's text: threads anchored to a heading or a block (toolkit.history.anchoring), answered,
resolved and reopened, every entry with its author and time.

A material's threads are one record of the library, `library/comments/<slug>.yaml`, written through the
instance like every record (toolkit.history.records): under the writer lock, computed from the record as it is
then (two people commenting at once both keep their comment), validated (caps, no control characters) and
committed — so every comment is a revision, and none is ever part of the material's own file, its editions,
search or the static site. A new thread or an answer is told to the instance's listeners as a "comment" event
after the commit (notifications), a thread resolved or reopened as a "comment_state" event; both carry the
thread's id and the action in their detail.

The record (written by `record_data`):

    threads:
    - id: t3f9a0c1d
      anchor: {kind: paragraph, section: Forskning, text: "Ansøg om godkendelse.", digest: …, before: …, after: …,
               revision: <the commit of the text commented on>}
      entries:
      - {action: comment, author: anna, time: "2026-05-04T09:12:00Z", text: "Hvilken godkendelse?"}
      - {action: reply, author: bo, time: …, text: "Komitéens."}
      - {action: resolve, author: frida, time: …}

A thread is open until its last resolve/reopen entry says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from toolkit.errors import Conflict, Invalid, NotFound, Problem
from toolkit.history.anchoring import CONTEXT_MAX, QUOTE_MAX, SECTION_MAX, Anchor, anchor_for, locate
from toolkit.history.events import Event
from toolkit.history.gitstore import Author
from toolkit.history.records import RecordKind, Records, control_character_problems, line, save_record
from toolkit.library.blocks import KINDS, Block, BlockParser
from toolkit.library.frontmatter import parse as parse_front_matter
from toolkit.library.materials import validate_slug

FOLDER = "comments"
TEXT_MAX = 4000  # characters of one comment or answer
ENTRIES_MAX = 100  # entries of one thread (the comment, answers, resolves and reopens)
THREADS_MAX = 200  # threads of one material
AUTHOR_MAX = 80
ACTIONS = ("comment", "reply", "resolve", "reopen")
THREAD_ID = re.compile(r"t[0-9a-f]{8}\Z")
REVISION = re.compile(r"[0-9a-f]{7,64}\Z")
EVENT_TEXT = 200  # characters of the comment an event carries


@dataclass(frozen=True)
class Entry:
    action: str  # one of ACTIONS
    author: str  # a user name
    time: dt.datetime  # aware, UTC
    text: str = ""

    def to_dict(self) -> dict[str, str]:
        data = {"action": self.action, "author": self.author, "time": _time_text(self.time)}
        return data | ({"text": self.text} if self.text else {})


@dataclass(frozen=True)
class Thread:
    id: str
    anchor: Anchor
    entries: tuple[Entry, ...]

    @property
    def is_open(self) -> bool:
        states = [e.action for e in self.entries if e.action in ("resolve", "reopen")]
        return not states or states[-1] == "reopen"

    @property
    def first(self) -> Entry:
        return self.entries[0]

    @property
    def last(self) -> Entry:
        return self.entries[-1]

    @property
    def messages(self) -> tuple[Entry, ...]:
        """The comment and its answers (entries with text)."""
        return tuple(e for e in self.entries if e.text)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "anchor": self.anchor.to_dict(), "entries": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True)
class CommentRecord:
    slug: str
    threads: tuple[Thread, ...] = ()

    def get(self, thread_id: str) -> Thread:
        for thread in self.threads:
            if thread.id == thread_id:
                return thread
        raise NotFound(f"no comment thread '{thread_id[:20]}' on '{self.slug}'")


@dataclass
class Placement:
    """A material's threads against its current text: per block index the threads there (in the order they
    were started), and the outdated ones whose passage is gone."""

    at: dict[int, list[Thread]] = field(default_factory=dict)
    outdated: list[Thread] = field(default_factory=list)

    def block_of(self, thread_id: str) -> int | None:
        return next((index for index, threads in self.at.items() for t in threads if t.id == thread_id), None)


def record_data(record: CommentRecord) -> dict[str, Any]:
    return {"threads": [thread.to_dict() for thread in record.threads]}


def block_quoting(blocks: list[Block], quoted: str) -> int:
    """The first commentable block whose text holds `quoted` (whitespace ignored; the first 80 characters, as a
    quote from Word may run on into the next paragraph), else the first block."""
    wanted = " ".join(quoted.split())[:80]
    return next((block.index for block in blocks if wanted and wanted in " ".join(block.text.split())), 0)


class Comments:
    """The comment threads of an instance's materials."""

    def __init__(self, instance, *, parser: BlockParser | None = None):
        self.instance = instance
        self.records: Records[CommentRecord] = Records(instance.library_dir, COMMENTS)
        self.parser = parser or BlockParser()

    # -- reading -------------------------------------------------------------------------------------------------

    def of(self, slug: str, *, fresh: bool = False) -> CommentRecord:
        """The material's threads (none yet: an empty record); `fresh` reads the folder now, not up to a second
        ago (what a decision rests on, and the page a writer lands on after their own change)."""
        validate_slug(slug)
        if fresh:
            self.records.invalidate()
        if slug not in self.records:
            return CommentRecord(slug)
        return self.records.get(slug)

    def open_count(self, slug: str, *, fresh: bool = False) -> int:
        return sum(1 for thread in self.of(slug, fresh=fresh).threads if thread.is_open)

    def blocks(self, slug: str, revision: str | None = None) -> list[Block]:
        """The blocks of the material's text (the current one, or at a revision)."""
        if revision is None:
            return self.parser.blocks(self.instance.library().get(slug).body)
        return self.parser.blocks(parse_front_matter(self.instance.read(slug, revision)).body)

    def place(self, record: CommentRecord, blocks: list[Block]) -> Placement:
        placement = Placement()
        for thread in record.threads:
            block = locate(thread.anchor, blocks)
            if block is None:
                placement.outdated.append(thread)
            else:
                placement.at.setdefault(block.index, []).append(thread)
        return placement

    # -- writing -------------------------------------------------------------------------------------------------

    def start(self, slug: str, block: int, text: str, author: Author, *, revision: str | None = None) -> Thread:
        """A new thread on the block at index `block` of the text at `revision` (what the reviewer saw; None: the
        current text). Invalid (field "text", "block" or "threads") and nothing written when it is wrong."""
        text = _checked_text(slug, text)
        if revision is not None and not REVISION.match(revision):
            raise Invalid("not a revision", [Problem.at(slug, "not a revision", field="revision")])
        self.instance.library().get(slug)  # NotFound for no such material
        try:
            anchor = anchor_for(self.blocks(slug, revision), block, revision or self.instance.latest_revision(slug)
                                or "")
        except ValueError:
            raise Invalid(f"no block {block} in '{slug}'", [Problem.at(slug, "choose a passage of the text",
                                                                       field="block")]) from None
        thread = Thread(_new_id(), anchor, (Entry("comment", author.name, _now(), text),))

        def with_thread(record: CommentRecord | None) -> dict[str, Any]:
            nonlocal thread
            threads = record.threads if record else ()
            if len(threads) >= THREADS_MAX:
                raise Invalid(f"'{slug}' has {THREADS_MAX} comment threads already",
                              [Problem.at(slug, f"at most {THREADS_MAX} threads", field="threads")])
            while any(t.id == thread.id for t in threads):  # two random ids alike: practically never
                thread = replace(thread, id=_new_id())
            return record_data(CommentRecord(slug, (*threads, thread)))

        revision_made = self._save(slug, with_thread, author, f"{slug}: ny kommentar ({thread.id})")
        self._tell(slug, author, thread.id, text, "comment", revision_made)
        return thread

    def reply(self, slug: str, thread_id: str, text: str, author: Author) -> Thread:
        """An answer in a thread (it stays open or resolved as it is). A thread still found in the current text
        is anchored to the passage as it is now: small edits one after another never drift it out of reach."""
        text = _checked_text(slug, text)
        entry = Entry("reply", author.name, _now(), text)

        def answered(thread: Thread) -> Thread:
            return _appended(self._reanchored(slug, thread), entry)

        thread, revision = self._change(slug, thread_id, answered, author, f"{slug}: svar ({thread_id})")
        self._tell(slug, author, thread_id, text, "reply", revision)
        return thread

    def set_open(self, slug: str, thread_id: str, is_open: bool, author: Author, *, seen: int | None = None
                 ) -> Thread:
        """Resolve (is_open False) or reopen a thread. `seen` is how many entries the person had before them:
        an answer added since is a Conflict (they read it first). Already so: nothing is written."""
        action = "reopen" if is_open else "resolve"

        def changed(thread: Thread) -> Thread:
            if seen is not None and len(thread.entries) > seen:
                raise Conflict(f"thread {thread_id} has new entries since it was read", base="", theirs="", mine="")
            if thread.is_open == is_open:
                return thread
            return _appended(thread, Entry(action, author.name, _now()))

        label = "genåbnet" if is_open else "løst"
        thread, revision = self._change(slug, thread_id, changed, author, f"{slug}: kommentar {label} ({thread_id})")
        if revision:  # already so: nothing happened to tell
            self._tell(slug, author, thread_id, "", action, revision)
        return thread

    # -- internals -----------------------------------------------------------------------------------------------

    def _reanchored(self, slug: str, thread: Thread) -> Thread:
        """The thread anchored to where it is found in the current text (as it was when outdated or unchanged)."""
        blocks = self.blocks(slug)
        block = locate(thread.anchor, blocks)
        if block is None or block.digest == thread.anchor.digest:
            return thread
        anchor = anchor_for(blocks, block.index, self.instance.latest_revision(slug) or "")
        return replace(thread, anchor=anchor)

    def _change(self, slug: str, thread_id: str, change: Callable[[Thread], Thread], author: Author,
                message: str) -> tuple[Thread, str]:
        """The thread changed by `change` (from the record as it is under the lock), and the revision made."""
        validate_slug(slug)
        if not THREAD_ID.match(thread_id):
            raise NotFound(f"no comment thread '{thread_id[:20]}' on '{slug}'")
        result: list[Thread] = []

        def changed(record: CommentRecord | None) -> dict[str, Any]:
            if record is None:
                raise NotFound(f"no comment thread '{thread_id}' on '{slug}'")
            new = change(record.get(thread_id))
            result.append(new)
            return record_data(CommentRecord(slug, tuple(new if t.id == thread_id else t for t in record.threads)))

        revision = self._save(slug, changed, author, message)
        return result[-1], revision

    def _save(self, slug: str, data: Callable[[CommentRecord | None], dict[str, Any]], author: Author,
              message: str) -> str:
        """Read-modify-write of the record under the writer lock; the revision made ("" when unchanged)."""
        with self.instance.writing():
            before = self.instance.head()
            create = not (self.records.folder / f"{slug}.yaml").exists()
            save_record(self.instance, self.records, slug, data, author, message, create=create)
            after = self.instance.head()
        return after if after != before else ""

    def _tell(self, slug: str, author: Author, thread_id: str, text: str, action: str, revision: str) -> None:
        """A new comment or answer is a "comment" event (the notifications mail the material's authors); a thread
        resolved or reopened is a "comment_state" event, which says nothing new was written."""
        kind = "comment" if action in ("comment", "reply") else "comment_state"
        detail = {"thread": thread_id, "action": action} | ({"text": text[:EVENT_TEXT]} if text else {})
        self.instance.events.emit(Event(kind, slug, author.name, detail, revision))


def _appended(thread: Thread, entry: Entry) -> Thread:
    if len(thread.entries) >= ENTRIES_MAX:
        raise Invalid(f"thread {thread.id} has {ENTRIES_MAX} entries already",
                      [Problem.at(thread.id, f"at most {ENTRIES_MAX} entries in a thread", field="entries")])
    return Thread(thread.id, thread.anchor, (*thread.entries, entry))


def _checked_text(slug: str, text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Invalid("a comment needs a text", [Problem.at(slug, "write a comment", field="text")], text=text)
    if len(text) > TEXT_MAX:
        raise Invalid("the comment is too long", [Problem.at(slug, f"is {len(text)} characters long; at most "
                                                                   f"{TEXT_MAX} are allowed", field="text")], text=text)
    unsafe = control_character_problems(text, slug, "text")
    if unsafe:  # said here, at the field, rather than as a line of the record
        raise Invalid("the comment contains a control character", unsafe, text=text)
    return text


def _new_id() -> str:
    return "t" + secrets.token_hex(4)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _time_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- parsing the record --------------------------------------------------------------------------------------------

class _Problems(list):
    """The problems found in a record, each with its field and (when known) its line."""

    def __init__(self, where: str):
        super().__init__()
        self.where = where

    def add(self, field_name: str, message: str, within: Any = None, key: str | None = None) -> None:
        self.append(Problem.at(self.where, message, line=line(within, key) if within is not None else None,
                               field=field_name))


def parse_comments(slug: str, data: Any, where: str, others: dict[str, Any]) -> tuple[CommentRecord | None,
                                                                                      list[Problem]]:
    """A material's comment record, or None and the problems (each with its field and line)."""
    problems = _Problems(where)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem.at(where, "must be a mapping with a list of threads", field="threads")]
    for key in data:
        if key != "threads":
            problems.add(str(key), "unknown field; a comment record has only 'threads'", data, str(key))
    raw = data.get("threads") or []
    if not isinstance(raw, list):
        problems.add("threads", "must be a list", data, "threads")
        raw = []
    if len(raw) > THREADS_MAX:
        problems.add("threads", f"{len(raw)} threads; at most {THREADS_MAX} are allowed", data, "threads")
    threads: list[Thread] = []
    for number, item in enumerate(raw, 1):
        thread = _parse_thread(item, f"threads[{number}]", problems)
        if thread is not None and any(t.id == thread.id for t in threads):
            problems.add(f"threads[{number}].id", f"'{thread.id}' is used twice", item, "id")
        elif thread is not None:
            threads.append(thread)
    if problems:
        return None, list(problems)
    return CommentRecord(slug, tuple(threads)), []


def _parse_thread(item: Any, name: str, problems: _Problems) -> Thread | None:
    if not isinstance(item, dict):
        problems.add(name, "must be a mapping with id, anchor and entries")
        return None
    found = len(problems)
    thread_id = item.get("id")
    if not isinstance(thread_id, str) or not THREAD_ID.match(thread_id):
        problems.add(f"{name}.id", "must be 't' and 8 hexadecimal digits", item, "id")
    anchor = _parse_anchor(item.get("anchor"), f"{name}.anchor", problems, item)
    raw = item.get("entries")
    if not isinstance(raw, list) or not raw:
        problems.add(f"{name}.entries", "must be a list with the comment first", item, "entries")
        raw = []
    if len(raw) > ENTRIES_MAX:
        problems.add(f"{name}.entries", f"{len(raw)} entries; at most {ENTRIES_MAX} are allowed", item, "entries")
    entries = [_parse_entry(entry, f"{name}.entries[{n}]", problems, first=n == 1) for n, entry in enumerate(raw, 1)]
    if len(problems) != found or anchor is None:
        return None
    return Thread(str(thread_id), anchor, tuple(e for e in entries if e is not None))


ANCHOR_LIMITS = {"kind": 20, "text": QUOTE_MAX, "digest": 64, "heading": 200, "section": SECTION_MAX,
                 "before": CONTEXT_MAX, "after": CONTEXT_MAX, "revision": 64}


def _parse_anchor(data: Any, name: str, problems: _Problems, parent: Any) -> Anchor | None:
    if not isinstance(data, dict):
        problems.add(name, "must be a mapping (kind, text, digest …)", parent, "anchor")
        return None
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in ANCHOR_LIMITS:
            problems.add(f"{name}.{key}", "unknown field of an anchor", data, str(key))
        elif not isinstance(value, str):
            problems.add(f"{name}.{key}", "must be text", data, key)
        elif len(value) > ANCHOR_LIMITS[key]:
            problems.add(f"{name}.{key}", f"is {len(value)} characters long; at most {ANCHOR_LIMITS[key]} are "
                                          "allowed", data, key)
        else:
            values[key] = value
    if values.get("kind") not in KINDS.values():
        problems.add(f"{name}.kind", f"must be one of {', '.join(sorted(set(KINDS.values())))}", data, "kind")
        return None
    if "text" not in values or "digest" not in values:
        problems.add(name, "needs the passage's text and digest", parent, "anchor")
        return None
    return Anchor(**values)


def _parse_entry(data: Any, name: str, problems: _Problems, *, first: bool) -> Entry | None:
    if not isinstance(data, dict):
        problems.add(name, "must be a mapping (action, author, time, text)")
        return None
    found = len(problems)
    action, author, text = data.get("action"), data.get("author"), data.get("text", "")
    when = _parse_time(data.get("time"))
    for key in data:
        if key not in ("action", "author", "time", "text"):
            problems.add(f"{name}.{key}", "unknown field of an entry", data, str(key))
    if action not in ACTIONS or (first and action != "comment") or (not first and action == "comment"):
        problems.add(f"{name}.action", "the first entry is the comment; then reply, resolve or reopen", data,
                     "action")
    if not isinstance(author, str) or not author.strip() or len(author) > AUTHOR_MAX:
        problems.add(f"{name}.author", "must be a user name", data, "author")
    if when is None:
        problems.add(f"{name}.time", "must be a date and time like 2026-05-04T09:12:00Z", data, "time")
    if not isinstance(text, str):
        problems.add(f"{name}.text", "must be text", data, "text")
    elif len(text) > TEXT_MAX:
        problems.add(f"{name}.text", f"is {len(text)} characters long; at most {TEXT_MAX} are allowed", data, "text")
    elif action in ("comment", "reply") and not text.strip():
        problems.add(f"{name}.text", "a comment or answer needs a text", data, "text")
    if len(problems) != found or when is None:
        return None
    return Entry(str(action), str(author).strip(), when, str(text))


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


COMMENTS = RecordKind(folder=FOLDER, noun="comment record", parse=parse_comments)

__all__ = ["COMMENTS", "CommentRecord", "Comments", "Entry", "Placement", "Thread"]
