"""Editions and where a material stands: the state line, approval, retiring with a replacement, and
reading the edition while a new draft is in progress — on a real instance (git repository)."""

from __future__ import annotations

import pytest

from toolkit.errors import Conflict, Forbidden, Invalid
from toolkit.history.gitstore import Author
from toolkit.history.publication import PublicationState, state_of
from toolkit.people.accounts import User
from toolkit.people.permissions import workflow_actions

ANNA = Author("Anna Jensen", "anna@rm.dk")
SLUG = "adgang-til-data"
DRAFT = "nyhedsbrev-kladde"


@pytest.mark.parametrize(("status", "last", "parts"), [
    ("published", "1.2.0", (("published", "1.2.0"),)),
    ("draft", "1.2.0", (("published", "1.2.0"), ("draft", None))),
    ("review", "1.2.0", (("published", "1.2.0"), ("in_review", None))),
    ("approved", "1.2.0", (("published", "1.2.0"), ("approved", None))),
    ("draft", None, (("unpublished", None), ("draft", None))),
    ("retired", "2.0.0", (("retired", "2.0.0"),)),
])
def test_state_line_parts(status, last, parts):
    assert PublicationState(status, last).parts == parts


def test_what_readers_get_follows_the_editions(instance):
    editions = instance.editions()
    assert editions[SLUG] == ["1.2.0"] and DRAFT not in editions
    published = state_of(instance.library().get(SLUG), editions)
    assert published.public and not published.shows_edition
    never = state_of(instance.library().get(DRAFT), editions)
    assert not never.public and never.last_edition is None

    text = instance.read(SLUG).replace("\n## ", "\nNy kladdetekst.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "Kladde", instance.latest_revision(SLUG))
    draft = state_of(instance.library().get(SLUG), instance.editions())
    assert draft.status == "draft" and draft.shows_edition and draft.last_edition == "1.2.0"
    assert "Ny kladdetekst" not in instance.read_version(SLUG, "1.2.0").body


def test_publish_adds_the_edition_at_once(instance):
    assert instance.editions()[SLUG] == ["1.2.0"]
    text = instance.read(SLUG).replace("\n## ", "\nEt nyt afsnit.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "Nyt", instance.latest_revision(SLUG))
    instance.publish(SLUG, "minor", "Nyt afsnit", ANNA)
    assert instance.editions()[SLUG] == ["1.2.0", "1.3.0"]


def test_approval_and_a_change_after_it(instance):
    instance.set_status(DRAFT, "review", ANNA, "Se venligst")
    assert instance.set_status(DRAFT, "approved", ANNA, "Godkendt").material.status == "approved"
    changed = instance.read(DRAFT) + "\nEn sen tilføjelse.\n"
    result = instance.save(DRAFT, changed, ANNA, "Sen rettelse", instance.latest_revision(DRAFT))
    assert result.material.status == "review"
    assert any("after it was approved" in note for note in result.notes)
    with pytest.raises(Forbidden, match="approved, draft"):
        instance.set_status(DRAFT, "retired", ANNA)


def test_retire_with_a_replacement(instance):
    result = instance.set_status(SLUG, "retired", ANNA, "Afløst", replaced_by="samtykke-playbook")
    assert result.material.status == "retired" and result.material.replaced_by == "samtykke-playbook"
    assert "replaced_by: samtykke-playbook" in instance.read(SLUG)


@pytest.mark.parametrize(("replacement", "message"), [("findes-ikke", "no material"),
                                                      (SLUG, "this material itself")])
def test_retire_refuses_a_bad_replacement_and_writes_nothing(instance, replacement, message):
    before = instance.latest_revision(SLUG)
    with pytest.raises(Invalid) as refused:
        instance.set_status(SLUG, "retired", ANNA, replaced_by=replacement)
    assert refused.value.problems[0].field == "replaced_by" and message in refused.value.problems[0].message
    assert instance.latest_revision(SLUG) == before and instance.library().get(SLUG).status == "published"


def test_a_replacement_that_disappears_is_a_library_problem(instance):
    instance.set_status(SLUG, "retired", ANNA, replaced_by="samtykke-playbook")
    (instance.library_dir / "samtykke-playbook.md").unlink()
    problems = [p for p in instance.library().problems if p.field == "replaced_by"]
    assert problems and "'samtykke-playbook' is no material" in problems[0].message


def test_workflow_offers_by_role_and_status(instance):
    member = User("mette", "member", ("dataadgang",), "")
    facilitator = User("frida", "facilitator", (), "")
    library = instance.library()
    draft = library.get(DRAFT)
    assert workflow_actions(facilitator, draft) == ["request_review", "publish"]
    instance.set_status(DRAFT, "review", ANNA)
    in_review = instance.library().get(DRAFT)
    assert workflow_actions(facilitator, in_review) == ["approve", "return", "publish"]
    assert "approve" not in workflow_actions(member, in_review)
    instance.set_status(DRAFT, "approved", ANNA)
    approved = instance.library().get(DRAFT)
    assert workflow_actions(facilitator, approved) == ["return", "publish"]
    assert workflow_actions(facilitator, library.get(SLUG)) == ["retire", "reopen"]


def test_approving_or_publishing_a_text_that_changed_since_it_was_seen_is_refused(instance):
    bo = Author("Bo Hansen", "bo@rm.dk")
    instance.set_status(SLUG, "draft", ANNA)
    instance.set_status(SLUG, "review", ANNA, "Klar")
    seen = instance.latest_revision(SLUG)  # the reviewer opens the status page here
    edited = instance.save(SLUG, instance.read(SLUG) + "\nEt nyt afsnit.\n", ANNA, "Ret", seen)
    with pytest.raises(Conflict) as refused:
        instance.set_status(SLUG, "approved", bo, "Fint", base_revision=seen)
    assert refused.value.theirs_revision == edited.revision
    assert instance.library().get(SLUG).status == "review" and instance.latest_revision(SLUG) == edited.revision
    instance.set_status(SLUG, "approved", bo, "Fint", base_revision=edited.revision)  # having seen the change
    approved = instance.latest_revision(SLUG)
    instance.save(SLUG, instance.read(SLUG) + "\nEndnu et.\n", ANNA, "Ret igen", approved)  # back to review
    with pytest.raises(Conflict):
        instance.publish(SLUG, "minor", "Ny udgave", bo, base_revision=approved)
    assert instance.versions(SLUG)[-1].version == "1.2.0"
    edition = instance.publish(SLUG, "minor", "Ny udgave", bo, base_revision=instance.latest_revision(SLUG))
    assert edition.version == "1.3.0"


def test_a_tag_made_after_its_commit_is_seen_by_a_reader_that_cached_the_editions_in_between(instance):
    """Another worker may read the editions between publish's commit and its tag (same HEAD): it must not keep
    that answer."""
    from toolkit.history.gitstore import Author
    from toolkit.history.instance import Instance

    other = Instance(instance.home)  # another process's view of the same instance
    slug = "adgang-til-data"
    instance.save(slug, instance.read(slug) + "\nEt nyt afsnit.\n", Author("Bo", "bo@example.dk"), "Ny",
                  instance.latest_revision(slug))
    assert "9.9.9" not in other.editions().get(slug, [])  # read and cached at this HEAD
    instance.store.tag(f"{slug}/9.9.9", "HEAD", "Udgave", Author("Bo", "bo@example.dk"))
    assert "9.9.9" in other.editions()[slug]
