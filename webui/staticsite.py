"""The static site: what an anonymous reader sees, written as plain files for any web server or sub-path.

The pages are the real app's pages, fetched through Flask's test client from an app made for the export
(`NETKIT_STATIC`: no sign-in or language links), so they look exactly like the live site and show what a
visitor who is not signed in gets: the last published edition of each material, never an unpublished draft.
Every site-absolute link is then rewritten to a relative path to the file it became (`/m/x/` →
`../x/index.html`), so the site works from any sub-path. What has no static counterpart is left out: a link to
it is unwrapped to its text (an edition number, a draft's title), the questionnaire button and (without PDFs)
the PDF link are dropped, and the browse filters lead to one filter at a time, each with its own count.

Search runs in the browser (`static/sitesearch.js`) over `search-index.json`: terms made by the same Danish
analysis as the live search (stop words, æ/ø/å folding, compound parts, Snowball stems), each with a small
integer weight per document (title above summary above body, times the term's rarity), the body terms capped
per document, and the library's synonyms. The script stems the query with a port of the same stemmer, expands
the synonyms, and treats the last word as a prefix while it is being typed.

The site is built in a temporary folder next to the target and renamed into place at the end, so a failure
(LibreOffice missing or failing, a page that errs) leaves nothing half-written. Every export holds a marker file
(SITE_MARKER); `--force` replaces a folder with something in it only when it holds that marker, so it can replace
an earlier export but never a folder of someone's own files.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import math
import os
import posixpath
import re
import shutil
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES, PROJECT_ROOT, Settings
from toolkit.documents.pdf import PdfUnavailable, docx_to_pdf_many, pdf_available
from toolkit.documents.templatesearch import TemplateSource
from toolkit.errors import NetkitError
from toolkit.library.folder import Filters
from toolkit.library.render import plain_text
from toolkit.search.analysis import DanishTokenizer, Lexicon, fold
from toolkit.search.documents import DOCTYPE_WANTED, DOCTYPE_WEIGHTS

INDEX_FILE = "search-index.json"
SEARCH_PAGE = "sog/index.html"
FACETS = {"kind": "kinds", "topic": "topics", "audience": "audiences"}
BODY_TERMS_PER_DOC = 48  # the body terms kept per document (the best by weight); title and summary terms all
COMMON_SHARE = 0.5  # a term in more than this share of documents is kept only for titles and summaries
MAX_WEIGHT = 255
PDF_BATCH = 20  # documents per LibreOffice start (one start converts many; the whole call has a time limit)
SKIPPED_SCRIPTS = ("/static/suggest.js",)  # asks the server for title suggestions: nothing to ask statically

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_VERSION = r"\d+\.\d+\.\d+"
# What a reader can reach and the export can hold: pages, editions and their changes, Word/PDF files, template
# pages and examples, feeds (with a base URL), static files. Anything else is left out (and links to it).
_EXPORTABLE = re.compile(rf"/|/gennemse|/sog|/m/{_ID}/(?:v/{_VERSION}/(?:aendringer)?)?"
                         rf"|/m/(?P<m>{_ID})/(?:v/{_VERSION}/)?(?P=m)\.(?:docx|pdf)"
                         rf"|/skabeloner/(?:{_ID}/(?:eksempel\.docx)?)?|/feed(?:/[a-z]+/{_ID})?\.atom"
                         r"|/static/[A-Za-z0-9][A-Za-z0-9._-]*")
_DROPPED = re.compile(rf"/skabeloner/{_ID}/udfyld|.*\.(?:pdf|atom)")  # a link to these goes, text and all
_ANCHOR = re.compile(r"(?P<sep>\s*·\s*)?<a\b(?P<attrs>[^>]*)>(?P<inner>.*?)</a>", re.S)
_TAG = re.compile(r"<(?P<name>link|script|img|source|form)\b(?P<attrs>[^>]*)>(?P<close></script>)?", re.I)
_ATTR = re.compile(r'\b(?P<name>href|src|action)="(?P<value>[^"]*)"')
_COUNT = re.compile(r'<span class="count">\(\d+\)</span>')
_LINK_ATTRS = re.compile(r'\s(?:href|src|action)="[^"]*"')
_SUGGEST_ATTRS = re.compile(r'\s(?:list="title-suggestions"|data-suggest="[^"]*")')
_WORD = re.compile(r"\w+(?:\.?\w+)*")  # a word, as DanishTokenizer finds them
_EMPTY_PARAGRAPH = re.compile(r"\n?[ \t]*<p>\s*</p>")  # left where the only link was dropped
_EMPTY_DATALIST = '<datalist id="title-suggestions"></datalist>'

BROWSE_LEAD = _l("Vælg type, emne og målgruppe – filtrene kan kombineres, og tallet viser, hvor mange materialer "
                 "der er tilbage med det valg.")
STATIC_BROWSE_LEAD = _l("Vælg en type, et emne eller en målgruppe – tallet viser, hvor mange materialer der har "
                        "den.")


SITE_MARKER = ".netkit-site"
MARKER_TEXT = ("This folder is a static site written by `netkit export-site`.\n"
               "`netkit export-site --force` replaces a folder that is not empty only when it holds this file.\n")


class SiteError(NetkitError):
    """The export could not be made (a page failed, LibreOffice is missing or failed, OUT is not empty)."""


class SiteMisuse(NetkitError):
    """OUT is a place the export must never write to (the instance, the bundled content, a parent of them)."""


@dataclass(frozen=True)
class SiteReport:
    folder: Path
    pages: int
    files: int
    materials: int
    templates: int
    total_bytes: int
    index_bytes: int
    index_gzip_bytes: int
    pdf: bool
    seconds: float


@dataclass(frozen=True)
class IndexDoc:
    """One search result of the static site: what is shown, and the text its terms come from."""

    title: str
    url: str  # relative to the site root
    summary: str
    kind: str  # the label shown
    text: str
    doctype: str = "material"


def export_site(settings: Settings, out: Path, *, force: bool = False, pdf: bool = True,
                base_url: str | None = None) -> SiteReport:
    """Write the static site of the instance at `settings.home` to `out`, atomically.

    `out` must not exist or be empty, unless `force` and it is an earlier export (it holds SITE_MARKER): then
    it is replaced as a whole at the end. With `pdf` LibreOffice must be available and convert every Word file,
    or nothing is written. With `base_url` (where the site will be published) the Atom feeds are included, their
    links absolute; without it they are left out, and the links to them.
    """
    started = time.perf_counter()
    out = Path(os.path.abspath(out))
    check_target(out, settings, force=force)
    if pdf and not pdf_available():
        raise SiteError("PDF needs LibreOffice, which is not installed here (Debian: apt-get install "
                        "libreoffice-writer-nogui); export without PDFs with --no-pdf")
    from webui import create_app

    # An app of its own: the templates leave out sign-in, and the feeds link to where this site will be published
    # (`base_url`), not to the live site's NETKIT_BASE_URL.
    app = create_app(replace(settings, base_url=base_url or ""), {"NETKIT_STATIC": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        counts = SiteBuilder(app, work, pdf=pdf, base_url=base_url).build()
        (work / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(work, 0o755)  # mkdtemp makes it private; a web server must read the site
        _move_into_place(work, out, force=force)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    index = out / INDEX_FILE
    return SiteReport(folder=out, pages=counts["pages"], files=counts["files"], materials=counts["materials"],
                      templates=counts["templates"], total_bytes=_size(out), index_bytes=index.stat().st_size,
                      index_gzip_bytes=len(gzip.compress(index.read_bytes(), 9)), pdf=pdf,
                      seconds=time.perf_counter() - started)


def check_target(out: Path, settings: Settings, *, force: bool) -> None:
    """Refuse a target inside the instance or the bundled content, or one that holds them, the project, the
    working folder or the home folder (SiteMisuse), a target that is a file, and a folder with something in it
    unless `force` and it is an earlier export (SiteError)."""
    real = out.resolve()
    protected = [Path(settings.home), BUNDLED_LIBRARY, BUNDLED_TEMPLATES]
    if settings.library is not None:
        protected.append(Path(settings.library))
    for place in protected:
        place = place.resolve()
        if real == place or place in real.parents:
            raise SiteMisuse(f"{out} is inside {place}; write the static site to a folder of its own")
    for place in (*protected, PROJECT_ROOT, Path.cwd(), Path.home()):
        place = place.resolve()
        if real == place or real in place.parents:
            raise SiteMisuse(f"{out} holds {place}; write the static site to a folder of its own")
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise SiteMisuse(f"{out} is not a folder")
        if any(out.iterdir()):
            _check_replaceable(out, force=force)


def _check_replaceable(out: Path, *, force: bool) -> None:
    """A folder with something in it is replaced only with `force`, and only when an earlier export made it."""
    if not force:
        raise SiteError(f"{out} is not empty; choose an empty or new folder, or replace an earlier export "
                        "with --force")
    marker = out / SITE_MARKER
    if not marker.is_file() or marker.is_symlink():
        raise SiteError(f"{out} is not empty and is not an earlier export (it has no {SITE_MARKER} file), so "
                        "--force does not replace it; choose an empty or new folder (an export made before "
                        "the marker existed must be removed by hand once)")


def _move_into_place(work: Path, out: Path, *, force: bool) -> None:
    if not out.exists():
        os.rename(work, out)
        return
    if not any(out.iterdir()):
        os.rename(work, out)  # replaces an empty folder in one step
        return
    _check_replaceable(out, force=force)  # checked again: the folder may have changed while the site was built
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rename(out, old / "site")
    try:
        os.rename(work, out)
    except OSError:
        os.rename(old / "site", out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- addresses -------------------------------------------------------------------------------------------------------


def site_file(url: str) -> str | None:
    """The file a site-absolute address becomes, or None when it has none: `/m/x/` → `m/x/index.html`, a page
    without a trailing slash gets a folder too (`/m/x/v/1.0.0/aendringer` → `…/aendringer/index.html`), files
    keep their names. A browse page with one filter has its own folder (`/gennemse?kind=guide` →
    `gennemse/kind-guide/index.html`); `/sog` without a query is the static search page.
    """
    parts = urlsplit(url)
    path, query = parts.path, parse_qsl(parts.query)
    if parts.scheme or parts.netloc or not _EXPORTABLE.fullmatch(path):
        return None
    if path == "/gennemse":
        filters = browse_filters(query)
        if filters is None or len(filters) > 1:
            return None
        if not filters:
            return "gennemse/index.html"
        (name, value), = filters.items()
        return f"gennemse/{name}-{value}/index.html"
    if query:
        return None
    file = path.lstrip("/")
    if path.endswith("/"):
        return file + "index.html"
    return file if "." in file.rsplit("/", 1)[-1] else file + "/index.html"


def browse_filters(query: Iterable[tuple[str, str]]) -> dict[str, str] | None:
    """The filters of a browse address, or None when it has anything else (a value of another shape …)."""
    filters = {}
    for name, value in query:
        if name not in FACETS or not re.fullmatch(_ID, value) or name in filters:
            return None
        filters[name] = value
    return filters


def relative(target: str, page: str) -> str:
    """The relative address of site file `target` from site file `page`."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


