"""`netkit search` and `netkit index` on real indexes, for a plain folder and for an instance."""

import json

from toolkit.cli import main
from toolkit.history.gitstore import Author


def test_search_finds_and_reports(runner, library_path):
    result = runner.invoke(main, ["--library", str(library_path), "search", "samtykkeerklæringen"])
    assert result.exit_code == 0, result.output
    assert "2 resultat(er)" in result.output and "Samtykke i praksis" in result.output
    assert "/skabeloner/samtykkeerklaering/" in result.output  # one search finds guides and templates


def test_search_finds_templates_by_their_questions_and_filters_them_by_kind(runner, library_path):
    base = ["--library", str(library_path), "search", "--json"]
    data = json.loads(runner.invoke(main, [*base, "vitale parametre"]).output)
    assert "ce-maerkning-tjekliste" in [hit["slug"] for hit in data["hits"]]
    data = json.loads(runner.invoke(main, [*base, "--kind", "template", "referat"]).output)
    assert {hit["doctype"] for hit in data["hits"]} == {"template"}
    assert "beslutningsreferat" in [hit["slug"] for hit in data["hits"]]


def test_search_json_with_filters_and_facets(runner, library_path):
    result = runner.invoke(main, ["--library", str(library_path), "search", "data", "--kind", "guide", "--json"])
    data = json.loads(result.output)
    assert [hit["slug"] for hit in data["hits"]] == ["adgang-til-data"]
    assert data["facets"]["kind"] == [["guide", 1]]


def test_search_hides_drafts_unless_asked(runner, library_path):
    base = ["--library", str(library_path), "search", "nyhedsbrev", "--json"]
    assert json.loads(runner.invoke(main, base).output)["total"] == 0
    assert json.loads(runner.invoke(main, [*base, "--drafts"]).output)["total"] == 1


def test_search_without_words_explains(runner, library_path):
    result = runner.invoke(main, ["--library", str(library_path), "search", "*"])
    assert result.exit_code == 0 and "Skriv et eller flere ord" in result.output


def test_index_command_updates_then_rebuilds(runner, library_path):
    first = runner.invoke(main, ["--library", str(library_path), "index"])
    assert first.exit_code == 0 and "Built the index: 10 documents" in first.output  # 3 materials, 7 templates
    again = runner.invoke(main, ["--library", str(library_path), "index"])
    assert "0 added, 0 updated, 0 removed" in again.output
    rebuilt = runner.invoke(main, ["--library", str(library_path), "index", "--rebuild"])
    assert "Built the index: 10 documents" in rebuilt.output


def test_a_save_reindexes_that_material_only(runner, instance):
    home = ["--home", str(instance.home)]
    assert runner.invoke(main, [*home, "index"]).exit_code == 0
    slug = "adgang-til-data"
    text = instance.read(slug).replace("Ansøg om godkendelse.", "Ansøg om vævsanvendelsesregistret.")
    instance.save(slug, text.replace("status: published", "status: published"), Author("A", "a@x"), "x",
                  instance.latest_revision(slug))
    report = runner.invoke(main, [*home, "index"])
    # the material's text, and (added) its published edition, which readers find while the draft is in progress
    assert "1 added, 1 updated, 0 removed" in report.output
    found = runner.invoke(main, [*home, "search", "vævsanvendelsesregistret", "--drafts", "--json"])
    hits = json.loads(found.output)["hits"]
    assert [hit["slug"] for hit in hits if hit["doctype"] == "material"] == [slug]
    assert (instance.home / "index").is_dir()
    assert not (instance.content / "index").exists()
