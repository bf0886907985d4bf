"""Custom document properties of a .docx (docProps/custom.xml): how a Word file "til kommentering" carries the
revision and the material it came from, so that the file brought back can be saved against that revision.

Word keeps custom properties when a co-author edits and saves the file (Filer › Oplysninger › Egenskaber ›
Avancerede egenskaber › Brugerdefineret shows them). Values are written as text (vt:lpwstr).
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

CUSTOM_PART = "docProps/custom.xml"
CONTENT_TYPES_PART = "[Content_Types].xml"
PACKAGE_RELS_PART = "_rels/.rels"
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
FORMAT_ID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the format id of every user-defined property
VALUE_MAX = 4096
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def read_custom_properties(docx: zipfile.ZipFile | bytes) -> dict[str, str]:
    """The custom properties of a .docx (its bytes, or the open zip) as name → text ({} when it has none or
    they cannot be read)."""
    if isinstance(docx, bytes | bytearray):
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            return read_custom_properties(archive)
    try:
        data = docx.read(CUSTOM_PART)
    except KeyError:
        return {}
    return parse_custom_properties(data)


def parse_custom_properties(data: bytes) -> dict[str, str]:
    """docProps/custom.xml as name → text; a value of another type (number, date, yes/no) as its text."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for prop in root.iter(f"{{{PROPERTIES_NS}}}property"):
        name = prop.get("name")
        if name and len(prop):
            found[name] = (prop[0].text or "")[:VALUE_MAX]
    return found


def write_custom_properties(docx_bytes: bytes, values: dict[str, str]) -> bytes:
    """The .docx with these custom properties added or replaced (others it has are kept), its content type and
    package relationship in place."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as source:
        current = read_custom_properties(source)
        current.update({name: str(value) for name, value in values.items()})
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for member in source.infolist():
                if member.filename == CUSTOM_PART:
                    continue
                data = source.read(member)
                if member.filename == CONTENT_TYPES_PART:
                    data = _with_override(data)
                elif member.filename == PACKAGE_RELS_PART:
                    data = _with_relationship(data)
                target.writestr(member, data)
            target.writestr(CUSTOM_PART, _custom_xml(current))
    return output.getvalue()


def _custom_xml(values: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{PROPERTIES_NS}}}Properties", nsmap={None: PROPERTIES_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):  # property ids start at 2
        prop = etree.SubElement(root, f"{{{PROPERTIES_NS}}}property", fmtid=FORMAT_ID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_override(data: bytes) -> bytes:
    root = etree.fromstring(data, _PARSER)
    part_name = "/" + CUSTOM_PART
    for override in root.findall(f"{{{CONTENT_TYPES_NS}}}Override"):
        if override.get("PartName") == part_name:
            root.remove(override)
    etree.SubElement(root, f"{{{CONTENT_TYPES_NS}}}Override", PartName=part_name, ContentType=CUSTOM_CONTENT_TYPE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_relationship(data: bytes) -> bytes:
    root = etree.fromstring(data, _PARSER)
    ids = set()
    for relationship in list(root):
        if relationship.get("Type") == CUSTOM_RELATIONSHIP:
            root.remove(relationship)
        else:
            ids.add(relationship.get("Id"))
    number = 1
    while f"rId{number}" in ids:
        number += 1
    etree.SubElement(root, f"{{{RELATIONSHIPS_NS}}}Relationship", Id=f"rId{number}", Type=CUSTOM_RELATIONSHIP,
                     Target=CUSTOM_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
