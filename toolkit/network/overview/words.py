"""The overview's words: every text the charts draw or say, given by the caller in the reader's language (the
defaults are the Danish ones; the web passes them through flask_babel)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """The texts of the charts, in the reader's language (defaults: Danish). `%(…)s` are filled in here."""

    projects: str = "Projekter"
    phase: str = "Fase"
    area: str = "Klinisk område"
    organisation: str = "Organisation"
    scope: str = "Hvor"
    share: str = "Andel"
    year: str = "År"
    started: str = "Startet"
    ended: str = "Afsluttet"
    running: str = "I gang"
    others: str = "Andre (%(n)s)"
    funnel_title: str = "Projekter pr. fase"
    funnel_desc: str = ("Tragt fra idé til drift: %(funnel)s. Stoppet: %(stopped)s. I alt %(total)s projekter.")
    stopped_apart: str = "Uden for tragten:"
    areas_title: str = "Projekter pr. klinisk område"
    owners_title: str = "Projekter pr. organisation"
    scope_title: str = "Regionalt og nationalt"
    bars_desc: str = "Vandrette søjler, flest først: %(items)s."
    timeline_title: str = "Starter og afslutninger pr. år"
    timeline_desc: str = ("Søjler pr. år fra %(first)s til %(last)s: fyldte søjler er startede projekter, hule "
                          "afsluttede, prikkerne projekter i gang. Flest i gang: %(peak)s i %(peak_year)s.")
    undated: str = "Uden startdato og derfor ikke med: %(n)s."
    map_title: str = "Organisationerne på Danmarkskortet"
    map_desc: str = ("Kort over Danmark med %(n)s organisationer som prikker, større jo flere projekter: "
                     "%(items)s.")
    empty: str = "Ingen projekter endnu."


def fill(text: str, **values: object) -> str:
    """A text with its `%(name)s` fields filled in."""
    return text % values
