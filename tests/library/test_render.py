import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mdit_py_plugins.anchors import anchors_plugin

from tests.conftest import REPOSITORY
from toolkit.library.render import (
    HEADINGS_MAX,
    LinkTargets,
    Renderer,
    SizedCache,
    _make_markdown,
    _toc,
    count_headings,
    sanitize,
    wikilinks,
)

TARGETS = LinkTargets({"adgang-til-data": "Adgang til data", "samtykke": "Samtykke <i>og</i> data"})


@pytest.fixture
def renderer():
    return Renderer()


def html_of(renderer, body):
    return renderer.render(body, TARGETS).html


def test_tables_footnotes_tasklists_and_anchors(renderer):
    body = ("## Første trin\n\nTekst[^1].\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [ ] åben\n- [x] lukket\n\n"
            "### Under trin\n\n[^1]: Kilde.\n")
    out = renderer.render(body, TARGETS)
    assert '<h2 id="første-trin">' in out.html
    assert '<td class="align-right">2</td>' in out.html and "style=" not in out.html
    # a table that scrolls sideways on a phone does so in a named box that is reachable by keyboard
    assert '<div class="table-scroll" role="region" tabindex="0" aria-label="Tabel: a, b"><table>' in out.html
    assert 'class="footnote-ref"' in out.html and 'id="fn1"' in out.html
    assert 'type="checkbox"' in out.html and 'checked' in out.html
    assert [(e.level, e.anchor, e.text) for e in out.toc] == [(2, "første-trin", "Første trin"),
                                                            (3, "under-trin", "Under trin")]


def test_wiki_links_resolve_to_titles_and_urls(renderer):
    out = html_of(renderer, "Se [[adgang-til-data]], [[adgang-til-data#forskning|forskning]] og [[samtykke]].")
    assert '<a class="wikilink" href="/m/adgang-til-data/" rel="noopener noreferrer">Adgang til data</a>' in out
    assert 'href="/m/adgang-til-data/#forskning"' in out
    assert "Samtykke &lt;i&gt;og&lt;/i&gt; data" in out  # titles are text, never markup


def test_dead_wiki_link_renders_as_marked_text(renderer):
    out = html_of(renderer, "Se [[findes-ikke|her]].")
    assert '<span class="wikilink-missing" title="Materialet findes ikke">her</span>' in out
    assert "/m/findes-ikke/" not in out


def test_wiki_link_lines_skip_code(renderer):
    body = "Linje [[a]]\nog [[b]]\n\n```python\n[[c]]\n```\n\n`[[d]]` [[e|x]] ``x ` [[f]]``\n~~~\n[[g]]\n"
    links = wikilinks(body)
    assert [(link.target, link.line) for link in links] == [("a", 1), ("b", 2), ("e", 8)]
    rendered = renderer.render(body, LinkTargets({}))
    assert rendered.html.count('class="wikilink-missing"') == 3  # the renderer agrees on what is a link


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<a href='javascript:alert(1)'>x</a>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "<javascript:alert(1)>",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '[[adgang-til-data#"><script>alert(1)</script>|x]]',
    "[[adgang-til-data|<script>alert(1)</script>]]",
    '<div onmouseover="alert(1)">x</div>',
    "<iframe src=//evil></iframe>",
    "[x](vbscript:msgbox(1))",
]

class LiveMarkup(HTMLParser):
    """Collects what a browser would act on: dangerous tags, event handlers and script URLs."""

    DANGEROUS_TAGS = frozenset({"script", "iframe", "img", "object", "embed", "style", "svg", "math", "form", "base"})

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcdoc", "formaction"):
                self.found.append(f"{tag}[{name}]")
            if name == "href" and value and not re.match(r"^(https?:|mailto:|/|#)", value.strip()):
                self.found.append(f"href={value}")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", XSS)
def test_markup_attacks_never_reach_the_html(renderer, payload):
    out = html_of(renderer, f"Tekst før.\n\n{payload}\n\nTekst efter.")
    # Escaped text (&lt;script&gt;) is harmless; a live tag, handler or script URL is not.
    assert live_markup(out) == [], out


def test_sanitize_strips_what_the_allow_list_does_not_know():
    out = sanitize('<p style="color:red" onclick="x()">a<script>b</script><a href="javascript:x">c</a></p>')
    assert out == '<p>a<a rel="noopener noreferrer">c</a></p>'


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/:;[]()|#!`* \nabcjsvtpiorf&-")), max_size=300) | st.text())
def test_no_input_text_produces_live_script(text):
    out = Renderer(cache_size=1).render(text, TARGETS).html
    assert live_markup(out) == []


def test_render_is_cached_by_content_hash(renderer):
    first = renderer.render("Tekst [[samtykke]]", TARGETS)
    again = renderer.render("Tekst [[samtykke]]", TARGETS)
    assert again is first and (renderer.hits, renderer.misses) == (1, 1)
    renderer.render("Anden tekst", TARGETS)
    assert renderer.misses == 2


