"""Files waiting for a save: what an editor uploaded or a Word import extracted, before the text that uses them is
saved (then `Instance.save(..., media=…)` commits them with it).

Each editing session has a folder instance/uploads/<token>/ named by a random token that only the editor's form
carries. Nothing here is history: a folder nobody saved from is removed after a day, and the content repository
never sees a file no saved text refers to.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path

from toolkit.errors import Invalid, Problem
from toolkit.library.media import FILES_MAX, NAME_RE, MediaFile, sniff, unique_name

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{22}\Z")
KEEP_SECONDS = 24 * 3600
TOTAL_MAX_BYTES = 100 * 1024 * 1024
NOTES_FILE = "import.json"  # what a Word import left to say (notes, comments), shown again and used at save


class Uploads:
    def __init__(self, folder: Path):
        self.folder = folder

    def new_token(self) -> str:
        return secrets.token_urlsafe(16)

    def add(self, token: str, file: MediaFile, taken: set[str]) -> MediaFile:
        """Keep a checked file under a name no other file of the material has (`taken`: the stored names)."""
        folder = self._folder(token)
        folder.mkdir(parents=True, exist_ok=True)
        present = {path.name: path.stat().st_size for path in folder.iterdir() if NAME_RE.match(path.name)}
        if len(present) >= FILES_MAX:
            raise Invalid(f"at most {FILES_MAX} files at a time", [Problem.at(file.name, "too many files",
                                                                              field="file")])
        if sum(present.values()) + len(file.data) > TOTAL_MAX_BYTES:
            raise Invalid("the files uploaded while editing are too large together; save, then upload more",
                          [Problem.at(file.name, "too large together", field="file")])
        for name in present:  # the same picture twice (a second click) keeps one copy
            if (folder / name).read_bytes() == file.data:
                return MediaFile(name, file.data, file.type, file.width, file.height)
        name = unique_name(file.name, taken | set(present))
        temporary = folder / f".{name}.tmp"
        temporary.write_bytes(file.data)
        temporary.replace(folder / name)
        return MediaFile(name, file.data, file.type, file.width, file.height)

    def files(self, token: str | None) -> list[MediaFile]:
        """The files of a session (already checked when they came in), or none for an unknown/expired token."""
        folder = self._folder(token) if token and TOKEN_RE.match(token) else None
        if folder is None or not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.iterdir()):
            if NAME_RE.match(path.name):
                data = path.read_bytes()
                kind = sniff(data)
                if kind is not None:
                    found.append(MediaFile(path.name, data, kind))
        return found

    def names(self, token: str | None) -> list[str]:
        """The names of a session's files, without reading them (for the editor's preview)."""
        folder = self.folder / token if token and TOKEN_RE.match(token) else None
        if folder is None or not folder.is_dir():
            return []
        return sorted(path.name for path in folder.iterdir() if NAME_RE.match(path.name))

    def read(self, token: str, name: str) -> bytes | None:
        if not TOKEN_RE.match(token) or not NAME_RE.match(name):
            return None
        path = self.folder / token / name
        return path.read_bytes() if path.is_file() else None

    def keep_notes(self, token: str, notes: dict) -> None:
        folder = self._folder(token)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NOTES_FILE).write_text(json.dumps(notes, ensure_ascii=False), encoding="utf-8")

    def notes(self, token: str | None) -> dict:
        if not token or not TOKEN_RE.match(token):
            return {}
        try:
            return json.loads((self.folder / token / NOTES_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def discard(self, token: str | None) -> None:
        if token and TOKEN_RE.match(token):
            shutil.rmtree(self.folder / token, ignore_errors=True)

    def clean(self, now: float | None = None) -> None:
        """Remove sessions older than a day (called when a new one starts)."""
        if not self.folder.is_dir():
            return
        limit = (now or time.time()) - KEEP_SECONDS
        for folder in self.folder.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def _folder(self, token: str) -> Path:
        if not TOKEN_RE.match(token):
            raise Invalid("unknown upload session", [Problem.at("uploads", "start the edit again", field="file")])
        return self.folder / token