# -- building --------------------------------------------------------------------------------------------------------


class SiteBuilder:
    """Fetch every page and file a reader can reach, rewrite the links, write the files and the search index."""

    def __init__(self, app: Flask, folder: Path, *, pdf: bool, base_url: str | None = None):
        self.app = app
        self.folder = folder
        self.pdf = pdf
        self.base_url = base_url.rstrip("/") + "/" if base_url else None
        self.client = app.test_client()
        self.pages: dict[str, tuple[str, str]] = {}  # site file → (address, HTML as served)
        self.files: set[str] = set()  # every file written
        self.seen: set[str] = set()
        self.queue: deque[str] = deque()
        self.global_counts: dict[str, dict[str, int]] = {}

    def build(self) -> dict[str, int]:
        from webui import context

        with self.app.test_request_context("/"):
            lib = context.library()
            hidden = context.hidden_from_reader()
            shown = lib.materials(Filters(hidden=hidden))
            readable = [context.readable(m.slug)[0] for m in shown]
            counts = lib.facet_counts(Filters(hidden=hidden))
            packages, _problems = context.templates().packages()
            template_docs = TemplateSource(context.templates()).docs(lib)
            kind_labels = {kind: lib.taxonomy.label("kinds", kind) for kind in lib.taxonomy.ids("kinds")}
            kind_labels["template"] = _("Skabelon")
            lexicon = Lexicon.load(lib.root)
        self.global_counts = {name: dict(values) for name, values in counts.items()}

        self._add_search_page()
        self._enqueue("/", "/gennemse", "/skabeloner/")
        self._enqueue(*(f"/gennemse?{name}={value}" for name, values in counts.items() for value, _n in values))
        self._enqueue(*(f"/m/{m.slug}/" for m in shown), *(f"/skabeloner/{p.name}/" for p in packages))
        self._enqueue(*(f"/m/{m.slug}/{m.slug}.docx" for m in shown))  # beside each page, whatever it links
        while self.queue:
            self._fetch(self.queue.popleft())

        if self.pdf:
            self._write_pdfs()
        for file, (address, page) in self.pages.items():
            self._write(file, self.rewrite(page, file, address).encode())

        docs = [IndexDoc(m.title, f"m/{m.slug}/index.html", m.summary, kind_labels.get(m.kind, m.kind),
                         plain_text(m.body)) for m in readable if f"m/{m.slug}/index.html" in self.pages]
        docs += [IndexDoc(d.title, site_file(d.url) or "", d.summary, kind_labels["template"], d.text, "template")
                 for d in template_docs if site_file(d.url) in self.pages]
        index = search_index(docs, lexicon)
        self._write(INDEX_FILE, json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode())
        return {"pages": len(self.pages), "files": len(self.files),
                "materials": sum(1 for m in shown if f"m/{m.slug}/index.html" in self.pages),
                "templates": sum(1 for p in packages if f"skabeloner/{p.name}/index.html" in self.pages)}

    # fetching

    def _enqueue(self, *addresses: str) -> None:
        for address in addresses:
            if address not in self.seen and address not in SKIPPED_SCRIPTS and site_file(address) is not None:
                self.seen.add(address)
                self.queue.append(address)

    def _fetch(self, address: str) -> None:
        file = site_file(address)
        path = urlsplit(address).path
        if path.endswith(".pdf"):  # made from the Word files at the end, many in one LibreOffice start
            return
        if path.endswith(".atom"):  # a feed's links must be absolute: only with a base URL
            if self.base_url is None:
                return
            response = self.client.get(address, base_url=self.base_url)
        else:
            response = self.client.get(address)
        try:
            if response.status_code in (403, 404):  # not for anonymous readers: links to it are unwrapped
                return
            if response.status_code != 200:
                raise SiteError(f"{address} answered {response.status_code} while exporting; nothing was written")
            if response.mimetype == "text/html":
                page = response.get_data(as_text=True)
                self.pages[file] = (address, page)
                self._enqueue(*_addresses(page))
            else:
                self._write(file, response.get_data())
        finally:
            response.close()

    def _add_search_page(self) -> None:
        with self.app.test_request_context("/sog"):
            root = relative("index.html", SEARCH_PAGE).removesuffix("index.html")
            page = render_template("staticsite/search.html", root=root, index_file=INDEX_FILE)
        self.seen.add("/sog")
        self.pages[SEARCH_PAGE] = ("/sog", page)
        self._enqueue(*_addresses(page))

    def _write_pdfs(self) -> None:
        """A PDF beside every Word file of a material or edition (not the templates' examples): each distinct
        file converted once (a material and its last edition are usually the same file), a batch per start."""
        by_content: dict[str, list[str]] = {}
        for file in sorted(f for f in self.files if f.startswith("m/") and f.endswith(".docx")):
            digest = hashlib.sha1((self.folder / file).read_bytes()).hexdigest()
            by_content.setdefault(digest, []).append(file)
        groups = list(by_content.values())
        for start in range(0, len(groups), PDF_BATCH):
            batch = {f"d{start + n}": files for n, files in enumerate(groups[start:start + PDF_BATCH])}
            try:
                converted = docx_to_pdf_many({key: (self.folder / files[0]).read_bytes()
                                              for key, files in batch.items()})
            except PdfUnavailable as exc:
                raise SiteError(f"PDF conversion failed, nothing was written: {exc}; "
                                "export without PDFs with --no-pdf") from None
            for key, files in batch.items():
                for file in files:
                    self._write(file.removesuffix(".docx") + ".pdf", converted[key])

    def _write(self, file: str, data: bytes) -> None:
        path = self.folder / file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files.add(file)

    # rewriting

    def target(self, address: str) -> str | None:
        """The site file an address leads to in this export, or None when the export does not have it."""
        file = site_file(address)
        if file is None:
            return None
        if file.endswith(".pdf"):
            return file if self.pdf and file.removesuffix(".pdf") + ".docx" in self.files else None
        return file if file in self.pages or file in self.files else None

    def rewrite(self, page: str, file: str, address: str) -> str:
        """Every link of a page made relative to `file`; what the export lacks unwrapped or dropped."""
        on_browse = urlsplit(address).path == "/gennemse"
        chosen = (browse_filters(parse_qsl(urlsplit(address).query)) or {}) if on_browse else {}

        def anchor(match: re.Match) -> str:
            attrs, inner, sep = match["attrs"], match["inner"], match["sep"] or ""
            found = _ATTR.search(attrs)
            if found is None or found["name"] != "href" or not _site_absolute(html.unescape(found["value"])):
                return match[0]
            url = html.unescape(found["value"])
            target, count = self._browse_target(url, chosen)
            if target is None:
                return "" if _DROPPED.fullmatch(urlsplit(url).path) else sep + inner
            if count is not None:
                inner = _COUNT.sub(f'<span class="count">({count})</span>', inner)
            attrs = attrs[:found.start()] + f'href="{self._relative(target, url, file)}"' + attrs[found.end():]
            return f"{sep}<a{attrs}>{inner}</a>"

        def tag(match: re.Match) -> str:
            attrs, name, close = match["attrs"], match["name"], match["close"] or ""
            found = _ATTR.search(attrs)
            if found is None or not _site_absolute(html.unescape(found["value"])):
                return match[0]
            url = html.unescape(found["value"])
            target = None if url in SKIPPED_SCRIPTS else self.target(url)
            if target is None:
                return "" if name.lower() in ("link", "script") else f"<{name}{_LINK_ATTRS.sub('', attrs)}>{close}"
            attrs = attrs[:found.start()] + f'{found["name"]}="{self._relative(target, url, file)}"' + \
                attrs[found.end():]
            return f"<{name}{attrs}>{close}"

        page = _ANCHOR.sub(anchor, page)
        page = _TAG.sub(tag, page)
        page = _EMPTY_PARAGRAPH.sub("", _SUGGEST_ATTRS.sub("", page).replace(_EMPTY_DATALIST, ""))
        if on_browse:
            with self.app.test_request_context("/"):
                page = page.replace(html.escape(str(BROWSE_LEAD), quote=False),
                                    html.escape(str(STATIC_BROWSE_LEAD), quote=False))
        return page

    def _browse_target(self, url: str, chosen: dict[str, str]) -> tuple[str | None, int | None]:
        """Where a link leads, and for a browse link the count its value should show: combined filters lead to
        the page of the value clicked (the one this page has not chosen), with that page's count."""
        parts = urlsplit(url)
        if parts.path != "/gennemse":
            return self.target(url), None
        filters = browse_filters(parse_qsl(parts.query))
        if filters is None:
            return None, None
        added = {name: value for name, value in filters.items() if chosen.get(name) != value}
        if len(added) > 1 or (len(filters) > 1 and not added):
            return None, None
        if not added:
            return self.target("/gennemse"), None
        (name, value), = added.items()
        return self.target(f"/gennemse?{name}={value}"), self.global_counts.get(name, {}).get(value)

    @staticmethod
    def _relative(target: str, url: str, file: str) -> str:
        fragment = urlsplit(url).fragment
        return html.escape(relative(target, file) + (f"#{fragment}" if fragment else ""), quote=True)


