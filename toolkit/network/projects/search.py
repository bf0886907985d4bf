"""Projects of the registry as search documents, so one search finds the guides and the projects that use them.

A project's title, summary, problem, clinical area, organisation, department, data sources, AI method, phase,
regulatory status and contact names are indexed (in Danish); its topics and audiences are those of the
materials it relates to, so the topic filter "Dataadgang" also shows a project that follows the data-access
guide. Like `TemplateSource`: a `signature()` that changes when a project file (or the list of organisations)
changes, and `docs(library)`. The text snippets show (`shown`) is sentences, the project's own first ("AI-projekt i
netværkets projektregister hos Aarhus Universitetshospital, Akutafdelingen, i fasen Driftstest …"), not a run of
field values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from pathlib import Path

from toolkit.library.folder import Library
from toolkit.network.projects.model import PHASES, Project, label
from toolkit.network.projects.registry import Registry
from toolkit.search.documents import SearchDoc

PROJECT_URL = "/projekter/{slug}/"


class ProjectSource:
    """The project registry of a library folder as a source of SearchDocs (converted once per record)."""

    def __init__(self, library_dir: Path | str, url_pattern: str = PROJECT_URL):
        self.registry = Registry(library_dir)
        self.url_pattern = url_pattern
        self._cache: dict[str, tuple[Project, tuple[str, ...], str, SearchDoc]] = {}

    def signature(self) -> Hashable:
        return self.registry.signature()

    def docs(self, library: Library) -> list[SearchDoc]:
        docs = []
        organisations = self.registry.organisations
        for project in self.registry.all():
            related = tuple(slug for slug in project.related_materials if slug in library)
            owner = organisations.label(project.owner)
            cached = self._cache.get(project.slug)
            if cached is None or cached[0] is not project or cached[1] != related or cached[2] != owner:
                cached = (project, related, owner, self._doc(project, related, owner, library))
                self._cache[project.slug] = cached
            docs.append(cached[3])
        for gone in set(self._cache) - {doc.slug for doc in docs}:
            del self._cache[gone]
        return docs

    def _doc(self, project: Project, related: tuple[str, ...], owner: str, library: Library) -> SearchDoc:
        materials = [library.get(slug) for slug in related]
        text = "\n".join(part for part in (  # what is indexed (as before: ranking stays as it was)
            "AI-projekt i netværkets projektregister.", project.problem, project.clinical_area, owner,
            project.department, *project.data_sources, project.ai_method, label(PHASES, project.phase),
            project.regulatory_label(), *(contact.name for contact in project.contacts)) if part)
        shown = "\n".join(part for part in (  # what snippets show: sentences, the project's own first
            project_sentence(project, owner), project.problem,
            _sentence(f"Klinisk område: {project.clinical_area}") if project.clinical_area else "",
            _sentence(f"Bygger på {'; '.join(project.data_sources)}") if project.data_sources else "",
            _sentence(f"Metode: {project.ai_method}") if project.ai_method else "",
            _sentence(f"Kontakt: {', '.join(c.name for c in project.contacts)}") if project.contacts else "",
        ) if part)
        return SearchDoc(
            id=f"project:{project.slug}", doctype="project", slug=project.slug, title=project.title,
            summary=project.summary, text=text, url=self.url_pattern.format(slug=project.slug), language="da",
            kind="project", topics=tuple(sorted({t for m in materials for t in m.topics})),
            audience=tuple(sorted({a for m in materials for a in m.audience})), status="published",
            working_group=project.working_groups[0] if project.working_groups else "",
            updated=_modified(self.registry, project), shown=shown)


def _modified(registry: Registry, project: Project) -> str:
    """The day the project's file last changed: what "sort by date" uses for a project."""
    path = registry.library_dir / "projects" / f"{project.slug}.yaml"
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    except OSError:
        return ""


def project_sentence(project: Project, owner: str) -> str:
    """The project in one sentence: who owns it, its phase and its regulatory status."""
    where = ", ".join(part for part in (owner, project.department) if part)
    return _sentence("AI-projekt i netværkets projektregister" + (f" hos {where}" if where else "")
                     + f", i fasen {label(PHASES, project.phase)}" + f"; regulatorisk: {project.regulatory_label()}")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."
