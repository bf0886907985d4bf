"""A material's images and attachments in its Word export: an image becomes an inline picture that fits the
text width (and a height that leaves room for the text around it), with its alt text as the picture's description,
which Word reads aloud and LibreOffice can carry into a tagged PDF. WebP is converted to PNG first (Word and
LibreOffice read it poorly or not at all), and a phone photo with an EXIF orientation is turned upright. A file that
is missing or cannot be read leaves its alt text in brackets: an export never fails for a picture. A Word file
cannot hold a PDF, so a link to an attachment names it instead.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx.image.image import Image as DocxImage
from docx.shared import Cm, Emu
from docx.text.run import Run

from toolkit.library.folder import Library
from toolkit.library.media import IMAGE_MAX_PIXELS, MEDIA_SCHEME, NAME_RE, TYPES, sniff
from toolkit.publishing.wordpage import TEXT_WIDTH_CM, clean

MediaReader = Callable[[str], "bytes | None"]
MAX_HEIGHT_CM = 12.0  # half an A4 text column: a tall diagram still leaves room for the text that explains it
DEFAULT_DPI = 96  # a screenshot without a resolution is shown at screen size, not blown up


def library_media(library: Library, slug: str) -> MediaReader:
    """Read a material's current files from the library folder."""
    def read(name: str) -> bytes | None:
        path = library.media_file(slug, name)
        try:
            return Path(path).read_bytes() if path is not None else None
        except OSError:
            return None
    return read


def media_name(href: str) -> str | None:
    """The file name of a media: address, or None for any other address (or a name no file can have)."""
    if not href.startswith(MEDIA_SCHEME):
        return None
    name = href[len(MEDIA_SCHEME):].strip("<>")
    return name if NAME_RE.match(name) else None


def attachment_note(name: str) -> str:
    """What stands after a link to an attachment, which the Word file cannot hold."""
    return f" (vedhæftet fil: {name})"


def add_picture(run: Run, data: bytes, alt: str, *, max_width_cm: float = TEXT_WIDTH_CM) -> bool:
    """Put the image into `run`, scaled down to fit; False (nothing added) when it is not an image Word can show."""
    kind = sniff(data)
    if kind is None or TYPES[kind][2] != "image":
        return False
    try:
        if kind == "webp":
            data = _as_png(data)
        elif kind == "jpeg" and b"Exif" in data[:65536]:
            data = _upright(data)
        header = DocxImage.from_blob(data)
        width_cm, height_cm = _natural_size_cm(header)
        scale = min(1.0, max_width_cm / width_cm, MAX_HEIGHT_CM / height_cm)
        shape = run.add_picture(io.BytesIO(data), width=Emu(int(Cm(width_cm * scale))),
                                height=Emu(int(Cm(height_cm * scale))))
    except Exception:  # python-docx and Pillow raise many kinds for a damaged file; the alt text stands in
        return False
    description = clean(alt)
    shape._inline.docPr.set("descr", description)  # the alternative text (WCAG 1.1.1, PDF/UA)
    picture_properties = shape._inline.graphic.graphicData.pic.nvPicPr.cNvPr
    picture_properties.set("descr", description)
    return True


def _natural_size_cm(header: DocxImage) -> tuple[float, float]:
    if not header.px_width or not header.px_height:
        raise ValueError("an image without size")
    dpi_x = header.horz_dpi if header.horz_dpi and header.horz_dpi >= 72 else DEFAULT_DPI
    dpi_y = header.vert_dpi if header.vert_dpi and header.vert_dpi >= 72 else DEFAULT_DPI
    return header.px_width / dpi_x * 2.54, header.px_height / dpi_y * 2.54


def _upright(data: bytes) -> bytes:
    """A phone photo stored sideways with an EXIF orientation, turned as a browser shows it (Word ignores the tag)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        if image.getexif().get(0x0112, 1) == 1:  # 0x0112: Orientation; 1 is upright
            return data
        if image.width * image.height > IMAGE_MAX_PIXELS:
            raise ValueError("too many pixels")
        buffer = io.BytesIO()
        ImageOps.exif_transpose(image).save(buffer, format="JPEG", quality=90)
        return buffer.getvalue()


def _as_png(data: bytes) -> bytes:
    from PIL import Image  # only an export with a WebP image pays for Pillow

    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > IMAGE_MAX_PIXELS:
            raise ValueError("too many pixels")
        converted = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        buffer = io.BytesIO()
        converted.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
