"""Images and attachments of a material: what may be stored, under which name, and where the text refers to them.

A material's files live beside the text in the versioned library, `library/media/<slug>/<name>`, and the text
refers to them as `![alt](media:name.png)` (an image) or `[Bilag](media:name.pdf)` (a download). The type is
sniffed from the bytes, never taken from the file name; images are decoded once (Pillow) so a polyglot (HTML named
.png) or a truncated file is refused before anything is written. SVG is refused outright: it is a program, and a
raster copy says the same to a reader.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath

from toolkit.errors import Invalid, Problem

MEDIA_FOLDER = "media"  # library/media/<slug>/<name>
MEDIA_SCHEME = "media:"
IMAGE_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000  # a 50 MB PNG of one colour decodes to gigabytes; refuse before decoding it
FILES_MAX = 100  # files per material
NAME_MAX = 80

# type → (extension, MIME type, kind); kind "image" is shown, "attachment" is downloaded
TYPES = {
    "png": ("png", "image/png", "image"),
    "jpeg": ("jpg", "image/jpeg", "image"),
    "gif": ("gif", "image/gif", "image"),
    "webp": ("webp", "image/webp", "image"),
    "pdf": ("pdf", "application/pdf", "attachment"),
}
EXTENSIONS = {extension: kind for kind, (extension, _, _) in TYPES.items()} | {"jpeg": "jpeg"}
NAME_RE = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,70}[a-z0-9])?\.(?:png|jpg|gif|webp|pdf)\Z")
# media:name inside a Markdown link or image target: ](media:name.png) or ](media:name.png "title")
REFERENCE_RE = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*media:([^\s)]+)")
ACCEPTED = "PNG, JPEG, GIF, WebP eller PDF"


@dataclass(frozen=True)
class MediaFile:
    """A checked file, ready to be stored as library/media/<slug>/<name>."""

    name: str
    data: bytes
    type: str           # a key of TYPES
    width: int | None = None
    height: int | None = None

    @property
    def mime(self) -> str:
        return TYPES[self.type][1]

    @property
    def is_image(self) -> bool:
        return TYPES[self.type][2] == "image"


@dataclass(frozen=True)
class MediaReference:
    name: str
    line: int          # 1-based within the body
    image: bool        # ![alt](media:…) rather than [text](media:…)
    label: str         # the alt text of an image, the link text of a download


def media_path(slug: str, name: str) -> str:
    """The file's path inside the content repository."""
    return f"library/{MEDIA_FOLDER}/{slug}/{name}"


def sniff(data: bytes) -> str | None:
    """The file's type from its first bytes (a key of TYPES), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:65536].lower()


def safe_name(filename: str, kind: str) -> str:
    """A stable, URL- and file-system-safe name with the extension of the sniffed type: "Figur 1 (ny).PNG" →
    "figur-1-ny.png"."""
    stem = PurePosixPath(filename.replace("\\", "/")).name.rsplit(".", 1)[0] if "." in filename else filename
    stem = PurePosixPath(stem.replace("\\", "/")).name
    folded = stem.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:NAME_MAX - 6].strip("-") or "fil"
    return f"{stem}.{TYPES[kind][0]}"


def inspect_media(filename: str, data: bytes) -> MediaFile:
    """Check an uploaded or extracted file; Invalid names the file and says what to do. The name is made safe
    (`safe_name`); the caller makes it unique within the material."""
    shown = PurePosixPath(filename.replace("\\", "/")).name or "filen"
    kind = sniff(data)
    if kind is None:
        if looks_like_svg(data):
            raise _refused(shown, "SVG-filer modtages ikke, fordi de kan indeholde programkode; gem tegningen som "
                                  "PNG og prøv igen")
        raise _refused(shown, f"er ikke et billede eller en PDF, vi kan vise (indholdet er ikke {ACCEPTED}, "
                              "hvad end filnavnet siger); gem den i et af de formater og prøv igen")
    limit = ATTACHMENT_MAX_BYTES if TYPES[kind][2] == "attachment" else IMAGE_MAX_BYTES
    if len(data) > limit:
        raise _refused(shown, f"fylder {_megabytes(len(data))}; højst {_megabytes(limit)} er tilladt — gør "
                              "billedet mindre (fx 1600 punkter bredt) eller del dokumentet op")
    width = height = None
    if kind != "pdf":
        width, height = _decode(shown, data)
    elif b"%%EOF" not in data[-2048:]:
        raise _refused(shown, "er en ufuldstændig PDF (slutningen mangler); gem den igen og prøv igen")
    return MediaFile(safe_name(shown, kind), data, kind, width, height)


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3` … when a different file already has it."""
    if name not in taken:
        return name
    stem, extension = name.rsplit(".", 1)
    number = 2
    while f"{stem}-{number}.{extension}" in taken:
        number += 1
    return f"{stem}-{number}.{extension}"


