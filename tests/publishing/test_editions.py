"""Word and PDF editions cached per edition, and what changed since the previous edition."""

from __future__ import annotations

import io

import docx
import pytest

from toolkit.errors import Invalid, NotFound
from toolkit.history.gitstore import Author
from toolkit.publishing.editions import EditionFiles, changes_in

ANNA = Author("Anna Jensen", "anna@rm.dk")
SLUG = "adgang-til-data"


def publish_new_section(instance) -> None:
    text = instance.read(SLUG).replace("\n## ", "\nEt nyt afsnit om RKKP.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "RKKP", instance.latest_revision(SLUG))
    instance.publish(SLUG, "minor", "Nyt afsnit om RKKP", ANNA)


def test_an_edition_is_built_once_and_then_read_from_the_cache(instance, tmp_path):
    files = EditionFiles(tmp_path / "cache", network_name="Testnetværket")
    first = files.edition(instance, SLUG, "1.2.0", "docx")
    cached = list((tmp_path / "cache" / SLUG).glob("1.2.0-*.docx"))
    assert len(cached) == 1 and cached[0].read_bytes() == first
    stamp = cached[0].stat().st_mtime_ns
    assert files.edition(instance, SLUG, "1.2.0", "docx") == first and cached[0].stat().st_mtime_ns == stamp
    document = docx.Document(io.BytesIO(first))
    assert document.paragraphs[0].text == "Testnetværket" and document.core_properties.version == "1.2.0"
    other_cover = EditionFiles(tmp_path / "cache", network_name="Et andet navn")
    assert docx.Document(io.BytesIO(other_cover.edition(instance, SLUG, "1.2.0", "docx"))).paragraphs[0].text \
        == "Et andet navn"


def test_an_old_edition_keeps_its_text_after_a_new_one(instance, tmp_path):
    publish_new_section(instance)
    files = EditionFiles(tmp_path / "cache")
    def text_of(version: str) -> str:
        document = docx.Document(io.BytesIO(files.edition(instance, SLUG, version, "docx")))
        return "\n".join(p.text for p in document.paragraphs)

    old, new = text_of("1.2.0"), text_of("1.3.0")
    assert "Et nyt afsnit om RKKP." in new and "Et nyt afsnit om RKKP." not in old


def test_an_edition_that_does_not_exist_names_the_ones_that_do(instance, tmp_path):
    with pytest.raises(NotFound, match=r"published: 1\.2\.0"):
        EditionFiles(tmp_path / "cache").edition(instance, SLUG, "9.9.9", "docx")
    assert not (tmp_path / "cache").exists()


def test_a_logo_that_is_too_large_or_not_an_image_is_refused(instance, tmp_path):
    big, text = tmp_path / "stor.png", tmp_path / "logo.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024 + 1))
    text.write_text("ikke et billede", encoding="utf-8")
    for logo, message in ((big, "too large"), (text, "not a PNG or JPEG")):
        with pytest.raises(Invalid, match=message):
            EditionFiles(tmp_path / "cache", logo=logo).edition(instance, SLUG, "1.2.0", "docx")
    assert not list((tmp_path / "cache").rglob("*.docx"))


def test_changes_since_the_previous_edition(instance):
    first = changes_in(instance, SLUG, "1.2.0")
    assert first.previous is None and first.diff is None
    publish_new_section(instance)
    changes = changes_in(instance, SLUG, "1.3.0")
    assert changes.previous.version == "1.2.0" and changes.edition.message == "Nyt afsnit om RKKP"
    added = [s.text for row in changes.diff.rows for s in row.right if s.changed]
    assert any("RKKP" in text for text in added)


def test_pdf_edition(instance, tmp_path, require_libreoffice):
    data = EditionFiles(tmp_path / "cache").edition(instance, SLUG, "1.2.0", "pdf")
    assert data.startswith(b"%PDF") and list((tmp_path / "cache" / SLUG).glob("1.2.0-*.pdf"))
