"""Word templates as search documents, so one search finds both guides and the templates that go with them.

A template's title, description, section titles and question labels are indexed; its topics and audiences
are those of the materials it relates to, so the topic filter "Samtykke"
also shows the consent form. `TemplateSource` is the pattern for later document types (projects, working
groups, meetings): a `signature()` that changes when the source changes, and `docs(library)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator

from toolkit.documents.packages import TemplateCatalogue, TemplatePackage
from toolkit.documents.questions import Question
from toolkit.errors import Invalid
from toolkit.library.folder import Library
from toolkit.search.documents import SearchDoc
from toolkit.search.readable import questions_text

TEMPLATE_URL = "/skabeloner/{slug}/"


class TemplateSource:
    """The template catalogue as a source of SearchDocs (converted once per package version)."""

    def __init__(self, catalogue: TemplateCatalogue, url_pattern: str = TEMPLATE_URL):
        self.catalogue = catalogue
        self.url_pattern = url_pattern
        self._cache: dict[str, tuple[TemplatePackage, tuple[str, ...], SearchDoc]] = {}

    def signature(self) -> Hashable:
        """Changes when a template is added, removed or changed."""
        return self.catalogue.signature()

    def docs(self, library: Library) -> list[SearchDoc]:
        docs = []
        for name in self.catalogue.names():
            try:
                package = self.catalogue.get(name)
            except Invalid:
                continue  # a broken package is reported by `netkit templates check`, not by search
            related = tuple(slug for slug in package.form.related if slug in library)
            cached = self._cache.get(name)
            if cached is None or cached[0] is not package or cached[1] != related:
                cached = (package, related, self._doc(package, related, library))
                self._cache[name] = cached
            docs.append(cached[2])
        return docs

    def _doc(self, package: TemplatePackage, related: tuple[str, ...], library: Library) -> SearchDoc:
        materials = [library.get(slug) for slug in related]
        form = package.form
        text = "\n".join(["Word-skabelon med spørgeskema.", form.description.da,
                          *(section.title.da for section in form.sections),
                          *(line for question in form.questions() for line in _question_text(question))])
        return SearchDoc(
            id=f"template:{package.name}", doctype="template", slug=package.name, title=form.title.da,
            summary=form.description.da, text=text, url=self.url_pattern.format(slug=package.name), language="da",
            kind="template", topics=tuple(sorted({t for m in materials for t in m.topics})),
            audience=tuple(sorted({a for m in materials for a in m.audience})), status="published",
            updated=_modified(package), version=package.version, questions=form.asked + form.asked_en,
            shown="\n\n".join(filter(None, (text, questions_text(form.asked)))))  # English ones: searched only


def _modified(package: TemplatePackage) -> str:
    """The day form.yaml last changed: what "sort by date" uses for a template."""
    return dt.datetime.fromtimestamp((package.root / "form.yaml").stat().st_mtime, dt.UTC).date().isoformat()


def _question_text(question: Question) -> Iterator[str]:
    """The labels of a question and its fields. Help texts and option labels are left out: they are long and
    full of domain words, and made templates outrank the guides for general questions."""
    yield question.label.da
    for field in question.fields:
        yield from _question_text(field)
