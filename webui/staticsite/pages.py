"""The static site's pages and files: the app's own pages, fetched and rewritten to work as plain files.

The pages are the real app's pages, fetched through Flask's test client from an app made for the export
(`NETKIT_STATIC`: no sign-in or language links), so they look exactly like the live site and show what a
visitor who is not signed in gets: the last published edition of each material, never an unpublished draft.
Every site-absolute link is then rewritten to a relative path to the file it became (`/m/x/` →
`../x/index.html`), so the site works from any sub-path. What has no static counterpart is left out: a link to
it is unwrapped to its text (an edition number, a draft's title), the questionnaire button and (without PDFs)
the PDF link are dropped, and the browse filters lead to one filter at a time, each with its own count. A
material's images and attachments are fetched from their routes like any file, so they land beside the page that
shows them (`m/x/media/`, an edition's in `m/x/v/1.0.0/media/`) and only those a reader's page refers to are
published: a draft's new files stay out. Projects and meetings have their pages too (`/projekter/x/`,
`/moeder/x/`), since the search finds them as the live search does; their overview pages stay out, but the AI map
(`/overblik/`, its charts as SVG and PNG files beside it) is in: its table rows' links to the filtered project list
become text.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from toolkit.documents.pdf import PdfUnavailable, docx_to_pdf_many
from toolkit.documents.templatesearch import TemplateSource
from toolkit.library.folder import Filters
from toolkit.library.render import plain_text
from toolkit.network.meetingsearch import MeetingSource
from toolkit.network.projects.search import ProjectSource
from toolkit.search.analysis import Lexicon
from toolkit.search.documents import is_public
from webui.staticsite.errors import SiteError
from webui.staticsite.moved import moved_pages
from webui.staticsite.searchindex import INDEX_FILE, IndexDoc, search_index, split_index

SEARCH_PAGE = "sog/index.html"
FACETS = {"kind": "kinds", "topic": "topics", "audience": "audiences"}
PDF_BATCH = 20  # documents per LibreOffice start (one start converts many; the whole call has a time limit)
SKIPPED_SCRIPTS = ("/static/suggest.js",)  # asks the server for title suggestions: nothing to ask statically

_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_VERSION = r"\d+\.\d+\.\d+"
# What a reader can reach and the export can hold: pages, editions and their changes, Word/PDF files, template
# pages and examples, feeds (with a base URL), static files. Anything else is left out (and links to it).
# A material's image or attachment beside its page (and an edition's beside the edition's page).
_MEDIA = re.compile(rf"/m/{_ID}/(?:v/{_VERSION}/)?media/[a-z0-9][a-z0-9_-]*\.(?:png|jpg|gif|webp|pdf)")
_EXPORTABLE = re.compile(rf"/|/gennemse|/sog|/m/{_ID}/(?:v/{_VERSION}/(?:aendringer)?)?|{_MEDIA.pattern}"
                         rf"|/projekter/{_ID}/|/moeder/{_ID}/|/overblik/(?:{_ID}\.(?:svg|png))?"
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
_EMPTY_PARAGRAPH = re.compile(r"\n?[ \t]*<p>\s*</p>")  # left where the only link was dropped
_EMPTY_DATALIST = '<datalist id="title-suggestions"></datalist>'

BROWSE_LEAD = _l("Vælg type, emne og målgruppe – filtrene kan kombineres, og tallet viser, hvor mange materialer "
                 "der er tilbage med det valg.")
STATIC_BROWSE_LEAD = _l("Vælg en type, et emne eller en målgruppe – tallet viser, hvor mange materialer der har "
                        "den.")


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
        from webui import context, visibility

        with self.app.test_request_context("/"):
            lib = context.library()
            hidden = visibility.hidden_from_reader()
            shown = lib.materials(Filters(hidden=hidden))
            readable = [visibility.readable(m.slug)[0] for m in shown]
            counts = lib.facet_counts(Filters(hidden=hidden))
            packages, _problems = context.templates().packages()
            template_docs = TemplateSource(context.templates()).docs(lib)
            # Projects and meetings as the live search has them (its own sources), with a page each.
            record_docs = [d for source in (ProjectSource(lib.root), MeetingSource(lib.root))
                           for d in source.docs(lib) if is_public(d)]
            kind_labels = {kind: lib.taxonomy.label("kinds", kind) for kind in lib.taxonomy.ids("kinds")}
            kind_labels["template"] = _("Skabelon")
            kind_labels["project"] = _("Projekt")
            kind_labels["meeting"] = _("Møde")
            lexicon = Lexicon.load(lib.root)
        self.global_counts = {name: dict(values) for name, values in counts.items()}

        self._add_search_page()
        self._enqueue("/", "/gennemse", "/skabeloner/", "/overblik/")  # the AI map with its charts' downloads
        self._enqueue(*(f"/gennemse?{name}={value}" for name, values in counts.items() for value, _n in values))
        self._enqueue(*(f"/m/{m.slug}/" for m in shown), *(f"/skabeloner/{p.name}/" for p in packages))
        self._enqueue(*(f"/m/{m.slug}/{m.slug}.docx" for m in shown))  # beside each page, whatever it links
        self._enqueue(*(d.url for d in record_docs))
        while self.queue:
            self._fetch(self.queue.popleft())

        if self.pdf:
            self._write_pdfs()
        for file, (address, page) in self.pages.items():
            self._write(file, self.rewrite(page, file, address).encode())
        with self.app.test_request_context("/"):  # renamed materials: a page at each old address (staticsite.moved)
            moved = moved_pages(context.instance().revisions.redirects.current() if context.has_history() else {},
                                self.pages)
        for file, data in moved.items():
            self._write(file, data)

        # In the live search's order (materials, templates, projects, meetings): its tie-break is the same.
        docs = [IndexDoc(m.title, f"m/{m.slug}/index.html", m.summary, kind_labels.get(m.kind, m.kind),
                         plain_text(m.body), kind_id=m.kind, questions=m.questions + m.questions_en)
                for m in readable if f"m/{m.slug}/index.html" in self.pages]
        docs += [IndexDoc(d.title, site_file(d.url) or "", d.summary, kind_labels.get(d.doctype, d.kind), d.text,
                          d.doctype, d.kind, d.questions)
                 for d in [*template_docs, *record_docs] if site_file(d.url) in self.pages]
        index = search_index(docs, lexicon)
        for name, data in split_index(index).items():
            self._write(name, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
        return {"pages": len(self.pages), "files": len(self.files),
                "materials": sum(1 for m in shown if f"m/{m.slug}/index.html" in self.pages),
                "templates": sum(1 for p in packages if f"skabeloner/{p.name}/index.html" in self.pages),
                "records": sum(1 for d in record_docs if site_file(d.url) in self.pages)}

    # fetching

    def _enqueue(self, *addresses: str) -> None:
        for address in addresses:
            if address not in self.seen and address not in SKIPPED_SCRIPTS and site_file(address) is not None:
                self.seen.add(address)
                self.queue.append(address)

    def _fetch(self, address: str) -> None:
        file = site_file(address)
        path = urlsplit(address).path
        if path.endswith(".pdf") and not _MEDIA.fullmatch(path):  # made from the Word files at the end, in one go
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
        if file.endswith(".pdf") and not _MEDIA.fullmatch("/" + file):
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
                path = urlsplit(url).path
                return "" if _DROPPED.fullmatch(path) and not _MEDIA.fullmatch(path) else sep + inner
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
