"""Extract the web UI's texts and write the Danish and English catalogues (.po and compiled .mo).

Run: make translations   (python -m webui.translations.build). A test checks the catalogues are current and
that every text has its English version in english.py.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from webui.translations.english import ENGLISH

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
METHODS = [("webui/translations/**.py", "ignore"), ("webui/**.py", "python"), ("webui/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def source_messages() -> dict[str, str | tuple[str, str]]:
    """Every text the UI shows, in Danish: singular → itself, or (singular, plural) for plurals."""
    found: dict[str, str | tuple[str, str]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHODS, keywords=KEYWORDS, options_map={"webui/templates/**.html": {}}):
        if isinstance(message, tuple):
            found[message[0]] = (message[0], message[1])
        elif message:
            found[message] = message
    return dict(sorted(found.items()))


def catalogue(locale: str, messages: dict[str, str | tuple[str, str]]) -> Catalog:
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # the same catalogue gives the same bytes
    catalog = Catalog(locale=locale, project="Netkit", version="1", fuzzy=False, creation_date=fixed,
                      revision_date=fixed)
    for source, forms in messages.items():
        if locale == "da":
            catalog.add(forms if isinstance(forms, tuple) else source, forms if isinstance(forms, tuple) else source)
        else:
            english = ENGLISH[source]
            catalog.add(forms if isinstance(forms, tuple) else source, english)
    return catalog


def missing_english(messages: dict[str, str | tuple[str, str]]) -> list[str]:
    return [source for source in messages if not ENGLISH.get(source)]


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, sort_output=True, no_location=True, width=120)
    return out.getvalue()


def main() -> int:
    messages = source_messages()
    missing = missing_english(messages)
    if missing:
        print("no English text in webui/translations/english.py for:", *missing, sep="\n  ", file=sys.stderr)
        return 1
    for locale in ("da", "en"):
        folder = HERE / locale / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        catalog = catalogue(locale, messages)
        (folder / "messages.po").write_bytes(po_text(catalog))
        (folder / "messages.mo").write_bytes(compiled(catalog))
    unused = sorted(set(ENGLISH) - set(messages))
    if unused:
        print("english.py has texts the UI no longer uses:", *unused, sep="\n  ", file=sys.stderr)
    print(f"wrote da and en catalogues: {len(messages)} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
