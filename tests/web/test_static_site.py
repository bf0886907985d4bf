"""`netkit export-site`: the static site of what anonymous readers see, checked by a crawler over the files.

The bundled library is exported once (without PDF) from an instance that also holds a never-published draft
and a draft in progress over a published guide; the other tests use the small test library.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import docx
import pytest
from click.testing import CliRunner

from tests.conftest import REPOSITORY, VALID_FRONT
from toolkit.cli import main
from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES, PROJECT_ROOT
from toolkit.documents.packages import TemplateCatalogue
from toolkit.history.gitstore import Author
from toolkit.history.instance import Instance
from toolkit.library.folder import Library
from webui.staticsite.export import SITE_MARKER
from webui.staticsite.pages import relative, site_file
from webui.staticsite.searchindex import INDEX_FILE

AUTHOR = Author("Anna Jensen", "anna@rm.dk")
DRAFT = "ny-kladde"
DRAFT_TEXT = (VALID_FRONT.format(title="Kvanteregnskab for netværket").replace("status: published", "status: draft")
              .replace("version: 1.0.0", "version: 0.1.0") + "Hemmelig kvanteregnskabstekst.\n")
EDITED = "adgang-til-data"
PUBLISHED_SENTENCE = "Guiden gennemgår de tre veje"
ENV = {"NETKIT_LIBRARY": None, "NETKIT_SOFFICE": None}


@dataclass(frozen=True)
class Exported:
    site: Path
    instance: Instance
    output: str


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Exported:
    base = tmp_path_factory.mktemp("static-site")
    instance = Instance.create(base / "instance")
    instance.save(DRAFT, DRAFT_TEXT, AUTHOR, "Ny kladde", None)
    text = instance.read(EDITED).replace(PUBLISHED_SENTENCE, "UDKASTTEKST under arbejde.")
    assert "UDKASTTEKST" in text
    instance.save(EDITED, text, AUTHOR, "Udkast", instance.latest_revision(EDITED))
    result = CliRunner().invoke(main, ["--home", str(instance.home), "export-site", str(base / "site"), "--no-pdf"],
                                env=ENV)
    assert result.exit_code == 0, result.output
    return Exported(base / "site", instance, result.output)


def published_materials():
    return [m for m in Library.load(BUNDLED_LIBRARY).materials() if m.status in ("published", "retired")]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


class Page(HTMLParser):
    """The links (tag, attribute, value) and the ids of one HTML file."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "action") and value is not None:
                self.links.append((tag, name, value))


def run(runner, *args, home: Path):
    return runner.invoke(main, ["--home", str(home), "export-site", *args], env=ENV)


# -- the bundled library ---------------------------------------------------------------------------------------------


def test_the_summary_counts_what_was_written(exported):
    assert f"Exported {len(published_materials())} materials and " in exported.output
    assert "search index" in exported.output and "KB gzipped" in exported.output
    assert "(without PDF)" in exported.output


def test_every_published_material_has_its_page_and_word_file(exported):
    for material in published_materials():
        folder = exported.site / "m" / material.slug
        assert (folder / "index.html").is_file(), material.slug
        document = docx.Document(str(folder / f"{material.slug}.docx"))
        titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
        assert titles == [material.title], material.slug
        page = (folder / "index.html").read_text(encoding="utf-8")
        linked = re.search(r'<a href="([^"]*\.docx)">Hent som Word</a>', page)
        assert linked and (folder / linked[1]).is_file(), material.slug  # this file or its edition's
        assert ".pdf" not in page  # without PDF the links to them are gone too


def test_the_crawler_finds_no_dead_links(exported):
    pages = {path: Page(path) for path in html_files(exported.site)}
    assert len(pages) > 50
    checked = 0
    for path, page in pages.items():
        for tag, attribute, value in page.links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                assert parts.scheme in ("http", "https", "mailto"), value
                continue
            assert not value.startswith("/"), f"{path}: {tag} {attribute}={value} is site-absolute"
            if not parts.path:  # a fragment on the same page
                assert parts.fragment in page.ids, f"{path}: no id for {value}"
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            assert exported.site.resolve() in target.parents, f"{path}: {value} leaves the site"
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path}: {tag} {attribute}={value} leads nowhere"
            if parts.fragment and target.suffix == ".html":
                assert unquote(parts.fragment) in pages[target].ids, f"{path}: no id for {value}"
            checked += 1
    assert checked > 1000