def test_cache_key_includes_link_targets(renderer):
    before = renderer.render("Se [[samtykke]]", TARGETS).html
    renamed = LinkTargets({"samtykke": "Nyt navn"})
    after = renderer.render("Se [[samtykke]]", renamed).html
    assert "Nyt navn" in after and "Nyt navn" not in before


def test_cache_is_bounded():
    small = Renderer(cache_size=2)
    for i in range(5):
        small.render(f"tekst {i}", TARGETS)
    small.render("tekst 0", TARGETS)
    assert small.misses == 6


# -- heading ids, the heading cap, and the cost of many headings (finding M3) ------------------------------

MARKDOWN_FILES = sorted([*REPOSITORY.glob("library/**/*.md"), *REPOSITORY.glob("tests/data/**/*.md"),
                         *REPOSITORY.glob("starters/*.md"), *REPOSITORY.glob("docs/**/*.md"), REPOSITORY / "README.md"])


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") and "\n---\n" in text else text


def _ids(html: str) -> list[str]:
    return re.findall(r'<h\d id="([^"]*)"', html)


def _anchors_plugin_render(body: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    """The heading ids and table of contents mdit_py_plugins' anchors plugin gave: the ids links were written
    against (the reference our own slugs must keep)."""
    md = _make_markdown()
    md.core.ruler.disable("heading_ids")
    md.use(anchors_plugin, min_level=2, max_level=4)
    tokens = md.parse(body, {"targets": TARGETS})
    html = sanitize(md.renderer.render(tokens, md.options, {"targets": TARGETS}))
    return _ids(html), [(e.level, e.anchor, e.text) for e in _toc(tokens)]


def _ours(body: str) -> tuple[list[str], list[tuple[int, str, str]]]:
    out = Renderer().render(body, TARGETS)
    return _ids(out.html), [(e.level, e.anchor, e.text) for e in out.toc]


def test_heading_ids_of_the_library_and_the_docs_are_the_anchors_plugins():
    assert len(MARKDOWN_FILES) >= 20
    with_headings = 0
    for path in MARKDOWN_FILES:
        body = _body(path)
        ours = _ours(body)
        assert ours == _anchors_plugin_render(body), path
        with_headings += bool(ours[0])
    assert with_headings > 15


HEADING_TITLES = ["A", "a", "A 1", "a-1", "a-2", "", "Første trin", "Første  trin", "`kode` og *fed*", "A-1",
                  "[[adgang-til-data]] her", "Æ/Ø & Å?", "x" * 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(HEADING_TITLES)), max_size=25))
def test_repeated_and_colliding_headings_get_the_anchors_plugins_ids(headings):
    body = "".join(f"{'#' * level} {title}\n\nTekst.\n\n" for level, title in headings)
    assert _ours(body) == _anchors_plugin_render(body)


def test_eight_thousand_identical_headings_render_fast_with_unique_ids():
    started = time.perf_counter()
    out = Renderer().render("## A\n\n" * 8000, TARGETS)
    assert time.perf_counter() - started < 3  # the anchors plugin took 10 s (16,000 headings: 38 s)
    ids = _ids(out.html)
    assert ids[:3] == ["a", "a-1", "a-2"] and len(ids) == len(set(ids)) == HEADINGS_MAX
    assert out.html.count("<h2") == 8000 and len(out.toc) == HEADINGS_MAX


def test_headings_past_the_cap_get_no_id_and_no_toc_entry():
    body = "# Titel\n\n" + "".join(f"## Afsnit {n}\n\n### Under {n}\n\n" for n in range(HEADINGS_MAX))
    out = Renderer().render(body, TARGETS)
    ids = _ids(out.html)
    assert len(ids) == HEADINGS_MAX - 1  # the h1 counts as a heading but gets no id
    assert ids[-1] == f"afsnit-{(HEADINGS_MAX - 1) // 2}" and f"under-{HEADINGS_MAX // 2}" not in ids
    assert [e.anchor for e in out.toc] == ids
    assert f"<h2>Afsnit {HEADINGS_MAX - 1}</h2>" in out.html  # still a heading, only without an anchor


def _parsed_headings(body: str) -> int:
    return sum(1 for token in _make_markdown().parse(body, {}) if token.type == "heading_open")


def test_count_headings_agrees_with_the_parser_on_every_library_file():
    for path in MARKDOWN_FILES:
        body = _body(path)
        assert count_headings(body) == _parsed_headings(body), path


@pytest.mark.parametrize(("body", "expected"), [
    ("## A\n\n" * 600, 600),
    ("> ## Citat\n\n" * 3, 3),
    ("- ## Punkt\n1. > ### Dybt\n", 2),
    ("Titel\n=====\n\nUndertitel\n---\n\nTekst\n\n---\n", 2),  # the last --- is a rule: no text above it
    ("```bash\n# en kommentar\n# en til\n```\n\n## Rigtig\n", 1),
    ("#hashtag og ####### syv\n", 0),
])
def test_count_headings(body, expected):
    assert count_headings(body) == expected == _parsed_headings(body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["## A", "# B", "A", "", "---", "===", "-", "> ## C", "- ## D", "> E", "- F",
                                 "```", "~~~", "    # G", "1. H", "| a |", "|---|", "  ### I", "#"]), max_size=30))
