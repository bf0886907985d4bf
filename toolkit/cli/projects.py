"""`netkit projects list|show|export`: the project registry from the command line (reading only; projects are
added and edited in the browser or as files in library/projects/)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.base import Context, F, core_errors, main, pass_context
from toolkit.network.projects.model import PHASES, REGULATORY, Project, label  # plain data: the options' help

if TYPE_CHECKING:  # the registry (records, the library) is imported by the commands (see toolkit/cli/base.py)
    from toolkit.network.projects.registry import Registry


def _filter_options(command: F) -> F:
    options: list[Callable[[F], F]] = [
        click.option("--phase", metavar="PHASE", help=f"Only this phase: {', '.join(PHASES)}."),
        click.option("--area", metavar="AREA", help="Only this clinical area, e.g. Radiologi (case does not matter)."),
        click.option("--owner", metavar="ORG", help="Only projects owned by this organisation (its id, e.g. "
                                                    "region-midtjylland; see library/organisations.yaml)."),
        click.option("--regulatory", metavar="STATUS", help=f"Only this regulatory status: {', '.join(REGULATORY)}."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _registry(ctx: Context) -> Registry:
    from toolkit.network.projects.registry import Registry

    return Registry(ctx.library_root)


def _chosen(registry: Registry, phase: str | None, area: str | None, owner: str | None,
            regulatory: str | None) -> list[Project]:
    """The projects the filters leave; an unknown filter value is misuse (exit 2) naming the allowed ones."""
    from toolkit.network.projects.filters import ProjectFilters, facet_values, filter_projects

    projects = registry.all()
    known = facet_values(projects, registry.organisations)
    given = {"phase": phase, "area": area, "owner": owner, "regulatory": regulatory}
    for name, value in given.items():
        if value is None:
            continue
        values = known[name]
        if name == "area":
            match = next((a for a in values if a.casefold() == value.casefold()), None)
            if match is None:
                raise click.BadParameter(f"no project has the clinical area '{value}'; in use: "
                                         f"{', '.join(values) or 'none'}", param_hint=f"--{name}")
            given[name] = match
        elif value not in values:
            raise click.BadParameter(f"'{value}' is unknown; allowed: {', '.join(values)}", param_hint=f"--{name}")
    return filter_projects(projects, ProjectFilters(**given))


def _warn(registry: Registry, ctx: Context) -> None:
    problems = registry.problems(ctx.library)
    if problems:
        click.echo(f"note: the project files have {len(problems)} problem(s); run `netkit check` to see them",
                   err=True)


@main.group("projects")
def projects_group() -> None:
    """The project registry: the network's AI projects (library/projects/*.yaml).

    Example: netkit projects list --phase in-operation
    """


@projects_group.command("list")
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_context
@core_errors
def list_command(ctx: Context, phase: str | None, area: str | None, owner: str | None, regulatory: str | None,
                 as_json: bool) -> None:
    """List projects by title; filters combine.

    Example: netkit projects list --owner region-midtjylland --regulatory under-assessment --json
    """
    registry = _registry(ctx)
    projects = _chosen(registry, phase, area, owner, regulatory)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in projects], ensure_ascii=False, indent=2))
    else:
        width = max((len(p.slug) for p in projects), default=4)
        for project in projects:
            marker = " (eksempel)" if project.example else ""
            click.echo(f"{project.slug:{width}}  {project.phase:19}  {project.title}{marker}")
    _warn(registry, ctx)


@projects_group.command("show")
@click.argument("slug")
@pass_context
@core_errors
def show_command(ctx: Context, slug: str) -> None:
    """Show one project with every field.

    Example: netkit projects show sepsis-tidlig-varsling
    """
    registry = _registry(ctx)
    project = registry.get(slug)
    organisations = registry.organisations
    title = project.title + (" (eksempel)" if project.example else "")
    click.echo(title)
    click.echo("=" * len(title))
    rows = [
        ("Id", project.slug),
        ("Organisation", organisations.label(project.owner) + (f", {project.department}" if project.department
                                                                else "")),
        ("Fase", label(PHASES, project.phase)),
        ("Regulering", project.regulatory_label()),
        ("Klinisk område", project.clinical_area),
        ("Periode", " – ".join(d.isoformat() if d else "" for d in (project.start, project.end))
         if project.start or project.end else ""),
        ("AI-metode", project.ai_method),
        ("Datakilder", "; ".join(project.data_sources)),
        ("Relateret", ", ".join(project.related_materials)),
        ("Arbejdsgrupper", ", ".join(project.working_groups)),
    ]
    for name, value in rows:
        if value:
            click.echo(f"{name + ':':16}{value}")
    for contact in project.contacts:
        click.echo(f"{'Kontakt:':16}{contact.name} <{contact.email}>" + (f" ({contact.role})" if contact.role else ""))
    for link in project.links:
        click.echo(f"{'Link:':16}{link.title} <{link.url}>")
    click.echo()
    click.echo(project.summary)
    if project.problem:
        click.echo()
        click.echo(project.problem)


@projects_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True,
              help="csv (UTF-8 with BOM, semicolon-separated, for Excel) or xlsx (a spreadsheet).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the file.")
@_filter_options
@pass_context
@core_errors
def export_command(ctx: Context, fmt: str, output: Path, phase: str | None, area: str | None, owner: str | None,
                   regulatory: str | None) -> None:
    """Export the (filtered) overview as CSV or .xlsx; the file appears whole or not at all.

    Example: netkit projects export --format xlsx -o projekter.xlsx --phase in-operation
    """
    from toolkit.files import write_atomically
    from toolkit.network.projects.export import to_csv, to_xlsx  # openpyxl is imported by to_xlsx alone

    registry = _registry(ctx)
    projects = _chosen(registry, phase, area, owner, regulatory)
    if not output.parent.is_dir():
        raise click.UsageError(f"{output.parent} is not a folder")
    data = (to_csv if fmt == "csv" else to_xlsx)(projects, registry.organisations)
    write_atomically(data, output)
    click.echo(f"wrote {output} ({len(projects)} project(s), {len(data):,} bytes)")
    _warn(registry, ctx)
