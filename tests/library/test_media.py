"""A material's images and attachments: checked by their bytes, referred to from the text, rendered, checked as
part of the library."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from toolkit.errors import Invalid
from toolkit.library.folder import Library
from toolkit.library.media import inspect_media, references, resolve, safe_name, sniff, unique_name
from toolkit.library.render import LinkTargets, Renderer


def picture(kind: str = "PNG", size: tuple[int, int] = (20, 10)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, kind)
    return out.getvalue()


@pytest.mark.parametrize(("kind", "expected"), [("PNG", "png"), ("JPEG", "jpeg"), ("GIF", "gif"), ("WEBP", "webp")])
def test_images_are_known_by_their_bytes_whatever_their_name(kind, expected):
    checked = inspect_media("Figur 3 – Dataflow.BIN", picture(kind))
    assert checked.type == expected and checked.is_image and (checked.width, checked.height) == (20, 10)
    assert checked.name == f"figur-3-dataflow.{'jpg' if expected == 'jpeg' else expected}"


def test_names_are_made_safe_and_unique():
    assert safe_name("../../etc/Æblegrød på bordet.png", "png") == "aeblegroed-paa-bordet.png"
    assert safe_name("...png", "png") == "fil.png"
    assert unique_name("a.png", {"a.png", "a-2.png"}) == "a-3.png"


@pytest.mark.parametrize(("name", "data", "said"), [
    ("side.png", b"<!doctype html><script>alert(1)</script>", "er ikke et billede eller en PDF"),
    ("t.svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "SVG-filer modtages"),
    ("kæmpe.png", b"\x89PNG\r\n\x1a\n" + bytes(11 * 1024 * 1024), "højst 10 MB"),
    ("brudt.jpg", picture("JPEG")[:40], "kan ikke læses som billede"),
    ("halv.pdf", b"%PDF-1.7\n1 0 obj", "ufuldstændig PDF"),
])
def test_what_is_not_an_image_or_pdf_is_refused_with_the_reason(name, data, said):
    with pytest.raises(Invalid) as refused:
        inspect_media(name, data)
    assert said in str(refused.value) and refused.value.problems[0].field == "file"


def test_a_huge_picture_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 million pixels in a few kilobytes
    with pytest.raises(Invalid, match="millioner punkter"):
        inspect_media("plakat.png", out.getvalue())


def test_a_pdf_is_an_attachment():
    checked = inspect_media("Bilag.PDF", b"%PDF-1.4\n%%EOF\n")
    assert checked.type == "pdf" and not checked.is_image and checked.mime == "application/pdf"
    assert sniff(b"GIF89a...") == "gif" and sniff(b"hello") is None


def test_references_are_found_with_their_lines_and_labels():
    body = "Intro\n\n![Dataflow](media:flow.png) og [Bilag 1](media:bilag.pdf)\n\n![](media:tom.png)\n"
    found = references(body)
    assert [(r.name, r.line, r.image, r.label) for r in found] == [
        ("flow.png", 3, True, "Dataflow"), ("bilag.pdf", 3, False, "Bilag 1"), ("tom.png", 5, True, "")]


def test_the_renderer_shows_own_images_and_never_fetches_others():
    html = Renderer().render("![Dataflow](media:flow.png) ![Logo](https://tracker.example/p.gif) "
                             "![x](javascript:alert(1)) [Bilag](media:b.pdf)", LinkTargets({})).html
    assert '<img src="media:flow.png" alt="Dataflow" loading="lazy">' in html
    assert "<img src=\"https" not in html and '<a href="https://tracker.example/p.gif"' in html
    assert 'src="javascript' not in html and 'href="javascript' not in html
    page = resolve(html, "/m/guide/media/")
    assert '<img src="/m/guide/media/flow.png"' in page and 'href="/m/guide/media/b.pdf"' in page
    inline = resolve(html, "/x/", inline={"flow.png": "data:image/png;base64,AAAA"})
    assert 'src="data:image/png;base64,AAAA"' in inline and 'href="/x/b.pdf"' in inline


def test_the_library_check_names_missing_files_images_without_alt_and_unused_files(library_path, write_material):
    write_material("med-billeder", "![Flow](media:flow.png)\n\n![](media:uden-alt.png)\n\n[B](media:mangler.pdf)\n")
    media = library_path / "media" / "med-billeder"
    media.mkdir(parents=True)
    (media / "flow.png").write_bytes(picture())
    (media / "uden-alt.png").write_bytes(picture())
    (media / "glemt.png").write_bytes(picture())
    (library_path / "media" / "ingen-saadan").mkdir()
    library = Library.load(library_path)
    problems = [str(p) for p in library.problems if p.field == "media"]
    assert any("media:mangler.pdf: no such file" in p for p in problems)
    assert any("uden-alt.png has no alternative text" in p for p in problems)
    assert not any("flow.png" in p for p in problems)
    warnings = [str(w) for w in library.media_warnings()]
    assert any("media/med-billeder/glemt.png" in w and "no media:glemt.png" in w for w in warnings)
    assert any("media/ingen-saadan" in w and "no material has this slug" in w for w in warnings)
    assert library.media_file("med-billeder", "flow.png") is not None
    assert library.media_file("med-billeder", "../med-billeder.md") is None
