"""Exporting the static site."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.base import Context, core_errors, main, pass_context
from toolkit.config import parse_base_url


@main.command("export-site")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace OUT when it is an earlier export (it holds a .netkit-site file), as a whole, at the end.")
@click.option("--no-pdf", "no_pdf", is_flag=True,
              help="Leave out the PDF editions (and the links to them); PDF needs LibreOffice.")
@click.option("--base-url", metavar="URL",
              help="Where the site will be published (https://…/); adds the Atom feeds, whose links are absolute.")
@pass_context
@core_errors
def export_site_command(ctx: Context, out: Path, force: bool, no_pdf: bool, base_url: str | None) -> None:
    """Write what anonymous readers see as a static site: every published material with its Word and PDF
    editions, the browse pages, the template catalogue, and a search that runs in the browser.

    Links are relative, so the folder works from any web server and any sub-path. It is built beside OUT and
    renamed into place at the end: a failure leaves nothing half-written. Every export holds a .netkit-site
    file; --force replaces only a folder that has one, never a folder of other files.

    Example: netkit export-site site/ --no-pdf
    """
    if ctx.settings.library is not None:
        raise click.UsageError("export-site publishes the instance (its published editions); "
                               "leave out --library, or create an instance with `netkit init`")
    if base_url is not None:
        try:
            base_url = parse_base_url(base_url)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--base-url") from None
    # the web front end is loaded only for this command
    from webui.staticsite.errors import SiteMisuse
    from webui.staticsite.export import export_site

    try:
        report = export_site(ctx.settings, out, force=force, pdf=not no_pdf, base_url=base_url)
    except SiteMisuse as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Exported {report.materials} materials and {report.templates} templates to {report.folder}: "
               f"{report.pages} pages, {report.files} files, {report.total_bytes / 1e6:.1f} MB"
               + ("" if report.pdf else " (without PDF)"))
    click.echo(f"search index {report.index_bytes / 1024:.1f} KB ({report.index_gzip_bytes / 1024:.1f} KB gzipped); "
               f"took {report.seconds:.1f} s")