def _site_absolute(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _addresses(page: str) -> list[str]:
    """The site-absolute addresses a page links to (href, src, action), without fragments."""
    found = []
    for match in _ATTR.finditer(page):
        url = html.unescape(match["value"])
        if _site_absolute(url):
            found.append(url.split("#", 1)[0])
    return found


# -- the search index ------------------------------------------------------------------------------------------------


def search_index(docs: list[IndexDoc], lexicon: Lexicon | None = None, *,
                 body_terms: int = BODY_TERMS_PER_DOC) -> dict:
    """The compact index sitesearch.js reads.

    {"v": 1, "stop": [stop words], "kinds": [labels], "docs": [[title, url, summary, kind number]],
     "terms": {term: [doc gap, weight, doc gap, weight, …]}, "syn": {query words: [[terms], …]}, "synMax": n,
     "wanted": [[words, factor, [doc numbers]]]}

    Documents are numbered in order; each posting list is sorted by document and stores the gap to the one
    before; weights are 1–255: (3 in the title + 1.5 in the summary + BM25-saturated body frequency) × the
    term's rarity × the document type's weight (templates a little lower, as in the live search, unless the
    query names the type: `wanted`). Synonyms (the library's list and the taxonomy's Danish/English labels)
    are keyed by a phrase as the script analyses a query, with the other phrases of the group in that form.
    """
    lexicon = lexicon or Lexicon()
    tokenizer = DanishTokenizer(lexicon.parts)
    analysed = [(tokenizer.positions(d.title), tokenizer.positions(d.summary), tokenizer.positions(d.text))
                for d in docs]
    count = len(docs)
    frequency = Counter(term for fields in analysed for term in {*fields[0], *fields[1], *fields[2]})
    lengths = [sum(len(p) for p in body.values()) for _t, _s, body in analysed]
    average = (sum(lengths) / count) if count else 1.0
    postings: dict[str, list[tuple[int, int]]] = {}
    for number, ((title, summary, body), length, doc) in enumerate(zip(analysed, lengths, docs, strict=True)):
        norm = 1.2 * (0.25 + 0.75 * length / (average or 1.0))
        boost = DOCTYPE_WEIGHTS.get(doc.doctype, 1.0)
        weights: dict[str, float] = {}
        body_only: list[tuple[float, str]] = []
        for term in {*title, *summary, *body}:
            df = frequency[term]
            rarity = math.log(1 + (count - df + 0.5) / (df + 0.5))
            tf = len(body.get(term, ()))
            score = (3.0 * (term in title) + 1.5 * (term in summary) + tf / (tf + norm)) * rarity * boost
            if term in title or term in summary:
                weights[term] = score
            elif df <= COMMON_SHARE * count and not term.isdigit():
                body_only.append((score, term))
        body_only.sort(reverse=True)
        weights.update((term, score) for score, term in body_only[:body_terms])
        for term, score in weights.items():
            postings.setdefault(term, []).append((number, max(1, min(MAX_WEIGHT, round(score * 20)))))
    kinds = sorted({d.kind for d in docs})
    terms = {}
    for term in sorted(postings):
        flat, previous = [], 0
        for number, weight in postings[term]:
            flat += [number - previous, weight]
            previous = number
        terms[term] = flat
    synonyms = _synonyms(lexicon, tokenizer, sorted(terms))
    wanted = [[sorted({fold(name) for name in names}), round(factor / DOCTYPE_WEIGHTS.get(doctype, 1.0), 3),
               [n for n, d in enumerate(docs) if d.doctype == doctype]]
              for doctype, (factor, names) in DOCTYPE_WANTED.items() if any(d.doctype == doctype for d in docs)]
    return {"v": 1, "stop": sorted(tokenizer.stopwords), "kinds": kinds,
            "docs": [[d.title, d.url, d.summary, kinds.index(d.kind)] for d in docs], "terms": terms,
            "syn": synonyms, "synMax": max((len(key.split()) for key in synonyms), default=1), "wanted": wanted}


def _query_words(text: str, stopwords: frozenset[str]) -> list[str]:
    """A text's words as sitesearch.js analyses a query: lowercased, no stop words or single letters, folded."""
    return [fold(word) for word in _WORD.findall(text.lower()) if len(word) >= 2 and word not in stopwords]


def _synonyms(lexicon: Lexicon, tokenizer: DanishTokenizer, terms: list[str]) -> dict[str, list[list[str]]]:
    """Each synonym (as query words) → its alternatives (as query words): those whose stems are all terms."""
    known = set(terms)
    result = {}
    for phrase, others in lexicon.synonym_map.items():
        key = " ".join(_query_words(phrase, tokenizer.stopwords))
        alternatives = []
        for other in others:
            words = _query_words(other, tokenizer.stopwords)
            stems = [token.text for word in words for token in tokenizer(word)]
            if words and known.issuperset(stems) and words not in alternatives:
                alternatives.append(words)
        if key and alternatives:
            result[key] = alternatives
    return dict(sorted(result.items()))


def index_sizes(index: dict) -> tuple[int, int]:
    """Bytes of the index as written, raw and gzip-compressed."""
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode()
    return len(data), len(gzip.compress(data, 9))

