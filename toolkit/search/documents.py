"""What search finds: the `SearchDoc`, the materials' docs, the `DocSource` protocol through which other rooms
offer theirs (templates, projects, meetings; the published editions of materials under revision, from
toolkit.publishing.editionsearch), who may find a document, and what each type of document weighs.

No Whoosh here: a room that only turns its objects into SearchDocs does not load the index.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, fields
from typing import Protocol

from toolkit.library.folder import Library
from toolkit.library.materials import Material
from toolkit.library.render import plain_text
from toolkit.search.readable import linked_slugs, questions_text, readable_text

PUBLIC_STATUSES = ("published", "retired")

# A template is mostly question labels full of domain words; on a general question a guide is the better
# first answer, so templates rank a little lower — unless the query asks for a template by name, then higher
# (the templates are the library's Word documents: "word dokument der udregner vores MDR klasse" asks for one).
DOCTYPE_WEIGHTS = {"template": 0.8, "meeting": 0.8, "project": 0.8}
DOCTYPE_WANTED = {"template": (1.5, frozenset({"skabelon", "skabeloner", "skabelonen", "template", "templates",
                                               "blanket", "formular", "word", "docx"})),
                  "meeting": (1.5, frozenset({"møde", "møder", "mødet", "moede", "temamøde", "netværksmøde",
                                              "årsplan", "aarsplan", "meeting", "meetings"})),
                  # "AI-projekter" is in many guides' titles: a project asked for is weighted up only a little
                  "project": (1.2, frozenset({"projekt", "projekter", "projektet", "projektregister",
                                              "projektregistret", "project", "projects"}))}


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing (a material, later a template, project, meeting …)."""

    id: str
    doctype: str
    slug: str
    title: str
    summary: str
    text: str
    url: str
    language: str = "da"
    kind: str = ""
    topics: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    status: str = "published"
    working_group: str = ""
    updated: str = ""
    version: str = ""
    # The published edition readers get while the material's current text is a draft or in review: found
    # only by searches without drafts; with drafts, the material's current text (its own doc) stands for it.
    readers_only: bool = False
    # The text snippets show, when it is not `text` (which is what is indexed): the body read as sentences, with
    # wiki links as titles and table rows as "label: cell; cell." (toolkit/search/readable.py).
    shown: str = ""
    # The questions a material answers, in its readers' words (its front matter's `questions`): searched beside
    # its text, so a question phrased as readers ask it finds the guide that answers it.
    questions: tuple[str, ...] = ()

    @functools.cached_property
    def fingerprint(self) -> int:
        """The id and the content digest as one number (summed into the marker of a set of documents)."""
        return int(hashlib.sha1(f"{self.id}\0{self.digest}".encode()).hexdigest()[:32], 16)

    @functools.cached_property
    def digest(self) -> str:
        payload = json.dumps([getattr(self, f.name) for f in fields(self)], ensure_ascii=False, default=list)
        return hashlib.sha1(payload.encode()).hexdigest()


def is_public(doc: SearchDoc) -> bool:
    """Whether readers who are not signed in can find `doc` (the rule of querying's _restriction and
    Ranker.allowed)."""
    return doc.status in PUBLIC_STATUSES


def material_doc(material: Material, url_pattern: str = "/m/{slug}/",
                 titles: Mapping[str, str] | None = None) -> SearchDoc:
    """The SearchDoc of one material's text (its current text, or an edition read from the history); `titles`
    (slug → title) names the materials its wiki links point at, for the snippets. The indexed text is the plain
    text as before (a linked guide's title in every material linking to it would rank them for its title)."""
    return SearchDoc(
        id=f"material:{material.slug}", doctype="material", slug=material.slug, title=material.title,
        summary=material.summary, text=plain_text(material.body), url=url_pattern.format(slug=material.slug),
        language=material.language, kind=material.kind, topics=material.topics, audience=material.audience,
        status=material.status, working_group=material.working_group or "", updated=material.updated.isoformat(),
        version=material.version, questions=material.questions + material.questions_en,
        # the Danish questions after the body: a snippet shows one when it holds more of the reader's words than the
        # text (the English ones are searched, never shown to a reader of the Danish page)
        shown="\n\n".join(filter(None, (readable_text(material.body, titles), questions_text(material.questions)))))


class _MaterialDocs:
    """SearchDocs for materials, converted once per Material object (reloads reuse unchanged objects) and
    again when a material it links to gets another title (its snippets show the titles)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[Material, tuple[str, ...], tuple[str | None, ...], SearchDoc]] = {}

    def __call__(self, library: Library, url_pattern: str = "/m/{slug}/") -> list[SearchDoc]:
        docs = []
        titles = library.targets.titles
        for material in library.materials():
            cached = self._cache.get(material.slug)
            slugs = cached[1] if cached is not None and cached[0] is material else linked_slugs(material.body)
            names = tuple(titles.get(slug) for slug in slugs)
            if cached is None or cached[0] is not material or cached[2] != names:
                cached = (material, slugs, names, material_doc(material, url_pattern, titles))
                self._cache[material.slug] = cached
            docs.append(cached[3])
        return docs


material_docs = _MaterialDocs()


class DocSource(Protocol):
    """Another kind of searchable thing beside the materials (templates; later projects, meetings …)."""

    def signature(self) -> Hashable: ...

    def docs(self, library: Library) -> list[SearchDoc]: ...
