"""Exporting the static site: the entry point `export_site`, the checks on the target folder, and the report.

The site is built in a temporary folder next to the target and renamed into place at the end, so a failure
(LibreOffice missing or failing, a page that errs) leaves nothing half-written. Every export holds a marker file
(SITE_MARKER); `--force` replaces a folder with something in it only when it holds that marker, so it can replace
an earlier export but never a folder of someone's own files.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.config import BUNDLED_LIBRARY, BUNDLED_TEMPLATES, PROJECT_ROOT, Settings
from toolkit.documents.pdf import pdf_available
from webui.staticsite.errors import SiteError, SiteMisuse
from webui.staticsite.pages import SiteBuilder
from webui.staticsite.searchindex import INDEX_FILE

SITE_MARKER = ".netkit-site"
MARKER_TEXT = ("This folder is a static site written by `netkit export-site`.\n"
               "`netkit export-site --force` replaces a folder that is not empty only when it holds this file.\n")


@dataclass(frozen=True)
class SiteReport:
    folder: Path
    pages: int
    files: int
    materials: int
    templates: int
    total_bytes: int
    index_bytes: int
    index_gzip_bytes: int
    pdf: bool
    seconds: float


def export_site(settings: Settings, out: Path, *, force: bool = False, pdf: bool = True,
                base_url: str | None = None) -> SiteReport:
    """Write the static site of the instance at `settings.home` to `out`, atomically.

    `out` must not exist or be empty, unless `force` and it is an earlier export (it holds SITE_MARKER): then
    it is replaced as a whole at the end. With `pdf` LibreOffice must be available and convert every Word file,
    or nothing is written. With `base_url` (where the site will be published) the Atom feeds are included, their
    links absolute; without it they are left out, and the links to them.
    """
    started = time.perf_counter()
    out = Path(os.path.abspath(out))
    check_target(out, settings, force=force)
    if pdf and not pdf_available():
        raise SiteError("PDF needs LibreOffice, which is not installed here (Debian: apt-get install "
                        "libreoffice-writer-nogui); export without PDFs with --no-pdf")
    from webui import create_app

    # An app of its own: the templates leave out sign-in, and the feeds link to where this site will be published
    # (`base_url`), not to the live site's NETKIT_BASE_URL.
    app = create_app(replace(settings, base_url=base_url or ""), {"NETKIT_STATIC": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        counts = SiteBuilder(app, work, pdf=pdf, base_url=base_url).build()
        (work / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        os.chmod(work, 0o755)  # mkdtemp makes it private; a web server must read the site
        _move_into_place(work, out, force=force)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    index = out / INDEX_FILE
    return SiteReport(folder=out, pages=counts["pages"], files=counts["files"], materials=counts["materials"],
                      templates=counts["templates"], total_bytes=_size(out), index_bytes=index.stat().st_size,
                      index_gzip_bytes=len(gzip.compress(index.read_bytes(), 9)), pdf=pdf,
                      seconds=time.perf_counter() - started)


def check_target(out: Path, settings: Settings, *, force: bool) -> None:
    """Refuse a target inside the instance or the bundled content, or one that holds them, the project, the
    working folder or the home folder (SiteMisuse), a target that is a file, and a folder with something in it
    unless `force` and it is an earlier export (SiteError)."""
    real = out.resolve()
    protected = [Path(settings.home), BUNDLED_LIBRARY, BUNDLED_TEMPLATES]
    if settings.library is not None:
        protected.append(Path(settings.library))
    for place in protected:
        place = place.resolve()
        if real == place or place in real.parents:
            raise SiteMisuse(f"{out} is inside {place}; write the static site to a folder of its own")
    for place in (*protected, PROJECT_ROOT, Path.cwd(), Path.home()):
        place = place.resolve()
        if real == place or real in place.parents:
            raise SiteMisuse(f"{out} holds {place}; write the static site to a folder of its own")
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise SiteMisuse(f"{out} is not a folder")
        if any(out.iterdir()):
            _check_replaceable(out, force=force)


def _check_replaceable(out: Path, *, force: bool) -> None:
    """A folder with something in it is replaced only with `force`, and only when an earlier export made it."""
    if not force:
        raise SiteError(f"{out} is not empty; choose an empty or new folder, or replace an earlier export "
                        "with --force")
    marker = out / SITE_MARKER
    if not marker.is_file() or marker.is_symlink():
        raise SiteError(f"{out} is not empty and is not an earlier export (it has no {SITE_MARKER} file), so "
                        "--force does not replace it; choose an empty or new folder (an export made before "
                        "the marker existed must be removed by hand once)")


def _move_into_place(work: Path, out: Path, *, force: bool) -> None:
    if not out.exists():
        os.rename(work, out)
        return
    if not any(out.iterdir()):
        os.rename(work, out)  # replaces an empty folder in one step
        return
    _check_replaceable(out, force=force)  # checked again: the folder may have changed while the site was built
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    os.rename(out, old / "site")
    try:
        os.rename(work, out)
    except OSError:
        os.rename(old / "site", out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
