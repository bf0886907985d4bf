"""Exporting one material (or one published edition) as Word, PDF or a self-contained HTML file."""

from __future__ import annotations

import os
from pathlib import Path

import click

from toolkit.cli.base import Context, core_errors, main, pass_context


@main.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["docx", "pdf", "html"]), required=True, help="The file type.")
@click.option("--version", "version", metavar="X.Y.Z", help="A published edition (default: the current text).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the file.")
@pass_context
@core_errors
def export_command(ctx: Context, slug: str, fmt: str, version: str | None, output: Path) -> None:
    """Export a material as Word, PDF (via LibreOffice) or one HTML file; the file appears whole or not at all.

    Example: netkit export anbefalinger-til-beslutningstagere --format pdf --version 1.0.0 -o anbefaling.pdf
    """
    from toolkit.documents.pdf import PdfUnavailable
    from toolkit.publishing.editions import EditionFiles  # python-docx: only when exporting
    from toolkit.publishing.htmlpage import material_html

    settings = ctx.settings
    files = EditionFiles(settings.home / "cache" / "editions", network_name=settings.network_name,
                         logo=settings.logo)
    library = ctx.library
    published = media = None
    if version:
        instance = ctx.instance
        material = instance.read_version(slug, version)
        edition = next(e for e in instance.versions(slug) if e.version == version)
        published = edition.time.date()
        media = lambda name: instance.read_media(slug, name, edition.revision)  # noqa: E731 - the edition's files
    else:
        material = library.get(slug)
    try:
        if fmt == "html":
            data = material_html(material, library, network_name=settings.network_name, published=published,
                                 media=media).encode("utf-8")
        elif version:
            data = files.edition(ctx.instance, slug, version, fmt)  # type: ignore[arg-type]
        else:
            data = files.build(material, library, fmt)  # type: ignore[arg-type]
    except PdfUnavailable as exc:
        raise click.ClickException(f"{exc}; nothing was written") from None
    _write(output, data)
    click.echo(f"wrote {output} ({len(data):,} bytes)")


def _write(path: Path, data: bytes) -> None:
    if not path.parent.is_dir():
        raise click.UsageError(f"{path.parent} is not a folder")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
