"""`netkit import`: Word documents in as new draft materials — one file, or a folder with a summary table."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli.base import Context, author_option, core_errors, main, pass_context


@main.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--slug", help="The new material's slug (one file only; default: from the title).")
@click.option("--kind", default="guide", show_default=True, help="The kind of material (a kind in taxonomy.yaml).")
@click.option("--topic", "topics", multiple=True, required=True, help="A topic (repeat for more).")
@click.option("--audience", "audience", multiple=True, required=True, help="An audience (repeat for more).")
@click.option("--summary", help="The summary (default: the document's first paragraph).")
@click.option("--group", "working_group", help="The working group the material belongs to.")
@author_option
@pass_context
@core_errors
def import_command(ctx: Context, source: Path, slug: str | None, kind: str, topics: tuple[str, ...],
                   audience: tuple[str, ...], summary: str | None, working_group: str | None,
                   author: str | None) -> None:
    """Import a Word document (.docx) — or every .docx in a folder — as new draft materials: headings, lists,
    tables, links, footnotes and images (stored under library/media/<slug>/) come along; what cannot (text boxes,
    comments, equations …) is listed. Each file is one revision; a refused file writes nothing.

    Exit codes: 1 when a file was refused, 2 for misuse.

    \b
    Examples:
      netkit import playbook.docx --topic data-access --audience project-leads
      netkit import gamle-materialer/ --kind guide --topic data-access --audience project-leads
    """
    from toolkit.publishing.importing import ImportChoices, import_file, import_folder

    taxonomy = ctx.library.taxonomy
    for option, values, vocabulary in (("--kind", (kind,), "kinds"), ("--topic", topics, "topics"),
                                       ("--audience", audience, "audiences")):
        allowed = [i for i in taxonomy.ids(vocabulary) if i not in ("template", "meeting", "project")]
        if unknown := [value for value in values if value not in allowed]:
            raise click.UsageError(f"{option} {unknown[0]!r} is not in taxonomy.yaml; choose from: "
                                   + ", ".join(allowed))
    choices = ImportChoices(kind=kind, topics=topics, audience=audience, summary=summary,
                            working_group=working_group)
    if source.is_dir():
        if slug:
            raise click.UsageError("--slug is for one file; a folder's materials take their slugs from their titles")
        outcomes = import_folder(ctx.instance, source, choices, ctx.author(author))
        if not outcomes:
            raise click.UsageError(f"{source} holds no .docx files")
    elif source.suffix.lower() != ".docx":
        raise click.UsageError(f"{source.name} is not a .docx file (save it from Word as .docx first)")
    else:
        outcomes = [import_file(ctx.instance, source, choices, ctx.author(author), slug=slug)]
    width = max(len(o.source.name) for o in outcomes)
    click.echo(f"{'file'.ljust(width)}  {'result'.ljust(9)}  material")
    for outcome in outcomes:
        click.echo(f"{outcome.source.name.ljust(width)}  {outcome.result.ljust(9)}  {outcome.slug or '-'}")
        for note in outcome.notes:
            click.echo(f"{' ' * width}    - {note}")
    counts = {name: sum(o.result == name for o in outcomes) for name in ("converted", "warnings", "refused")}
    click.echo(f"{counts['converted']} converted, {counts['warnings']} with warnings, {counts['refused']} refused",
               err=True)
    if counts["refused"]:
        sys.exit(1)