def test_count_headings_never_counts_fewer_than_the_parser(lines):
    body = "\n".join(lines) + "\n"
    assert count_headings(body) >= _parsed_headings(body)


@pytest.mark.parametrize("body", ["## A\n\n" * 170_000, "> " * 500_000 + "#", " " * 1_000_000 + "x",
                                  "- " * 500_000, ("x" * 100 + "\n") * 10_000, "A\n-\n\n" * 150_000])
def test_count_headings_is_cheap_on_a_megabyte(body):
    started = time.perf_counter()
    count_headings(body)
    assert time.perf_counter() - started < 3  # generous: a busy machine must not fail it


# -- the render cache is bounded by bytes; previews skip it (finding M5) -----------------------------------

def _large_body(n: int, kilobytes: int) -> str:
    return f"# Udkast {n}\n\n" + "Et afsnit med **fed** tekst og [et link](https://example.dk).\n\n" * (kilobytes * 16)


def test_cache_stays_under_its_byte_bound_whatever_is_rendered():
    renderer = Renderer(cache_bytes=2_000_000)
    for n in range(30):
        renderer.render(_large_body(n, 40), TARGETS)  # ~76 KB of HTML each: 2.3 MB in all
        assert renderer.cached_bytes <= 2_000_000
    assert 10 <= renderer.cached_pages < 30
    assert renderer.misses == 30
    renderer.render(_large_body(29, 40), TARGETS)  # the newest are kept
    assert renderer.hits == 1


def test_cache_counts_the_html_it_holds():
    renderer = Renderer()
    html = renderer.render(_large_body(0, 40), TARGETS).html
    assert len(html) > 60_000
    assert len(html) <= renderer.cached_bytes < len(html) * 1.1


def test_a_page_larger_than_an_eighth_of_the_cache_is_not_kept():
    renderer = Renderer(cache_bytes=400_000)
    small = renderer.render("Lille tekst", TARGETS)
    renderer.render(_large_body(1, 40), TARGETS)
    renderer.render(_large_body(1, 40), TARGETS)
    assert renderer.misses == 3 and renderer.cached_pages == 1
    assert renderer.render("Lille tekst", TARGETS) is small  # not pushed out by the big one


def test_render_without_cache_leaves_the_cache_untouched(renderer):
    kept = renderer.render("Gemt tekst", TARGETS)
    before = (renderer.cached_pages, renderer.cached_bytes, renderer.hits, renderer.misses)
    preview = renderer.render(_large_body(2, 40), TARGETS, cache=False)
    again = renderer.render("Gemt tekst", TARGETS, cache=False)
    assert "Udkast 2" in preview.html and again.html == kept.html and again is not kept
    assert (renderer.cached_pages, renderer.cached_bytes, renderer.hits, renderer.misses) == before
    renderer.render(_large_body(2, 40), TARGETS)
    assert renderer.misses == before[3] + 1  # the preview was never stored


def test_sized_cache_evicts_the_least_recently_used_first():
    cache = SizedCache(max_bytes=30, max_entries=10, size_of=len, entry_bytes=10)
    for key in "abc":
        cache.put(key, "x" * 10)
    assert cache.get("a") == "x" * 10  # now the most recently used
    cache.put("d", "y" * 10)
    assert cache.get("b") is None and cache.get("a") and cache.get("c") and cache.get("d")
    assert cache.bytes == 30
    cache.put("e", "z" * 11)  # over the size of one entry: not kept, nothing pushed out
    assert cache.get("e") is None and len(cache) == 3
    cache.put("a", "w" * 2, key_bytes=1)
    assert cache.bytes == 23 and cache.get("a") == "ww"


# -- [[link]] scanning stays linear (found with M3: the same kind of cost on one saved file) --------------

def test_wiki_links_of_a_body_full_of_links_are_found_fast_with_their_lines():
    started = time.perf_counter()
    links = wikilinks("[[adgang-til-data]]\n" * 160_000)  # counting lines from the top for each took 26 s
    assert time.perf_counter() - started < 5
    assert len(links) == 160_000 and links[-1].line == 160_000 and links[7].line == 8


def test_wiki_links_after_many_unclosed_code_spans_are_found_fast():
    body = "[[a]] " + "".join("`" * length + "x" for length in range(1, 1200)) + "\n[[b]]"
    started = time.perf_counter()
    links = wikilinks(body)  # a regular expression seeking each run's closer took 7.6 s
    assert time.perf_counter() - started < 3  # a regular expression seeking each closer took 7.6 s
    assert [(link.target, link.line) for link in links] == [("a", 1), ("b", 2)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["`", "``", "```", "[[a]]", "[[b]]", "x", " "]), max_size=30))
def test_wiki_links_and_the_renderer_agree_on_code_spans(parts):
    body = "x " + "".join(parts)
    rendered = re.findall(r'class="wikilink-missing" title="Materialet findes ikke">([ab])<',
                          Renderer(cache_size=1).render(body, LinkTargets({})).html)
    assert [link.target for link in wikilinks(body)] == rendered
