"""PDF from Word by LibreOffice headless, where it is installed.

Each conversion gets its own LibreOffice user profile in a temporary folder, so conversions running at
the same time (two web workers, parallel tests) do not trip over each other's profile lock.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from toolkit.errors import NetkitError

OFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 180  # many documents in one start (the static site, the CLI)
# One document, as a web request makes it: well inside the web worker's own timeout (webui.server), so a
# hung LibreOffice gives the user a clear answer instead of a killed worker.
SINGLE_TIMEOUT_SECONDS = 40


def _run(command: list[str], timeout: float, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run LibreOffice in a process group of its own, so a timeout stops soffice.bin too, not only its
    launcher (which would leave a converter running on after the request gave up)."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                          start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
        return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


class PdfUnavailable(NetkitError):
    """LibreOffice is not installed, or it failed to convert the file."""


def office_binary() -> str | None:
    """The LibreOffice executable (NETKIT_SOFFICE, else soffice/libreoffice on PATH), or None."""
    explicit = os.environ.get("NETKIT_SOFFICE")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    return next((found for name in OFFICE_NAMES if (found := shutil.which(name))), None)


def pdf_available() -> bool:
    return office_binary() is not None


def docx_to_pdf(data: bytes, name: str = "document") -> bytes:
    """Convert one .docx to PDF bytes."""
    return docx_to_pdf_many({name: data}, timeout=SINGLE_TIMEOUT_SECONDS)[name]


# A tagged PDF (structure, reading order, the pictures' alt texts as /Alt): what screen readers need (WCAG).
TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def docx_to_pdf_many(documents: dict[str, bytes], *, timeout: float = TIMEOUT_SECONDS) -> dict[str, bytes]:
    """Convert several .docx files in one LibreOffice start (it takes seconds to start)."""
    binary = office_binary()
    if binary is None:
        raise PdfUnavailable("PDF needs LibreOffice, which is not installed here "
                             "(Debian: apt-get install libreoffice-writer-nogui); the Word file works without it")
    with tempfile.TemporaryDirectory(prefix="netkit-pdf-") as folder:
        work = Path(folder)
        sources = []
        for name, data in documents.items():
            source = work / f"{name}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        command = [binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", TAGGED_PDF, "--outdir", str(work / "out"), *sources]
        try:
            result = _run(command, timeout, {**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice did not finish within {timeout:.0f} s") from None
        except OSError as exc:
            raise PdfUnavailable(f"LibreOffice could not start: {exc}") from None
        converted = {}
        for name in documents:
            target = work / "out" / f"{name}.pdf"
            if not target.is_file():
                detail = (result.stderr or result.stdout).decode(errors="replace").strip()[-300:]
                raise PdfUnavailable(f"LibreOffice did not convert {name}.docx (exit {result.returncode})"
                                     + (f": {detail}" if detail else ""))
            converted[name] = target.read_bytes()
        return converted
