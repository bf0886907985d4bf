"""A material under revision in search, on a real instance (git repository): readers find its last published
edition (toolkit.publishing.editionsearch), those who search with drafts its current text — never both."""

from __future__ import annotations

import json

import pytest

from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY
from toolkit.history.gitstore import Author
from toolkit.publishing.editionsearch import EditionSource
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import SearchDoc
from toolkit.search.index import SearchIndex
from toolkit.search.library_search import LibrarySearch

ANNA = Author("Anna Jensen", "anna@rm.dk")
SLUG = "adgang-til-data"
PUBLISHED_WORD = "tidsrejsemaskinen"   # only in the published edition 1.3.0
DRAFT_WORD = "kvantefluxkondensator"   # only in the draft that replaces it


@pytest.fixture
def revised(instance):
    """The guide published as 1.3.0 with PUBLISHED_WORD, then saved as a draft with DRAFT_WORD instead."""
    text = instance.read(SLUG).replace("\n## ", f"\nEt afsnit om {PUBLISHED_WORD}.\n\n## ", 1)
    instance.save(SLUG, text, ANNA, "Nyt afsnit", instance.latest_revision(SLUG))
    instance.publish(SLUG, "minor", "Nyt afsnit", ANNA)
    draft = instance.read(SLUG).replace(PUBLISHED_WORD, DRAFT_WORD)
    instance.save(SLUG, draft, ANNA, "Kladde", instance.latest_revision(SLUG))
    assert instance.library().get(SLUG).status == "draft"
    return instance


def slugs(results) -> list[str]:
    return [hit.slug for hit in results.hits]


def test_readers_find_the_published_edition_and_drafts_the_current_text(revised, tmp_path):
    source = EditionSource(revised)
    index = LibrarySearch(tmp_path / "index", [source]).index_for(revised.library())
    title = revised.library().get(SLUG).title

    reader = index.search(PUBLISHED_WORD)
    assert slugs(reader) == [SLUG]
    hit = reader.hits[0]
    assert hit.url == f"/m/{SLUG}/" and hit.status == "published" and f"<mark>{PUBLISHED_WORD}</mark>" in \
        hit.snippet_html
    assert slugs(index.search(title))[0] == SLUG and slugs(index.search(title)).count(SLUG) == 1
    assert SLUG not in slugs(index.search(DRAFT_WORD))

    with_drafts = index.search(DRAFT_WORD, include_drafts=True)
    assert slugs(with_drafts) == [SLUG] and with_drafts.hits[0].status == "draft"
    assert SLUG not in slugs(index.search(PUBLISHED_WORD, include_drafts=True))
    assert slugs(index.search(title, include_drafts=True)).count(SLUG) == 1
    # facet counts count the material once, whoever searches
    assert dict(index.search(title, include_drafts=True).facets["kind"])["guide"] == \
        dict(index.search(title).facets["kind"])["guide"]
    assert [t for t, _url in index.suggest_titles("adgang testudg")].count(title) == 1


def test_publishing_the_draft_retires_the_edition_doc(revised, tmp_path):
    search = LibrarySearch(tmp_path / "index", [EditionSource(revised)])
    assert slugs(search.index_for(revised.library()).search(PUBLISHED_WORD)) == [SLUG]
    revised.publish(SLUG, "minor", "Ny udgave", ANNA)
    index = search.index_for(revised.library())
    assert slugs(index.search(DRAFT_WORD)) == [SLUG] and index.search(PUBLISHED_WORD).total == 0
    assert slugs(index.search(DRAFT_WORD, include_drafts=True)) == [SLUG]


def test_an_edition_is_read_from_git_once_not_per_sync_or_query(revised):
    source = EditionSource(revised)
    first = source.docs(revised.library())
    assert [(doc.slug, doc.version, doc.readers_only) for doc in first] == [(SLUG, "1.3.0", True)]
    # another save: a new library and a new sync, the same edition doc (no git read)
    text = revised.read(SLUG) + "\nEndnu en kladdesætning.\n"
    revised.save(SLUG, text, ANNA, "Mere", revised.latest_revision(SLUG))
    again = source.docs(revised.library())
    assert again[0] is first[0]
    # between commits the signature is the same object: comparing it per query is an identity check
    assert source.signature() is source.signature()


def test_with_drafts_a_readers_only_doc_is_left_out(tmp_path):
    index = SearchIndex(tmp_path / "index", Lexicon.load(BUNDLED_LIBRARY))

    def doc(doc_id: str, text: str, status: str, readers_only: bool = False) -> SearchDoc:
        return SearchDoc(id=doc_id, doctype="material", slug="vejledning", title="Vejledning", summary="", text=text,
                         url="/m/vejledning/", kind="guide", status=status, readers_only=readers_only)

    index.sync([doc("material:vejledning", "kladdeord", "review"),
                doc("material:vejledning@1.0.0", "udgaveord", "published", readers_only=True)])
    assert index.search("udgaveord").total == 1 and index.search("kladdeord").total == 0
    assert index.search("udgaveord", include_drafts=True).total == 0
    assert index.search("kladdeord", include_drafts=True).total == 1
    assert index.search("vejledning", sort="date").total == 1
    assert index.search("vejledning", sort="date", include_drafts=True).total == 1
    assert index.search("status:published vejledning", include_drafts=True).total == 0


def test_the_cli_searches_the_edition_unless_asked_for_drafts(revised, runner):
    home = ["--home", str(revised.home)]
    plain = json.loads(runner.invoke(main, [*home, "search", PUBLISHED_WORD, "--json"]).output)
    assert [hit["slug"] for hit in plain["hits"]] == [SLUG]
    assert json.loads(runner.invoke(main, [*home, "search", DRAFT_WORD, "--json"]).output)["total"] == 0
    drafts = json.loads(runner.invoke(main, [*home, "search", DRAFT_WORD, "--drafts", "--json"]).output)
    assert [hit["slug"] for hit in drafts["hits"]] == [SLUG]


def test_an_editions_snippet_text_names_linked_materials_by_their_titles(revised):
    library = revised.library()
    doc = next(d for d in EditionSource(revised).docs(library) if d.slug == SLUG)
    assert doc.readers_only and PUBLISHED_WORD in doc.shown
    assert "[[" not in doc.shown and "samtykke-playbook" not in doc.shown
    assert library.get("samtykke-playbook").title in doc.shown


def test_an_editions_doc_follows_a_renamed_link_targets_title(revised):
    source = EditionSource(revised)
    before = next(d for d in source.docs(revised.library()) if d.slug == SLUG)
    target = revised.read("samtykke-playbook")
    old_title = revised.library().get("samtykke-playbook").title
    revised.save("samtykke-playbook", target.replace(f"title: {old_title}", "title: Samtykke trin for trin", 1),
                 ANNA, "Ny titel", revised.latest_revision("samtykke-playbook"))
    after = next(d for d in source.docs(revised.library()) if d.slug == SLUG)
    assert old_title in before.shown and "Samtykke trin for trin" in after.shown
