"""An uploaded Word file opened safely, before any converter sees it.

Every part is unpacked here once, under a budget: the upload's size, the number of parts, the unpacked total and
each part's packing ratio (a zip bomb packs gigabytes of zeros into kilobytes), so the converter that reads the
file afterwards (mammoth) reads only parts that were proven to unpack within it. Refused too: an encrypted file
or an old .doc (both are OLE compound files, not zips), part names that climb out of the package or nest without
end, XML with a document type declaration (Word never writes one; it is how entity bombs start), images linked
from outside the file (a converter would open the path or address; it must never be fetched) and images far
over the media limit. Each refusal is an Invalid that names the file and says what to do, at the field "file".
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

from toolkit.errors import Invalid, Problem
from toolkit.library.media import IMAGE_MAX_BYTES

UPLOAD_MAX_BYTES = 30 * 1024 * 1024
UNPACKED_MAX_BYTES = 150 * 1024 * 1024
MEMBERS_MAX = 2000
RATIO_MAX = 200              # unpacked / packed, for a part over RATIO_FLOOR (Word's XML packs 5–30 times)
RATIO_FLOOR = 1024 * 1024
DEPTH_MAX = 8                # folders in a part name; Word's deepest is word/embeddings/… or customXml/_rels/…
CHUNK = 1024 * 1024
DOCUMENT_PART = "word/document.xml"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # the stream name in an encrypted file's directory
IMAGE_RELATIONSHIP = re.compile(r"/image\Z")  # others (an attached template, a linked object) are never opened
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class DocxPackage:
    """A .docx that passed every check: its bytes, and its parts unpacked (name → bytes)."""

    filename: str
    data: bytes
    parts: Mapping[str, bytes]

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed without entities, DTDs or network, or None when the package has no such part."""
        data = self.parts.get(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            raise refused(self.filename, f"er beskadiget (delen {name} er ikke gyldig XML); åbn den i Word, gem "
                                         "den igen som .docx og prøv igen") from None


def open_docx(data: bytes, filename: str) -> DocxPackage:
    """Check an uploaded .docx and unpack it; Invalid (field "file") names the file and says what to do."""
    shown = PurePosixPath(filename.replace("\\", "/")).name or "filen"
    if len(data) > UPLOAD_MAX_BYTES:
        raise refused(shown, f"fylder {_mb(len(data))}; højst {_mb(UPLOAD_MAX_BYTES)} kan indlæses — gør "
                             "billederne i den mindre (Word: Komprimer billeder) eller del dokumentet op")
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTED_STREAM in data:
            raise refused(shown, "er krypteret (beskyttet med adgangskode); fjern adgangskoden i Word (Filer › "
                                 "Oplysninger › Beskyt dokument), gem den og prøv igen")
        raise refused(shown, "er i det gamle .doc-format; gem den som .docx (Word-dokument) og prøv igen")
    if not data.startswith(b"PK\x03\x04"):
        raise refused(shown, _not_a_zip(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise refused(shown, "er beskadiget (zip-pakken kan ikke læses); gem den igen som .docx og prøv igen") \
            from None
    with archive:
        members = _checked_members(archive, shown)
        parts = {member.filename: _unpack(archive, member, shown) for member in members}
    if parts.get("mimetype", b"").startswith(b"application/vnd.oasis.opendocument"):
        raise refused(shown, "er et OpenDocument-dokument (.odt); gem den som .docx (Word-dokument) og prøv igen")
    if DOCUMENT_PART not in parts:
        raise refused(shown, "er ikke et Word-dokument (pakken har ingen word/document.xml); gem den fra Word "
                             "som .docx og prøv igen")
    package = DocxPackage(shown, data, parts)
    _check_relationships(package)
    return package


def refused(shown: str, reason: str) -> Invalid:
    """The Invalid every check raises: the message names the file, the problem sits at the field "file"."""
    return Invalid(f"{shown} {reason}", [Problem.at(shown, reason, field="file")])


def _not_a_zip(data: bytes) -> str:
    head = data[:8].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return "er en RTF-fil; gem den som .docx (Word-dokument) og prøv igen"
    if head.startswith(b"%PDF-"):
        return "er en PDF; åbn den i Word, gem den som .docx og prøv igen"
    return "er ikke et Word-dokument (.docx); gem den fra Word som .docx og prøv igen"


def _checked_members(archive: zipfile.ZipFile, shown: str) -> list[zipfile.ZipInfo]:
    members = [member for member in archive.infolist() if not member.is_dir()]
    if len(members) > MEMBERS_MAX:
        raise refused(shown, f"består af {len(members)} dele (et Word-dokument har sjældent over 100); den kan "
                             "ikke indlæses — gem den igen fra Word som .docx")
    names: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        if name in names:
            raise refused(shown, f"er beskadiget (delen {name} findes to gange); gem den igen som .docx")
        names.add(name)
        path = PurePosixPath(name)
        if (name.startswith("/") or "\\" in name or ":" in name or ".." in path.parts
                or len(path.parts) > DEPTH_MAX + 1):
            raise refused(shown, f"indeholder en del med et ugyldigt navn ({name[:80]}); gem den igen fra Word "
                                 "som .docx")
        if member.flag_bits & 0x1:
            raise refused(shown, "er krypteret (beskyttet med adgangskode); fjern adgangskoden i Word, gem den og "
                                 "prøv igen")
        total += member.file_size
        if total > UNPACKED_MAX_BYTES:
            raise refused(shown, f"ville fylde over {_mb(UNPACKED_MAX_BYTES)} udpakket (en zip-bombe?); den kan "
                                 "ikke indlæses — gem den igen fra Word, gerne med mindre billeder")
        if member.file_size > RATIO_FLOOR and member.file_size > RATIO_MAX * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise refused(shown, f"indeholder en del ({name}), der pakker sig {ratio} gange sammen (en "
                                 "zip-bombe?); den kan ikke indlæses — gem den igen fra Word som .docx")
        if name.startswith("word/media/") and member.file_size > IMAGE_MAX_BYTES:
            raise refused(shown, f"indeholder et billede på {_mb(member.file_size)} ({name}); højst "
                                 f"{_mb(IMAGE_MAX_BYTES)} pr. billede er tilladt — gør billedet mindre (Word: "
                                 "Komprimer billeder) og prøv igen")
    return members


def _unpack(archive: zipfile.ZipFile, member: zipfile.ZipInfo, shown: str) -> bytes:
    """The part's bytes, read in chunks and stopped at its declared size: the sizes in a zip's directory are
    only claims, and the budget above was counted from them."""
    chunks, size = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > member.file_size:
                    raise refused(shown, f"er beskadiget (delen {member.filename} er større, end pakken siger); "
                                         "den kan ikke indlæses")
                chunks.append(chunk)
    except Invalid:
        raise
    except Exception as exc:  # a damaged stream: BadZipFile, zlib.error, EOFError, an unknown method (NotImplemented) …
        raise refused(shown, f"er beskadiget (delen {member.filename} kan ikke pakkes ud: {type(exc).__name__}); "
                             "gem den igen som .docx og prøv igen") from None
    data = b"".join(chunks)
    if member.filename.endswith((".xml", ".rels")) and _DOCTYPE.search(data):
        raise refused(shown, f"indeholder XML med en dokumenttypeerklæring ({member.filename}), som Word aldrig "
                             "skriver; den kan ikke indlæses — gem den igen fra Word som .docx")
    return data


def _check_relationships(package: DocxPackage) -> None:
    """No image linked from outside the file: a converter would open that path or address while reading, and
    an upload must never make the server fetch or read anything."""
    for name in package.parts:
        if not name.endswith(".rels"):
            continue
        root = package.xml(name)
        if root is None:
            continue
        for relationship in root:
            if str(relationship.get("TargetMode", "")).lower() != "external":
                continue
            if IMAGE_RELATIONSHIP.search(str(relationship.get("Type", ""))):
                target = str(relationship.get("Target", ""))
                target = target if len(target) <= 160 else target[:159] + "…"
                raise refused(package.filename, f"viser et billede, der ligger uden for filen ({target}); det "
                                                "hentes ikke — indsæt billedet i dokumentet (Word: Indsæt › "
                                                "Billeder › Dette apparat, ikke »Sammenkæd med fil«), gem og prøv "
                                                "igen")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"
