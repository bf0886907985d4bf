"""Between HTML form fields and questionnaire answers (no logic beyond the mapping).

Field names: `q.<id>` for a question, `q.<group>.<row>.<field>` for a field of a repeatable group's row,
`q.<group>.<field>` for a single record. A yes/no question is a set of radio buttons (ja, nej, and "ved ikke"
where the form allows it): none chosen is not answered — never "nej". A group row whose fields are all empty,
or whose `_remove` box is ticked, is left out.

The posted names are indexed once (one pass over them), so reading the answers costs the size of the post,
whatever its shape; rows beyond ROWS_MAX per group are not read (no form offers that many).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from toolkit.documents.answers import is_unknown_answer, parse_boolean
from toolkit.documents.images import IMAGE_MAX, ImageAnswer, read_image
from toolkit.documents.questions import Form, Question

PREFIX = "q."
ROWS_MAX = 200
NAME_MAX = 200  # no field of any questionnaire has a longer name
DEPTH = 4  # the deepest name a form has: q.<group>.<row>.<field>
_ROW = re.compile(r"\d{1,4}\Z")
UPLOAD = ".upload"


@dataclass
class _Posted:
    """The posted fields with every dotted prefix of every name, and the row numbers under each group."""

    data: MultiDict
    prefixes: set[str] = field(default_factory=set)
    rows: dict[str, set[int]] = field(default_factory=dict)
    uploads: dict[str, str] = field(default_factory=dict)  # image fields chosen in this post, as data: URLs

    @classmethod
    def index(cls, data: MultiDict, uploads: dict[str, str] | None = None) -> _Posted:
        posted = cls(data, uploads=dict(uploads or {}))
        for key in data:
            if not key.startswith(PREFIX) or len(key) > NAME_MAX:
                continue  # a name no form has costs nothing (its prefixes would cost its length squared)
            parts = key.split(".", DEPTH)[:DEPTH]
            for end in range(2, len(parts) + 1):
                posted.prefixes.add(".".join(parts[:end]))
                if end < len(parts) and _ROW.match(parts[end]):
                    posted.rows.setdefault(".".join(parts[:end]), set()).add(int(parts[end]))
        return posted


def uploads(files: MultiDict) -> dict[str, str]:
    """Pictures chosen in the form's file fields (`q.<id>.upload`), by field name, as data: URLs to carry in the
    page; at most one byte past the limit is read, so validation can say the picture is too large."""
    chosen = {}
    for key, storage in files.items():
        if key.startswith(PREFIX) and key.endswith(UPLOAD) and len(key) <= NAME_MAX and storage.filename:
            data = storage.read(IMAGE_MAX + 1)
            storage.close()  # a large upload is spooled to a temporary file: let it go now
            if data:
                chosen[key[:-len(UPLOAD)]] = "data:application/octet-stream;base64," + base64.b64encode(data).decode()
    return chosen


def answers_from(form: Form, data: MultiDict, chosen: dict[str, str] | None = None) -> dict[str, Any]:
    """Raw answers (text, as typed) from posted fields; validation turns them into typed values."""
    posted = _Posted.index(data, chosen)
    return {q.id: _value(q, posted, f"{PREFIX}{q.id}") for q in form.questions()
            if _present(q, posted, f"{PREFIX}{q.id}")}


def _present(question: Question, posted: _Posted, name: str) -> bool:
    return name in posted.prefixes or name in posted.uploads


def _value(question: Question, posted: _Posted, name: str) -> Any:
    data = posted.data
    if question.type == "multichoice":
        return [value for value in data.getlist(name) if value]
    if question.type == "boolean":
        return data.get(name, "")  # ja, nej, ved ikke (as chosen); empty when none was chosen
    if question.type == "image":  # a new picture, else the one carried from the last page unless removed
        return posted.uploads.get(name) or ("" if data.get(f"{name}._remove") else data.get(name, ""))
    if question.is_group and not question.repeat:
        return {f.id: _value(f, posted, f"{name}.{f.id}") for f in question.fields
                if _present(f, posted, f"{name}.{f.id}")}
    if question.is_group:
        records = []
        for row in sorted(posted.rows.get(name, ()))[:ROWS_MAX]:
            base = f"{name}.{row}"
            if data.get(f"{base}._remove"):
                continue
            record = {f.id: _value(f, posted, f"{base}.{f.id}") for f in question.fields
                      if _present(f, posted, f"{base}.{f.id}")}
            if any(v not in ("", [], "nej", None) for v in record.values()):
                records.append(record)
        return records
    return data.get(name, "")


def hidden_fields(data: MultiDict, chosen: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The posted answer fields (and pictures chosen in this post), to carry them to the next step as hidden
    inputs."""
    chosen = chosen or {}
    return [(key, value) for key, values in data.lists() if key.startswith(PREFIX) and key not in chosen
            for value in values] + sorted(chosen.items())


def field_values(form: Form, answers: dict[str, Any]) -> dict[str, Any]:
    """Values to show in the form for these (raw or clean) answers, by field name."""
    shown: dict[str, Any] = {}
    for question in form.questions():
        _show(question, answers.get(question.id, question.default), f"{PREFIX}{question.id}", shown)
    return shown


