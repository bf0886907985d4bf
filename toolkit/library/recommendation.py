"""Recommendations to decision makers as publications: who they are addressed to, who stands behind them
(each signatory with the date they signed), what decision is requested, and the key points.

The fields are optional while a recommendation is drafted; publishing one needs recipients and signatories
(`publish_problems`), and a published recommendation without them is a problem in `netkit check`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.errors import Problem

FIELDS = ("recipients", "signatories", "decision_requested", "key_points")
KIND = "recommendation"
KEY_POINTS_MAX = 7
POINT_MAX = 300
DECISION_RANGE = (10, 800)


@dataclass(frozen=True)
class Signatory:
    organisation: str
    signed: dt.date
    person: str | None = None

    def to_dict(self) -> dict[str, str]:
        data = {"organisation": self.organisation, "signed": self.signed.isoformat()}
        if self.person:
            data["person"] = self.person
        return data


def parse_signatory(value: object, today: dt.date) -> tuple[Signatory | None, str | None]:
    """(the signatory, None) or (None, what is wrong) for one entry of `signatories`."""
    if not isinstance(value, dict):
        return None, "each signatory is a mapping: {organisation: …, person: …, signed: YYYY-MM-DD}"
    unknown = sorted(set(map(str, value)) - {"organisation", "person", "signed"})
    if unknown:
        return None, f"unknown key {unknown[0]!r}; use organisation, person and signed"
    organisation = value.get("organisation")
    if not isinstance(organisation, str) or not organisation.strip():
        return None, "needs the organisation that signs (text)"
    person = value.get("person")
    if person is not None and (not isinstance(person, str) or not person.strip()):
        return None, "person must be a name (text), or left out"
    signed = value.get("signed")
    if isinstance(signed, str):
        try:
            signed = dt.date.fromisoformat(signed)
        except ValueError:
            return None, f"signed: '{signed}' is not a date; write YYYY-MM-DD"
    if isinstance(signed, dt.datetime):
        signed = signed.date()
    if not isinstance(signed, dt.date):
        return None, "needs the date it was signed: signed: YYYY-MM-DD"
    if signed > today:
        return None, f"signed {signed.isoformat()} is in the future"
    return Signatory(" ".join(organisation.split()), signed, " ".join(person.split()) if person else None), None


def publish_problems(material) -> list[Problem]:
    """What stops a recommendation from being published: it must say who it is for and who stands behind it."""
    if material.kind != KIND:
        return []
    problems = []
    if not material.recipients:
        problems.append(Problem.at(material.path, "a recommendation is published with its recipients: add "
                                   "recipients (who it is addressed to)", field="recipients"))
    if not material.signatories:
        problems.append(Problem.at(material.path, "a recommendation is published with its signatories: add "
                                   "signatories (organisation, person, signed date)", field="signatories"))
    return problems


def signatories_from_lines(text: str) -> list[dict[str, str]]:
    """Signatories as typed in a form, one per line: "Organisation; Person; YYYY-MM-DD" (the person may be
    left out: "Organisation; YYYY-MM-DD"). A line that does not fit is kept as far as it goes, so that
    validation names what is missing instead of the text disappearing."""
    entries = []
    for line in text.splitlines():
        parts = [part.strip() for part in line.split(";")]
        if not any(parts):
            continue
        entry = {"organisation": parts[0]}
        rest = [part for part in parts[1:] if part]
        signed = rest.pop() if rest and _looks_like_date(rest[-1]) else None
        if rest:
            entry["person"] = "; ".join(rest)
        if signed:
            entry["signed"] = signed
        entries.append(entry)
    return entries


def signatories_to_lines(signatories: tuple[Signatory, ...]) -> str:
    return "\n".join("; ".join(part for part in (s.organisation, s.person or "", s.signed.isoformat()) if part)
                     for s in signatories)


def _looks_like_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