def references(body: str) -> list[MediaReference]:
    """Every media: reference in a Markdown body, in order (code blocks and spans included: a reference that
    only an example shows is still checked, which errs on the side of keeping the file)."""
    found = []
    for line_number, line in enumerate(body.split("\n"), start=1):
        for match in REFERENCE_RE.finditer(line):
            name = match.group(3).strip("<>")
            found.append(MediaReference(name, line_number, match.group(1) == "!", match.group(2).strip()))
    return found


def reference_problems(body: str, where: str, first_line: int, stored: set[str] | None) -> list[Problem]:
    """An image without alt text (WCAG 1.1.1), a name that cannot be a media file, and — when the stored files
    are known — a reference to a file that is not there."""
    problems = []
    for reference in references(body):
        line = first_line + reference.line - 1
        if not NAME_RE.match(reference.name):
            problems.append(Problem.at(where, f"media:{reference.name} is not a media file name (lower-case letters, "
                                              "digits and hyphens, ending in .png, .jpg, .gif, .webp or .pdf)",
                                       line=line, field="media"))
        elif stored is not None and reference.name not in stored:
            problems.append(Problem.at(where, f"media:{reference.name}: no such file in library/{MEDIA_FOLDER}/; "
                                              "upload it again or remove the reference", line=line, field="media"))
        if reference.image and not reference.label:
            problems.append(Problem.at(where, f"the image media:{reference.name} has no alternative text; write what "
                                              "it shows between the brackets: ![Diagram over …](media:…)",
                                       line=line, field="media"))
    return problems


def _decode(shown: str, data: bytes) -> tuple[int, int]:
    from PIL import Image  # only uploads and imports pay for Pillow

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise _refused(shown, f"er {width} × {height} punkter; højst {IMAGE_MAX_PIXELS // 1_000_000} "
                                      "millioner punkter er tilladt — gør billedet mindre og prøv igen")
            image.verify()
    except Invalid:
        raise
    except Exception as exc:  # Pillow raises many kinds for a broken file (OSError, SyntaxError, ValueError …)
        raise _refused(shown, "kan ikke læses som billede (filen er beskadiget eller ikke det, den giver sig ud "
                              "for); gem den igen og prøv igen") from exc
    return width, height


def _refused(shown: str, reason: str) -> Invalid:
    return Invalid(f"{shown} {reason}", [Problem.at(shown, reason, field="file")])


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB".replace(".", ",")


_RESOLVE_RE = re.compile(r'(\s(?:src|href)=")media:([a-z0-9][a-z0-9_.-]*)"')


def resolve(html: str, base: str | None, inline: dict[str, str] | None = None) -> str:
    """Point the rendered page's media: references at `base` + name (e.g. "/m/<slug>/media/"), or at a data: URI
    from `inline` (name → URI) for a self-contained HTML file. The renderer leaves them as media:name so that a
    page is cached once whatever address it is shown under (the material, an edition, the static site)."""
    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if inline is not None and name in inline:
            return f'{match.group(1)}{inline[name]}"'
        return f'{match.group(1)}{base or ""}{name}"'
    return _RESOLVE_RE.sub(replace, html) if "media:" in html else html