def _show(question: Question, value: Any, name: str, shown: dict[str, Any]) -> None:
    if question.is_group and not question.repeat:
        record = value if isinstance(value, dict) else {}
        for field in question.fields:
            _show(field, record.get(field.id, field.default), f"{name}.{field.id}", shown)
    elif question.is_group:
        for row, record in enumerate(value if isinstance(value, list) else []):
            for field in question.fields:
                _show(field, (record or {}).get(field.id), f"{name}.{row}.{field.id}", shown)
    elif question.type == "boolean":
        flag = parse_boolean(value)
        shown[name] = "ja" if flag is True else "nej" if flag is False else "ved ikke" if is_unknown_answer(
            value) else ""
    elif question.type == "multichoice":
        shown[name] = [str(v) for v in value] if isinstance(value, list) else []
    elif question.type == "image":
        shown[name] = value.data_url() if isinstance(value, ImageAnswer) else value if isinstance(
            value, str) and value.startswith("data:") else ""
    elif question.type == "list":
        shown[name] = "\n".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    else:
        shown[name] = "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))


def carried_images(values: dict[str, Any], lang: str = "da") -> dict[str, str]:
    """The pictures carried in the form, described ("Billede (PNG, 12 kB)"); one that is not a picture is dropped
    from `values`, so it is not carried further (its field shows the error)."""
    described = {}
    for name, value in list(values.items()):
        if isinstance(value, str) and value.startswith("data:"):
            image, _problem = read_image(value)
            if image is None:
                values[name] = ""
            else:
                described[name] = image.describe(lang)
    return described


def error_fields(problems: list, lang: str = "da") -> dict[str, str]:
    """Problems by field name: `members[2].name` → `q.members.1.name` (rows are shown compacted)."""
    errors: dict[str, str] = {}
    for problem in problems:
        field = problem.field or ""
        name = PREFIX + re.sub(r"\[(\d+)\]", lambda m: f".{int(m.group(1)) - 1}", field)
        errors.setdefault(name, in_danish(problem.message) if lang == "da" else _english(problem.message))
    return errors


def row_count(question: Question, answers: dict[str, Any], extra: int = 1) -> int:
    """Rows to show for a repeatable group: its entries plus empty ones to fill in."""
    value = answers.get(question.id)
    entries = len(value) if isinstance(value, list) else 0
    return max(entries + extra, question.min or 0, 1)


DANISH = [
    (r"is required", "Skal udfyldes."),
    (r"must be a number, not '(.*)'", r"Skal være et tal, ikke »\1«."),
    (r"must be at least (\S+) characters", r"Skal være mindst \1 tegn."),
    (r"must be at most (\S+) characters \(it is (\d+)\)", r"Må højst være \1 tegn (der er \2)."),
    (r"must be at least (\S+)", r"Skal være mindst \1."),
    (r"must be at most (\S+)", r"Må højst være \1."),
    (r"must be a date written YYYY-MM-DD, not '(.*)'", r"Skal være en dato (ÅÅÅÅ-MM-DD), ikke »\1«."),
    (r"must be on or after (\S+)", r"Skal være den \1 eller senere."),
    (r"must be on or before (\S+)", r"Skal være den \1 eller tidligere."),
    (r"'(.*)' is not one of the choices: .*", r"Vælg en af mulighederne (ikke »\1«)."),
    (r"(.*): not among the choices: .*", r"Vælg blandt mulighederne (ikke »\1«)."),
    (r"must match the pattern .*", "Har ikke den rette form."),
    (r"needs at least (\d+) (entries|choices)", r"Kræver mindst \1."),
    (r"allows at most (\d+) (entries|choices)", r"Højst \1."),
    (r"must be yes or no .*", "Svar ja eller nej."),
    (r"must be text", "Skal være tekst."),
    (r"must be a whole number, not '(.*)'", r"Skal være et helt tal, ikke »\1«."),
    (r"must be a list of values \(one per line\)", "Skriv én værdi pr. linje."),
    (r"must be a number", "Skal være et tal."),
    (r"must be a PNG or JPEG image.*", "Skal være et billede i PNG eller JPEG."),
    (r"is too large; an image may be at most (\d+) kB.*", r"Billedet er for stort; højst \1 kB."),
    (r"contains a control character \((U\+[0-9A-F]+)\) .*",
     r"Indeholder et kontroltegn (\1), som et Word-dokument ikke kan rumme; fjern det."),
]
ENTRY = re.compile(r"entry (\d+): (.*)", re.DOTALL)


def in_danish(message: str) -> str:
    """The validator's message in Danish for the web form (a template's own pattern_message is kept)."""
    entry = ENTRY.fullmatch(message)
    if entry:
        return f"Linje {entry.group(1)}: {in_danish(entry.group(2))}"
    for pattern, replacement in DANISH:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def _english(message: str) -> str:
    """The validator's own (English) message, as a sentence."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
