"""Word and back: every bundled material survives export "til kommentering" → import with exactly its Markdown,
and only what was changed in Word comes back changed."""

from __future__ import annotations

import pytest

from toolkit.config import BUNDLED_LIBRARY
from toolkit.library.folder import Library
from toolkit.publishing.roundtrip import keep_base_formatting, shorten_links
from toolkit.publishing.word import material_docx_for_comments
from toolkit.publishing.wordimport import read_docx

REVISION = "0123456789abcdef0123456789abcdef01234567"
BUNDLED = Library.load(BUNDLED_LIBRARY)
TITLES = BUNDLED.targets.titles


@pytest.mark.parametrize("slug", sorted(m.slug for m in BUNDLED.materials()))
def test_every_bundled_material_comes_back_from_word_as_it_was(slug):
    material = BUNDLED.get(slug)
    imported = read_docx(material_docx_for_comments(material, BUNDLED, revision=REVISION), f"{slug}.docx")
    assert (imported.slug, imported.revision) == (slug, REVISION)
    assert keep_base_formatting(material.body, imported.body, TITLES).strip() == material.body.strip()


def test_only_the_blocks_changed_in_word_come_from_word():
    base = ("Første afsnit, brudt\nover to linjer med [[adgang-til-data]].\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n"
            "Se [Bilag](media:bilag.pdf).[^1]\n\n[^1]: En note.\n\n## Sidst\n\nSlut.\n")
    title = TITLES["adgang-til-data"]
    from_word = (f"Første afsnit, brudt over to linjer med [[adgang-til-data|{title}]].\n\n"
                 "| **A** | **B** |\n| --- | --- |\n| 1 | 3 |\n\nSe Bilag (vedhæftet fil: bilag.pdf).[^1]\n\n"
                 "## Sidst\n\nSlut, og et nyt ord.\n\n[^1]: En note.\n")
    kept = keep_base_formatting(base, from_word, TITLES)
    assert kept == ("Første afsnit, brudt\nover to linjer med [[adgang-til-data]].\n\n"
                    "| A | B |\n|---|---|\n| 1 | 3 |\n\n"  # the changed row from Word, the rest as it was
                    "Se [Bilag](media:bilag.pdf).[^1]\n\n[^1]: En note.\n\n## Sidst\n\nSlut, og et nyt ord.\n")


def test_links_written_with_their_titles_are_shortened_and_others_kept():
    title = TITLES["adgang-til-data"]
    assert shorten_links(f"[[adgang-til-data|{title}]] og [[adgang-til-data|her]]", TITLES) == \
        "[[adgang-til-data]] og [[adgang-til-data|her]]"


def test_media_are_renamed_in_one_pass():
    from toolkit.publishing.roundtrip import rename_media

    body = "![A](media:billede-1.png) og ![B](media:billede-2.png)"
    renamed = rename_media(body, {"billede-1.png": "billede-2.png", "billede-2.png": "billede-2-2.png"})
    assert renamed == "![A](media:billede-2.png) og ![B](media:billede-2-2.png)"


def test_a_word_file_of_another_material_is_refused_by_the_core(instance):
    from toolkit.errors import Invalid
    from toolkit.publishing.roundtrip import changes_from_word

    slug = "adgang-til-data"
    library = instance.library()
    data = material_docx_for_comments(library.get(slug), library, revision=instance.latest_revision(slug))
    imported = read_docx(data, "x.docx")
    assert changes_from_word(instance, slug, imported).base == instance.latest_revision(slug)
    with pytest.raises(Invalid):
        changes_from_word(instance, "samtykke-playbook", imported)
