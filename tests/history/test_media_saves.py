"""Saving a text with new images: one revision for both, nothing stored that the text does not use, every
reference checked under the writer lock, nothing half-written when it fails."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from toolkit.errors import Invalid
from toolkit.history.gitstore import Author
from toolkit.history.uploads import Uploads
from toolkit.library.media import inspect_media

BO = Author("Bo", "bo@example.dk")
SLUG = "adgang-til-data"


def picture(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 8), colour).save(out, "PNG")
    return out.getvalue()


def test_the_text_and_its_new_image_are_one_revision_and_unused_files_are_dropped(instance):
    text = instance.read(SLUG) + "\n![Dataflow i projektet](media:flow.png)\n"
    used, unused = inspect_media("flow.png", picture()), inspect_media("andet.png", picture("blue"))
    before = instance.head()
    result = instance.save(SLUG, text, BO, "Med diagram", instance.latest_revision(SLUG), media=[used, unused])
    changed = instance.store.run("show", "--name-only", "--format=", result.revision).stdout.split()
    assert changed == ["library/adgang-til-data.md", "library/media/adgang-til-data/flow.png"]
    assert instance.store.run("rev-parse", f"{result.revision}~1").stdout.strip() == before
    assert instance.store.read_bytes(result.revision, "library/media/adgang-til-data/flow.png") == picture()
    assert not (instance.library_dir / "media" / SLUG / "andet.png").exists()
    assert instance.library().media_names(SLUG) == {"flow.png"}


@pytest.mark.parametrize(("line", "said"), [
    ("![](media:flow.png)", "has no alternative text"),
    ("![Et billede](media:findes-ikke.png)", "media:findes-ikke.png: no such file"),
    ("[Bilag](media:../../secret.pdf)", "is not a media file name"),
])
def test_a_text_with_a_bad_reference_is_refused_and_kept(instance, line, said):
    text = instance.read(SLUG) + f"\n{line}\n"
    head = instance.head()
    with pytest.raises(Invalid) as refused:
        instance.save(SLUG, text, BO, "x", instance.latest_revision(SLUG), media=[inspect_media("flow.png", picture())])
    assert said in str(refused.value) and refused.value.text == text
    assert instance.head() == head and not (instance.library_dir / "media").exists()


def test_a_different_file_under_a_taken_name_is_refused_not_swapped(instance):
    text = instance.read(SLUG) + "\n![Kort](media:kort.png)\n"
    instance.save(SLUG, text, BO, "1", instance.latest_revision(SLUG), media=[inspect_media("kort.png", picture())])
    again = text + "\nMere.\n"
    with pytest.raises(Invalid, match="another file of that name"):
        instance.save(SLUG, again, BO, "2", instance.latest_revision(SLUG),
                      media=[inspect_media("kort.png", picture("green"))])
    assert (instance.library_dir / "media" / SLUG / "kort.png").read_bytes() == picture()


def test_the_waiting_area_keeps_files_per_session_and_forgets_old_sessions(tmp_path):
    uploads = Uploads(tmp_path / "uploads")
    token = uploads.new_token()
    first = uploads.add(token, inspect_media("a.png", picture()), taken={"a.png"})
    again = uploads.add(token, inspect_media("a.png", picture()), taken={"a.png"})
    other = uploads.add(token, inspect_media("a.png", picture("blue")), taken={"a.png"})
    assert (first.name, again.name, other.name) == ("a-2.png", "a-2.png", "a-3.png")
    assert [f.name for f in uploads.files(token)] == ["a-2.png", "a-3.png"]
    assert uploads.files("../../etc") == [] and uploads.read(token, "../x.png") is None
    uploads.clean(now=__import__("time").time() + 2 * 24 * 3600)
    assert uploads.files(token) == []


def test_a_rename_moves_the_files_and_an_edition_from_before_still_finds_its_own(instance):
    text = instance.read(SLUG) + "\n![Dataflow i projektet](media:flow.png)\n"
    instance.save(SLUG, text, BO, "Med diagram", instance.latest_revision(SLUG), media=[inspect_media("flow.png",
                                                                                                     picture())])
    instance.set_status(SLUG, "review", BO)
    instance.set_status(SLUG, "approved", BO)
    edition = instance.publish(SLUG, "minor", "Med diagram", BO)
    result = instance.rename(SLUG, "dataadgang", BO)
    moved = instance.store.run("show", "--name-only", "--no-renames", "--format=", result.revision).stdout.split()
    assert "library/media/adgang-til-data/flow.png" in moved and "library/media/dataadgang/flow.png" in moved
    assert instance.library().media_names("dataadgang") == {"flow.png"}
    assert not (instance.library_dir / "media" / SLUG).exists()
    assert not [p for p in instance.library().problems if p.field == "media"]
    assert instance.read_media("dataadgang", "flow.png", edition.revision) == picture()  # by its old path
