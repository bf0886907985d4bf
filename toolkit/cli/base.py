"""The `netkit` group, its shared context and the mapping of core errors to exit codes.

Exit codes: 0 success; 1 a failed check, a conflict or something not found; 2 misuse (click's usage errors).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from toolkit import __version__
from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES, SETTINGS, Settings
from toolkit.errors import Conflict, Invalid, InvalidSlug, NetkitError

# Every command module is imported to build `netkit --help`, so the core is imported where it is used: `--help`
# pays for click alone, `list` for the library, `search` for Whoosh and numpy, `generate` for docxtpl.
# tests/cli/test_startup.py holds the import sets.
if TYPE_CHECKING:
    from toolkit.documents.packages import TemplateCatalogue
    from toolkit.history.gitstore import Author
    from toolkit.history.instance import Instance
    from toolkit.library.folder import Library
    from toolkit.search.documents import DocSource, SearchDoc
    from toolkit.search.index import SearchIndex

F = TypeVar("F", bound=Callable[..., Any])


def core_errors(command: F) -> F:
    """Turn the core's typed errors into click errors (and so into exit codes and plain messages)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidSlug as exc:
            raise click.UsageError(str(exc)) from None
        except Conflict as exc:
            parts = "\n".join(f"  line {p.line}: theirs: {p.theirs!r} / yours: {p.mine!r}" for p in exc.parts)
            raise click.ClickException(f"{exc}\n{parts}".rstrip()) from None
        except (Invalid, NetkitError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


class LazyChoice(click.Choice):
    """A click.Choice whose values come from the core when a command is parsed or its help is shown, not when it is
    defined: building `netkit --help` then imports nothing for it."""

    def __init__(self, load: Callable[[], Sequence[str]]):
        self._load = load
        self._loaded: tuple[str, ...] | None = None
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        if self._loaded is None:
            self._loaded = tuple(self._load())
        return self._loaded

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:  # click.Choice.__init__ sets the empty placeholder
        self._loaded = tuple(value) or None


class Context:
    """What every command gets: the settings, and the library or instance opened on first use.

    Reading commands use, in order: --library PATH; the instance at --home (default ./instance) if it
    exists; the bundled library. Versioning commands need the instance.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self._library: Library | None = None
        self._instance: Instance | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            if self.instance_library_dir is not None:
                self._library = self.instance.library()
            else:
                from toolkit.library.folder import Library

                self._library = Library.load(self.library_root)
        return self._library

    @property
    def library_root(self) -> Path:
        """The folder reading commands work on (see the class docstring), without loading it."""
        if self.settings.library is not None:
            return self.settings.library
        if self.instance_library_dir is not None:
            return self.instance_library_dir
        return BUNDLED_LIBRARY

    @property
    def instance_library_dir(self) -> Path | None:
        from toolkit.history.layout import holds_instance, library_dir

        if self.settings.library is None and holds_instance(self.settings.home):
            return library_dir(self.settings.home)
        return None

    @property
    def instance(self) -> Instance:
        from toolkit.history.instance import Instance

        if self._instance is None:
            if self.settings.library is not None:
                raise click.UsageError("--library serves a plain folder without history; "
                                       "use --home for the versioned instance")
            self._instance = Instance.open(self.settings.home)
            # A change made here reaches those who follow it: the event waits in the instance's notification store
            # for the sender of a running `netkit serve` (or `netkit notifications send`).
            from toolkit.people.notifystore import EventRecorder, NotifyStore

            self._instance.events.add(EventRecorder(NotifyStore(self.settings.home)))
        return self._instance

    @property
    def templates(self) -> TemplateCatalogue:
        """The instance's templates when it has them, else the bundled ones."""
        from toolkit.documents.packages import TemplateCatalogue
        from toolkit.history.layout import templates_dir

        if self.settings.library is None and templates_dir(self.settings.home).is_dir():
            return TemplateCatalogue(templates_dir(self.settings.home))
        return TemplateCatalogue(BUNDLED_TEMPLATES)

    def search_documents(self) -> list[SearchDoc]:
        from toolkit.search.documents import material_docs

        docs = material_docs(self.library)
        for source in self.search_sources():
            docs = docs + source.docs(self.library)
        return docs

    def search_sources(self) -> list[DocSource]:
        from toolkit.documents.templatesearch import TemplateSource
        from toolkit.network.meetingsearch import MeetingSource
        from toolkit.network.projects.search import ProjectSource

        sources: list[DocSource] = [TemplateSource(self.templates), ProjectSource(self.library_root),
                                    MeetingSource(self.library_root)]
        if self.instance_library_dir is not None:  # readers find a material under revision by its last edition
            from toolkit.publishing.editionsearch import EditionSource

            sources.append(EditionSource(self.instance))
        return sources

    def search_index(self, *, sync: bool = True) -> SearchIndex:
        """The search index of the library the reading commands use, brought in step unless sync=False."""
        from toolkit.search.analysis import Lexicon
        from toolkit.search.index import SearchIndex
        from toolkit.search.library_search import LibrarySearch, index_folder

        library = self.library
        folder = index_folder(self.settings.home, library.root, instance=self.instance_library_dir is not None)
        if sync:
            return LibrarySearch(folder, self.search_sources()).index_for(library)
        return SearchIndex(folder, Lexicon.load(library.root))

    def author(self, explicit: str | None) -> Author:
        from toolkit.history.authors import resolve_author

        return resolve_author(explicit or self.settings.author or None)

    def warn_if_broken(self) -> None:
        if self.library.problems:
            click.echo(f"note: the library has {len(self.library.problems)} problem(s); "
                       "run `netkit check` to see them", err=True)


pass_context = click.make_pass_decorator(Context)
author_option = click.option("--author", metavar="'NAME <EMAIL>'",
                             help="Who makes the change (default: NETKIT_AUTHOR, then git config user.name/email).")

# One line per setting: click rewraps a help paragraph into one block unless it starts with its no-rewrap marker \b.
_env_width = max(len(spec.env) for spec in SETTINGS)
_settings_help = "\b\n" + "\n".join(f"  {spec.env:{_env_width}}  {spec.help}" for spec in SETTINGS)


@click.group(epilog=f"Environment variables:\n\n{_settings_help}", context_settings={"max_content_width": 100})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path),
              help="Instance folder (default ./instance; env NETKIT_HOME).")
@click.option("--library", "library", type=click.Path(file_okay=False, path_type=Path),
              help="Read this plain library folder instead of the instance (env NETKIT_LIBRARY).")
@click.version_option(__version__, prog_name="netkit")
@click.pass_context
@core_errors
def main(ctx: click.Context, home: Path | None, library: Path | None) -> None:
    """Netkit: the materials library of the AI health-data network.

    Example: netkit list --kind guide
    """
    import logging  # not for `netkit --help`, which never gets here

    logging.basicConfig(level=logging.ERROR, format="%(levelname)s: %(message)s")
    if library is not None:
        from toolkit.library.folder import TAXONOMY_FILE

        if not (library / TAXONOMY_FILE).is_file():
            raise click.BadParameter(f"{library} holds no {TAXONOMY_FILE}; give a library folder",
                                     param_hint="--library")
    ctx.obj = Context(Settings.from_env(home=home, library=library))
