"""Jinja filters for presenting core objects in the reader's language."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from toolkit.documents.pdf import pdf_available
from webui.context import library
from webui.i18n import current_lang

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


DANISH_ZONE = "Europe/Copenhagen"  # the network's clock: every time the pages show, whatever the server's TZ


@cache
def danish_zone() -> dt.tzinfo:
    try:
        return ZoneInfo(DANISH_ZONE)
    except ZoneInfoNotFoundError:  # no time zone database (system or the tzdata package): UTC, said as such
        return dt.UTC


def danish_time(value: dt.datetime) -> dt.datetime:
    """`value` on the Danish clock; a naive time is taken as UTC (the core records UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(danish_zone())


def local_date(value: dt.date) -> str:
    """26. november 2026 in Danish, 26 November 2026 in English (a moment: its date in Denmark)."""
    if isinstance(value, dt.datetime):
        value = danish_time(value).date()
    if current_lang() == "en":
        return f"{value.day} {ENGLISH_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day}. {DANISH_MONTHS[value.month - 1]} {value.year}"


def local_month(month: str) -> str:
    """A YYYY-MM month in the reader's language: "november 2026", in English "November 2026"."""
    year, number = month.split("-")
    names = ENGLISH_MONTHS if current_lang() == "en" else DANISH_MONTHS
    return f"{names[int(number) - 1]} {year}"


def local_datetime(value: dt.datetime, seconds: bool = False) -> str:
    """The date in the reader's language and the time of day in Denmark (not the server's clock, often UTC);
    `seconds` where a time names a revision (several saves in one minute must read differently)."""
    local = danish_time(value)
    return f"{local_date(local.date())} {local.strftime('%H:%M:%S' if seconds else '%H:%M')}"


def label(term: str, vocabulary: str) -> str:
    return library().taxonomy.label(vocabulary, term, current_lang())


def media_of(html: str, slug: str) -> str:
    """Rendered HTML with its media: references pointing at the material's current files."""
    from flask import url_for

    from webui.addresses import page_html

    return page_html(html, url_for("reader.material", slug=slug) + "media/")


def init_app(app: Flask) -> None:
    app.add_template_filter(media_of, "media_of")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_month, "local_month")
    app.add_template_filter(local_datetime, "local_datetime")
    app.jinja_env.globals["pdf_available"] = pdf_available
    app.add_template_filter(label, "label")
