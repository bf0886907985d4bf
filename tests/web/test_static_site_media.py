"""`netkit export-site` with a material's images and attachments: the files are written beside the page (and an
edition's beside the edition's page), the page points at them relatively, and a draft's new files stay out."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from PIL import Image

from toolkit.cli import main
from toolkit.history.gitstore import Author
from toolkit.library.media import inspect_media

AUTHOR = Author("Anna Jensen", "anna@rm.dk")
SLUG, DRAFTED = "adgang-til-data", "samtykke-playbook"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ENV = {"NETKIT_LIBRARY": None, "NETKIT_SOFFICE": None}


def png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 40), colour).save(buffer, format="PNG")
    return buffer.getvalue()


RED, BLUE = png((200, 30, 30)), png((30, 30, 200))


@pytest.fixture
def site(instance, tmp_path):
    text = instance.read(SLUG).rstrip("\n") + "\n\n![Rødt diagram](media:diagram.png)\n\n[Skemaet](media:skema.pdf)\n"
    instance.save(SLUG, text, AUTHOR, "Diagram", instance.latest_revision(SLUG),
                  media=[inspect_media("diagram.png", RED), inspect_media("skema.pdf", PDF_BYTES)])
    edition = instance.publish(SLUG, "minor", "Med diagram", AUTHOR)
    draft = instance.read(DRAFTED) + "\n![Hemmeligt kladdebillede](media:kladde.png)\n"
    instance.save(DRAFTED, draft, AUTHOR, "Kladde", instance.latest_revision(DRAFTED),
                  media=[inspect_media("kladde.png", BLUE)])
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["--home", str(instance.home), "export-site", str(out), "--no-pdf"], env=ENV)
    assert result.exit_code == 0, result.output
    return out, edition.version


def test_the_files_are_beside_the_page_and_linked_relatively(site):
    out, _version = site
    page = (out / "m" / SLUG / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="media/diagram\.png" alt="Rødt diagram"', page)
    assert re.search(r'<a href="media/skema\.pdf"[^>]*>Skemaet</a>', page)  # kept, even without PDF exports
    assert (out / "m" / SLUG / "media" / "diagram.png").read_bytes() == RED
    assert (out / "m" / SLUG / "media" / "skema.pdf").read_bytes() == PDF_BYTES


def test_an_editions_page_has_its_own_files(site):
    out, version = site
    page = (out / "m" / SLUG / "v" / version / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="media/diagram\.png"', page)
    assert (out / "m" / SLUG / "v" / version / "media" / "diagram.png").read_bytes() == RED


def test_a_drafts_new_file_is_not_published(site):
    out, _version = site
    assert not list(out.rglob("kladde.png"))
    assert "Hemmeligt kladdebillede" not in (out / "m" / DRAFTED / "index.html").read_text(encoding="utf-8")
