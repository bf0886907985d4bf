"""Answers that are pictures (an `image` question: a logo, a signature): PNG or JPEG, size-limited, their type
sniffed from the bytes (never trusted from a name), placed in the Word file with docxtpl's InlineImage.

An answer arrives as bytes (an upload, a file the CLI read) or as a `data:` URL (how the web form carries it
from page to page, and how `--save-answers` writes it); `read_image` turns either into an ImageAnswer.
"""

from __future__ import annotations

import base64
import binascii
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import Invalid, Problem
from toolkit.library.media import sniff

if TYPE_CHECKING:
    from toolkit.documents.questions import Form, Question

# A logo or a signature. The web form carries a chosen picture in the page as base64 (4/3 of its size), and a post
# may hold a new upload beside the carried one within the 1 MB post limit: 320 + 427 kB, with room for the rest.
IMAGE_MAX = 320 * 1024
IMAGE_KINDS = {"png": "image/png", "jpeg": "image/jpeg"}
DEFAULT_WIDTH_MM = 40.0


@dataclass(frozen=True)
class ImageAnswer:
    data: bytes
    kind: str  # png or jpeg, sniffed
    width_mm: float = DEFAULT_WIDTH_MM

    def data_url(self) -> str:
        return f"data:{IMAGE_KINDS[self.kind]};base64,{base64.b64encode(self.data).decode()}"

    def describe(self, lang: str = "da") -> str:
        size = max(1, round(len(self.data) / 1024))
        return f"{'Image' if lang == 'en' else 'Billede'} ({self.kind.upper()}, {size} kB)"

    def __str__(self) -> str:
        return self.describe()


def read_image(value: Any, width_mm: float | None = None) -> tuple[ImageAnswer | None, str | None]:
    """The image in an answer, or the reason it is not one (a message for the validator)."""
    width = width_mm or DEFAULT_WIDTH_MM
    if isinstance(value, ImageAnswer):
        return ImageAnswer(value.data, value.kind, width), None
    data = value
    if isinstance(value, str):
        if not value.startswith("data:") or ";base64," not in value[:40]:
            return None, "must be a PNG or JPEG image (in an answers file: the file's path)"
        encoded = value.split(",", 1)[1]
        if len(encoded) > IMAGE_MAX * 4 // 3 + 8:
            return None, f"is too large; an image may be at most {IMAGE_MAX // 1024} kB"
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return None, "must be a PNG or JPEG image (the data is damaged)"
    if not isinstance(data, bytes | bytearray):
        return None, "must be a PNG or JPEG image (in an answers file: the file's path)"
    if len(data) > IMAGE_MAX:
        return None, f"is too large; an image may be at most {IMAGE_MAX // 1024} kB (it is {len(data) // 1024} kB)"
    kind = sniff(bytes(data))
    if kind not in IMAGE_KINDS:
        return None, "must be a PNG or JPEG image"
    return ImageAnswer(bytes(data), kind, width), None


def read_image_file(path: Path) -> tuple[bytes | None, str | None]:
    """The bytes of an image file the CLI was pointed at (its size checked before it is read), or the reason."""
    try:
        if not path.is_file():
            return None, f"no such file: {path}"
        if path.stat().st_size > IMAGE_MAX:
            return None, f"{path} is too large; an image may be at most {IMAGE_MAX // 1024} kB"
        return path.read_bytes(), None
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"


def load_image_files(form: Form, answers: Mapping[str, Any], base: Path, source: str, *,
                     inside: Path | None = None) -> dict[str, Any]:
    """Answers with each image answer that is a file path (relative to `base`, the answers file's folder) read
    into bytes; `inside` keeps the files within a folder (a package's example). Invalid names each file that
    cannot be read, by field."""
    problems: list[Problem] = []

    def load(question: Question, value: Any, name: str) -> Any:
        if question.type == "image" and isinstance(value, str) and value.strip() and not value.startswith("data:"):
            path = (base / value.strip()).expanduser()
            if inside is not None and not path.resolve().is_relative_to(inside.resolve()):
                problems.append(Problem.at(source, f"{value} is outside {inside.name}/; put the picture in the "
                                                   "package folder", field=name))
                return None
            data, problem = read_image_file(path)
            if problem:
                problems.append(Problem.at(source, problem, field=name))
            return data
        fields = {f.id: f for f in question.fields}
        if question.is_group and isinstance(value, Mapping):
            return {k: load(fields[k], v, f"{name}.{k}") if k in fields else v for k, v in value.items()}
        if question.is_group and isinstance(value, list):
            return [load(question, r, f"{name}[{i}]") for i, r in enumerate(value, start=1)]
        return value

    known = {q.id: q for q in form.questions()}
    loaded = {key: load(known[key], value, key) if key in known else value for key, value in answers.items()}
    if problems:
        raise Invalid(f"{source}: image files cannot be read", problems)
    return loaded


def with_inline_images(context: Mapping[str, Any], template: Any) -> dict[str, Any]:
    """The context with every ImageAnswer (also inside groups) as docxtpl's InlineImage of `template`."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    def convert(value: Any) -> Any:
        if isinstance(value, ImageAnswer):
            return InlineImage(template, io.BytesIO(value.data), width=Mm(value.width_mm))
        if isinstance(value, list):
            return [convert(item) for item in value]
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        return value

    return {key: convert(value) for key, value in context.items()}