def test_no_link_leads_to_the_server(exported):
    for path in html_files(exported.site):
        text = path.read_text(encoding="utf-8")
        for value in re.findall(r'(?:href|src|action)="([^"]*)"', text):
            assert not re.search(r"log-ind|log-ud|/sprog/|sog\?|/sog/forslag|udfyld|historik|rediger|/api/|"
                                 r"\.atom|\?", value), f"{path}: {value}"
        assert "data-suggest" not in text and ">Log ind<" not in text and 'hreflang="en"' not in text


def test_a_draft_never_published_is_left_out(exported):
    assert not (exported.site / "m" / DRAFT).exists()
    for path in [*html_files(exported.site), exported.site / INDEX_FILE]:
        text = path.read_text(encoding="utf-8").lower()
        assert DRAFT not in text and "kvanteregnskab" not in text, path


def test_readers_get_the_published_edition_not_the_draft_over_it(exported):
    page = (exported.site / "m" / EDITED / "index.html").read_text(encoding="utf-8")
    assert PUBLISHED_SENTENCE in page and "UDKASTTEKST" not in page
    assert "udkasttekst" not in (exported.site / INDEX_FILE).read_text(encoding="utf-8")
    # the edition itself, and what changed in it, are pages of their own
    assert (exported.site / "m" / EDITED / "v" / "1.0.0" / "index.html").is_file()


def test_the_pages_have_the_same_look(exported):
    css = exported.site / "static" / "netkit.css"
    assert css.read_bytes() == (REPOSITORY / "webui" / "static" / "netkit.css").read_bytes()
    for path in html_files(exported.site):
        assert f'href="{relative("static/netkit.css", str(path.relative_to(exported.site)))}"' in \
            path.read_text(encoding="utf-8")


def test_browse_pages_have_one_filter_each_and_honest_counts(exported):
    browse = exported.site / "gennemse"
    assert (browse / "index.html").is_file() and (browse / "kind-guide" / "index.html").is_file()
    page = (browse / "kind-guide" / "index.html").read_text(encoding="utf-8")
    # a topic on the guides' page leads to that topic's own page, with the number that page shows
    found = re.search(r'href="../topic-consent/index.html">Samtykke\s*<span class="count">\((\d+)\)</span>', page)
    assert found is not None
    target = (browse / "topic-consent" / "index.html").read_text(encoding="utf-8")
    assert int(found[1]) == target.count('<li class="card">') > 0
    assert "filtrene kan kombineres" not in page


def test_the_template_catalogue_and_examples(exported):
    catalogue = TemplateCatalogue(BUNDLED_TEMPLATES)
    assert (exported.site / "skabeloner" / "index.html").is_file()
    for name in catalogue.names():
        folder = exported.site / "skabeloner" / name
        page = (folder / "index.html").read_text(encoding="utf-8")
        assert 'href="eksempel.docx"' in page and 'udfyld"' not in page
        assert docx.Document(str(folder / "eksempel.docx")).paragraphs


def test_the_search_index_is_compact_json(exported):
    raw = (exported.site / INDEX_FILE).read_bytes()
    index = json.loads(raw)
    urls = [doc[1] for doc in index["docs"]]
    assert "m/adgang-til-data/index.html" in urls
    assert all((exported.site / url).is_file() for url in urls)
    records = [*(BUNDLED_LIBRARY / "projects").glob("*.yaml"), *(BUNDLED_LIBRARY / "meetings").glob("*.yaml")]
    assert len(urls) == len(published_materials()) + len(TemplateCatalogue(BUNDLED_TEMPLATES).names()) + len(records)
    assert "adgang" in index["terms"] and "til" in index["stop"]
    # every term with the live ranker's scores: larger than before, still small to fetch; the positions (for
    # phrases) in a file of their own, fetched by the script for the first phrase
    assert len(raw) < 400_000 and len(gzip.compress(raw)) < 150_000
    assert "pos" not in index and "adgang" in json.loads((exported.site / index["positions"]).read_bytes())["pos"]


def test_the_search_page_is_static(exported):
    page = (exported.site / "sog" / "index.html").read_text(encoding="utf-8")
    assert 'src="../static/sitesearch.js"' in page and 'data-root="../"' in page
    assert '<label for="sog-q">' in page and "<script>" not in page
    assert (exported.site / "static" / "sitesearch.js").is_file()


