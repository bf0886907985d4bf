import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.render import LinkTargets, Renderer, sanitize, wikilinks

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
