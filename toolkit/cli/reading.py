"""Reading commands: list, show, check."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import Context, F, core_errors, main, pass_context
from toolkit.errors import Invalid, Problem

if TYPE_CHECKING:  # the core is imported by the commands that use it (see toolkit/cli/base.py)
    from toolkit.library.folder import Library


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
    from toolkit.library.folder import Filters

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
@click.option("--version", "version", metavar="X.Y.Z", help="Show a published version (needs the instance).")
@pass_context
@core_errors
def show_command(ctx: Context, slug: str, as_html: bool, version: str | None) -> None:
    """Show one material: its fields and its text.

    Example: netkit show adgang-til-data --version 1.0.0
    """
    library = ctx.library
    material = ctx.instance.read_version(slug, version) if version else library.get(slug)
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
    if material.questions:  # after the text, as the page lists them
        click.echo()
        click.echo("Spørgsmål, materialet besvarer:")
        for question in material.questions:
            click.echo(f"- {question}")


@main.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@pass_context
@core_errors
def check_command(ctx: Context, path: Path | None) -> None:
    """Check a library (or one material file) and list every problem.

    Images and attachments: a media: reference to a missing file and an image without alt text are problems.
    Warnings (a passed review_by, missing reviewed/review_by, a "tjekket <måned> <år>" marker older than six
    months, a file under library/media/ that no text refers to) are listed too, marked "warning:", but do not
    fail the check.
    Exits 0 when there are no problems (warnings or not), 1 when problems are found, 2 on misuse.

    Example: netkit check library/
    """
    from toolkit.library.folder import Library
    from toolkit.library.freshness import check_warnings
    from toolkit.network.calls import call_records
    from toolkit.network.minutesflow import minutes_problems
    from toolkit.network.projects.registry import Registry
    from toolkit.network.proposals import meeting_problems

    only: Path | None = None
    root = ctx.library_root
    if path is not None:
        if path.is_dir():
            root = path
        else:
            only = path.resolve()
            root = _library_root_of(only)
    try:
        library = ctx.library if root == ctx.library_root else Library.load(root)
    except Invalid as exc:
        for problem in exc.problems:
            click.echo(str(problem))
        sys.exit(1)
    problems = library.problems + Registry(root).problems(library)  # and the project registry's files
    problems += meeting_problems(root, library)  # and the meetings' and topic proposals' files
    problems += call_records(root).problems()  # and the funding calls' files
    problems += minutes_problems(root)  # and the meetings' minutes (decisions and action items)
    warnings = sorted(check_warnings(library, dt.date.today()) + library.media_warnings(),
                      key=lambda w: (w.path, w.line or 0))
    if only is not None:
        shown = str(only.relative_to(root.resolve().parent))
        problems = [p for p in problems if p.path == shown]
        warnings = [w for w in warnings if w.path == shown]
    for problem in problems:
        click.echo(str(problem))
    for warning in warnings:
        click.echo(_warning_line(warning))
    noted = f"; {len(warnings)} warning(s)" if warnings else ""
    if problems:
        files = len({p.path for p in problems})
        click.echo(f"{len(problems)} problem(s) in {files} file(s){noted}", err=True)
        sys.exit(1)
    what = f"{only.name}" if only else f"{len(library)} materials in {root}"
    click.echo(f"OK: {what}, no problems{noted}", err=True)


def _warning_line(warning: Problem) -> str:
    """A problem's line with "warning:" after the place: library/x.md:17: warning: review_by: …"""
    where = warning.path if warning.line is None else f"{warning.path}:{warning.line}"
    what = f"{warning.field}: {warning.message}" if warning.field else warning.message
    return f"{where}: warning: {what}"


def _library_root_of(file: Path) -> Path:
    from toolkit.library.folder import TAXONOMY_FILE

    for folder in file.parents:
        if (folder / TAXONOMY_FILE).is_file():
            return folder
    raise click.BadParameter(f"{file} is not inside a library folder (no {TAXONOMY_FILE} above it)",
                             param_hint="PATH")


