"""Jinja filters and globals for presenting core objects in Danish."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from webui.context import library

DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                 "oktober", "november", "december")


def danish_date(value: dt.date) -> str:
    return f"{value.day}. {DANISH_MONTHS[value.month - 1]} {value.year}"


def label(term: str, vocabulary: str) -> str:
    return library().taxonomy.label(vocabulary, term, "da")


def init_app(app: Flask) -> None:
    app.add_template_filter(danish_date, "danish_date")
    app.add_template_filter(label, "label")
