"""Search commands: search, index."""

from __future__ import annotations

import html
import json

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--kind", help="Only this kind, e.g. guide.")
@click.option("--topic", help="Only this topic, e.g. consent.")
@click.option("--audience", help="Only this audience, e.g. project-leads.")
@click.option("--drafts", is_flag=True, help="Include drafts and materials in review.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True, help="Results per page.")
@click.option("--page", type=click.IntRange(1, 10_000), default=1, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_context
@core_errors
def search_command(ctx: Context, query: tuple[str, ...], kind: str | None, topic: str | None,
                   audience: str | None, drafts: bool, sort: str, limit: int, page: int, as_json: bool) -> None:
    """Search the library (Danish-aware: stemming, compound words, æ/ø/å, synonyms).

    Quoted phrases, prefixes (samtyk*) and filters in the query (kind:guide topic:consent) work too.

    Example: netkit search hvordan får jeg adgang til patientdata
    """
    results = ctx.search_index().search(" ".join(query), kind=kind, topic=topic, audience=audience,
                                        include_drafts=drafts, sort=sort, page=page, per_page=limit)  # type: ignore[arg-type]
    if as_json:
        click.echo(json.dumps({
            "query": results.query, "total": results.total, "page": results.page, "pages": results.pages,
            "suggestion": results.suggestion, "corrected": results.corrected, "also": results.also,
            "facets": results.facets,
            "hits": [hit.__dict__ for hit in results.hits]}, ensure_ascii=False, indent=2))
        return
    if results.message:
        click.echo(results.message)
    if results.corrected:  # nothing matched what was typed; these are the results for the correction
        click.echo(f"Ingen resultater for {results.query}. Viser resultater for: {results.suggestion}")
    elif results.suggestion:  # offered only when it would find more of what was typed
        click.echo(f"Mente du: {results.suggestion}")
    elif results.also:  # a long typo's correction was searched beside it
        click.echo(f"Søgte også efter: {results.also}")
    click.echo(f"{results.total} resultat(er)" + (f", side {results.page} af {results.pages}"
                                                  if results.pages > 1 else ""))
    for number, hit in enumerate(results.hits, (results.page - 1) * limit + 1):
        click.echo(f"\n{number}. {hit.title}  [{hit.kind}] {hit.url}")
        snippet = html.unescape(hit.snippet_html.replace("<mark>", "").replace("</mark>", ""))
        click.echo(f"   {snippet[:240]}")


@main.command("index")
@click.option("--rebuild", is_flag=True, help="Build the index from scratch instead of updating it.")
@pass_context
@core_errors
def index_command(ctx: Context, rebuild: bool) -> None:
    """Bring the search index in step with the library (only what changed), or rebuild it.

    Example: netkit index --rebuild
    """
    docs = ctx.search_documents()
    with click.progressbar(length=len(docs), label="Indexing", file=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.update(done - bar.pos)

        index = ctx.search_index(sync=False)
        report = index.rebuild(docs, progress) if rebuild else index.sync(docs, progress)
    if report.rebuilt:
        click.echo(f"Built the index: {report.added} documents in {index.folder}")
    else:
        click.echo(f"Index up to date: {report.added} added, {report.updated} updated, {report.removed} removed")