# -- the target folder and failures ----------------------------------------------------------------------------------


def leftovers(parent: Path, name: str) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(f".{name}."))


def test_a_folder_with_something_in_it_is_refused_without_force(runner, instance, tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    result = run(runner, str(out), "--no-pdf", home=instance.home)
    assert result.exit_code == 1
    assert "not empty" in result.output and "--force" in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"] and leftovers(tmp_path, "site") == []


def test_force_never_replaces_a_folder_that_no_export_made(runner, instance, tmp_path):
    out = tmp_path / "documents"
    (out / "sub").mkdir(parents=True)
    (out / "precious.txt").write_text("years of work", encoding="utf-8")
    (out / "sub" / "index.html").write_text("my own page", encoding="utf-8")
    result = run(runner, str(out), "--no-pdf", "--force", home=instance.home)
    assert result.exit_code == 1
    assert "is not an earlier export" in result.output and SITE_MARKER in result.output
    assert (out / "precious.txt").read_text(encoding="utf-8") == "years of work"
    assert (out / "sub" / "index.html").read_text(encoding="utf-8") == "my own page"
    assert sorted(p.name for p in out.iterdir()) == ["precious.txt", "sub"]
    assert leftovers(tmp_path, "documents") == []


def test_force_replaces_an_earlier_export(runner, instance, tmp_path):
    out = tmp_path / "site"
    first = run(runner, str(out), "--no-pdf", home=instance.home)
    assert first.exit_code == 0, first.output
    assert "export-site" in (out / SITE_MARKER).read_text(encoding="utf-8")
    (out / "stale.html").write_text("a page the library no longer has", encoding="utf-8")

    forced = run(runner, str(out), "--no-pdf", "--force", home=instance.home)
    assert forced.exit_code == 0, forced.output
    assert not (out / "stale.html").exists() and (out / "index.html").is_file() and (out / SITE_MARKER).is_file()
    assert (out / "m" / "samtykke-playbook" / "index.html").is_file()
    assert not (out / "m" / "nyhedsbrev-kladde").exists()  # the test library's draft
    assert leftovers(tmp_path, "site") == []


def test_an_empty_folder_is_used(runner, instance, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    result = run(runner, str(out), "--no-pdf", home=instance.home)
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / INDEX_FILE).is_file() and (out / SITE_MARKER).is_file()


@pytest.mark.parametrize("where", ["instance", "bundled", "parent", "file"])
def test_places_the_site_must_not_go_are_misuse(runner, instance, tmp_path, where):
    out = {"instance": instance.home / "site", "bundled": BUNDLED_LIBRARY / "site", "parent": tmp_path,
           "file": tmp_path / "a-file"}[where]
    if where == "file":
        out.write_text("x", encoding="utf-8")
    result = run(runner, str(out), "--no-pdf", "--force", home=instance.home)
    assert result.exit_code == 2, result.output
    assert not (BUNDLED_LIBRARY / "site").exists() and not (instance.home / "site").exists()
    assert instance.library_dir.is_dir()


@pytest.mark.parametrize("where", ["home", "root", "project", "the instance itself"])
def test_dangerous_places_are_refused_even_with_force(runner, instance, tmp_path, monkeypatch, where):
    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    (home / "notes" / "precious.txt").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))  # Path.home(): a home of the test's own, so nothing real is at stake
    out = {"home": home, "root": Path("/"), "project": PROJECT_ROOT, "the instance itself": instance.home}[where]
    result = run(runner, str(out), "--no-pdf", "--force", home=instance.home)
    assert result.exit_code == 2, result.output
    assert "write the static site to a folder of its own" in result.output
    assert (home / "notes" / "precious.txt").read_text(encoding="utf-8") == "mine"
    assert (PROJECT_ROOT / "pyproject.toml").is_file() and instance.library_dir.is_dir()


def test_a_plain_library_folder_is_misuse(runner, library_path, tmp_path):
    result = runner.invoke(main, ["--library", str(library_path), "export-site", str(tmp_path / "out")], env=ENV)
    assert result.exit_code == 2 and "instance" in result.output


