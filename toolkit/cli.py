"""The `netkit` command: parse input, make one call into the core, present the result.

Core errors become exit codes: 1 for a failed check or a missing thing, 2 for misuse (click's usage errors).
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit import __version__
from toolkit.config import SETTINGS, Settings
from toolkit.errors import Invalid, InvalidSlug, NetkitError, NotFound
from toolkit.library import TAXONOMY_FILE, Filters, Library

F = TypeVar("F", bound=Callable[..., Any])


def core_errors(command: F) -> F:
    """Turn the core's typed errors into click errors (and so into exit codes and plain messages)."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidSlug as exc:
            raise click.UsageError(str(exc)) from None
        except (NotFound, Invalid, NetkitError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


class Context:
    """What every command gets: the settings, and the library loaded on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._library: Library | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = Library.load(self.settings.library)
        return self._library

    def warn_if_broken(self) -> None:
        if self.library.problems:
            click.echo(f"note: the library has {len(self.library.problems)} problem(s); "
                       "run `netkit check` to see them", err=True)


pass_context = click.make_pass_decorator(Context)

_settings_help = "\n".join(f"  {spec.env:24} {spec.help}" for spec in SETTINGS)


@click.group(epilog=f"Environment variables:\n\n{_settings_help}", context_settings={"max_content_width": 100})
@click.option("--library", "library", type=click.Path(file_okay=False, path_type=Path),
              help="Library folder (default: the bundled library; env NETKIT_LIBRARY).")
@click.version_option(__version__, prog_name="netkit")
@click.pass_context
@core_errors
def main(ctx: click.Context, library: Path | None) -> None:
    """Netkit: the materials library of the AI health-data network.

    Example: netkit list --kind guide
    """
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s: %(message)s")
    if library is not None and not (library / TAXONOMY_FILE).is_file():
        raise click.BadParameter(f"{library} holds no {TAXONOMY_FILE}; give a library folder",
                                 param_hint="--library")
    ctx.obj = Context(Settings.from_env(library=library))


def _vocabulary_option(name: str, vocabulary: str, help_text: str) -> Callable[[F], F]:
    return click.option(f"--{name}", metavar=vocabulary.upper().rstrip("S"), help=help_text)


def _check_term(library: Library, vocabulary: str, value: str | None, option: str) -> None:
    if value is not None and value not in library.taxonomy.ids(vocabulary):
        allowed = ", ".join(library.taxonomy.ids(vocabulary))
        raise click.BadParameter(f"'{value}' is unknown; allowed: {allowed}", param_hint=option)


@main.command("list")
@_vocabulary_option("kind", "kinds", "Only this kind, e.g. guide.")
@_vocabulary_option("topic", "topics", "Only materials with this topic, e.g. data-access.")
@_vocabulary_option("audience", "audiences", "Only materials for this audience, e.g. project-leads.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def list_command(ctx: Context, kind: str | None, topic: str | None, audience: str | None, as_json: bool) -> None:
    """List materials, grouped by kind.

    Example: netkit list --topic consent --json
    """
    library = ctx.library
    _check_term(library, "kinds", kind, "--kind")
    _check_term(library, "topics", topic, "--topic")
    _check_term(library, "audiences", audience, "--audience")
    materials = library.materials(Filters(kind=kind, topic=topic, audience=audience))
    if as_json:
        click.echo(json.dumps([m.to_dict() for m in materials], ensure_ascii=False, indent=2))
    else:
        width = max((len(m.slug) for m in materials), default=4)
        for material in materials:
            click.echo(f"{material.slug:{width}}  {material.kind:14}  {material.title}")
    ctx.warn_if_broken()


@main.command("show")
@click.argument("slug")
@click.option("--html", "as_html", is_flag=True, help="Print the rendered, sanitised HTML of the body.")
@pass_context
@core_errors
def show_command(ctx: Context, slug: str, as_html: bool) -> None:
    """Show one material: its fields and its text.

    Example: netkit show adgang-til-data
    """
    library = ctx.library
    material = library.get(slug)
    if as_html:
        click.echo(library.render(material).html)
        return
    tax = library.taxonomy
    click.echo(material.title)
    click.echo("=" * len(material.title))
    rows = [
        ("Slug", material.slug),
        ("Type", tax.label("kinds", material.kind)),
        ("Status", f"{tax.label('statuses', material.status)} · version {material.version}"),
        ("Opdateret", material.updated.isoformat()),
        ("Emner", ", ".join(tax.label("topics", t) for t in material.topics)),
        ("Målgruppe", ", ".join(tax.label("audiences", a) for a in material.audience)),
        ("Forfattere", ", ".join(material.authors)),
    ]
    if material.working_group:
        rows.append(("Arbejdsgruppe", material.working_group))
    if material.related:
        rows.append(("Relateret", ", ".join(material.related)))
    for label, value in rows:
        click.echo(f"{label + ':':15}{value}")
    click.echo()
    click.echo(material.summary)
    click.echo()
    click.echo(material.body.strip())


@main.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@pass_context
@core_errors
def check_command(ctx: Context, path: Path | None) -> None:
    """Check a library (or one material file) and list every problem.

    Exits 0 when clean, 1 when problems are found, 2 on misuse.

    Example: netkit check library/
    """
    only: Path | None = None
    root = ctx.settings.library
    if path is not None:
        if path.is_dir():
            root = path
        else:
            only = path.resolve()
            root = _library_root_of(only)
    try:
        library = Library.load(root)
    except Invalid as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        sys.exit(1)
    problems = library.problems
    if only is not None:
        shown = str(only.relative_to(root.resolve().parent))
        problems = [p for p in problems if p.path == shown]
    for problem in problems:
        click.echo(str(problem))
    if problems:
        files = len({p.path for p in problems})
        click.echo(f"{len(problems)} problem(s) in {files} file(s)", err=True)
        sys.exit(1)
    what = f"{only.name}" if only else f"{len(library)} materials in {root}"
    click.echo(f"OK: {what}, no problems", err=True)


def _library_root_of(file: Path) -> Path:
    for folder in file.parents:
        if (folder / TAXONOMY_FILE).is_file():
            return folder
    raise click.BadParameter(f"{file} is not inside a library folder (no {TAXONOMY_FILE} above it)",
                             param_hint="PATH")


@main.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1; env NETKIT_HOST).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default 5000; env NETKIT_PORT).")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes (default 2; env NETKIT_WORKERS).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader (not for production).")
@pass_context
@core_errors
def serve_command(ctx: Context, host: str | None, port: int | None, workers: int | None, dev: bool) -> None:
    """Serve the web UI (gunicorn, several workers).

    Example: netkit serve --port 8000
    """
    from dataclasses import replace

    from webui.server import serve  # the web front end is loaded only for this command

    settings = replace(ctx.settings, **{k: v for k, v in
                                        {"host": host, "port": port, "workers": workers}.items() if v is not None})
    serve(settings, dev=dev)


if __name__ == "__main__":  # pragma: no cover
    main()