def test_missing_libreoffice_fails_before_writing(runner, instance, tmp_path, monkeypatch):
    monkeypatch.setenv("NETKIT_SOFFICE", str(tmp_path / "no-such-soffice"))
    result = runner.invoke(main, ["--home", str(instance.home), "export-site", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "LibreOffice" in result.output and "--no-pdf" in result.output
    assert not (tmp_path / "site").exists() and leftovers(tmp_path, "site") == []


def test_failing_libreoffice_leaves_nothing_half_written(runner, instance, tmp_path, monkeypatch):
    broken = tmp_path / "soffice"
    broken.write_text("#!/bin/sh\necho 'conversion crashed' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("NETKIT_SOFFICE", str(broken))
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("the previous site", encoding="utf-8")
    (out / SITE_MARKER).write_text("an earlier export", encoding="utf-8")
    result = runner.invoke(main, ["--home", str(instance.home), "export-site", str(out), "--force"])
    assert result.exit_code == 1
    assert "PDF conversion failed" in result.output and "conversion crashed" in result.output
    assert sorted(p.name for p in out.iterdir()) == [SITE_MARKER, "old.html"]  # the old site is kept as it was
    assert leftovers(tmp_path, "site") == []


def test_with_pdf_every_word_file_has_its_pdf(runner, instance, tmp_path, require_libreoffice):
    out = tmp_path / "site"
    result = run(runner, str(out), home=instance.home)
    assert result.exit_code == 0, result.output
    for slug in ("adgang-til-data", "samtykke-playbook"):
        pdf = out / "m" / slug / f"{slug}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        assert f'<a href="{slug}.pdf">' in (out / "m" / slug / "index.html").read_text(encoding="utf-8")


def test_feeds_only_with_a_base_url(runner, instance, tmp_path, monkeypatch):
    monkeypatch.setenv("NETKIT_BASE_URL", "https://live.example/")  # the live site's address is not the export's
    without = tmp_path / "without"
    assert run(runner, str(without), "--no-pdf", home=instance.home).exit_code == 0
    assert not list(without.rglob("*.atom"))
    with_base = tmp_path / "with"
    result = run(runner, str(with_base), "--no-pdf", "--base-url", "https://example.org/netkit", home=instance.home)
    assert result.exit_code == 0, result.output
    assert (with_base / "feed.atom").is_file()
    text = (with_base / "feed.atom").read_text(encoding="utf-8")
    assert "https://example.org/netkit/m/" in text and "localhost" not in text and "live.example" not in text
    assert 'href="feed.atom"' in (with_base / "index.html").read_text(encoding="utf-8")
    bad = run(runner, str(tmp_path / "bad"), "--no-pdf", "--base-url", "example.org", home=instance.home)
    assert bad.exit_code == 2


# -- addresses -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "file"), [
    ("/", "index.html"),
    ("/m/adgang-til-data/", "m/adgang-til-data/index.html"),
    ("/m/adgang-til-data/adgang-til-data.docx", "m/adgang-til-data/adgang-til-data.docx"),
    ("/m/adgang-til-data/v/1.2.0/", "m/adgang-til-data/v/1.2.0/index.html"),
    ("/m/adgang-til-data/v/1.2.0/aendringer", "m/adgang-til-data/v/1.2.0/aendringer/index.html"),
    ("/gennemse", "gennemse/index.html"),
    ("/gennemse?kind=guide", "gennemse/kind-guide/index.html"),
    ("/sog", "sog/index.html"),
    ("/skabeloner/ce-maerkning/eksempel.docx", "skabeloner/ce-maerkning/eksempel.docx"),
    ("/static/netkit.css", "static/netkit.css"),
    ("/gennemse?kind=guide&topic=consent", None),
    ("/gennemse?kind=../x", None),
    ("/sog?q=data", None),
    ("/log-ind?next=/", None),
    ("/skabeloner/ce-maerkning/udfyld", None),
    ("/m/adgang-til-data/historik", None),
    ("/m/adgang-til-data/?gemt=gemt", None),
    ("/m/adgang-til-data/andet.docx", None),
    ("https://example.org/", None),
])
def test_site_file(url, file):
    assert site_file(url) == file


def test_relative():
    assert relative("index.html", "m/x/index.html") == "../../index.html"
    assert relative("m/y/index.html", "m/x/index.html") == "../y/index.html"
    assert relative("m/x/x.docx", "m/x/index.html") == "x.docx"
    assert relative("gennemse/index.html", "index.html") == "gennemse/index.html"
