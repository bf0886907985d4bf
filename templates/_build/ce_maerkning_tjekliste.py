"""The tailored CE-marking checklist: a summary of the derived facts with reasons, then the selected items."""

from __future__ import annotations

from docx.shared import Pt
from docxkit import MUTED, each_looped_row, fields, form_version, heading, new_document, note, para, table, tag, title

NAME = "ce-maerkning-tjekliste"
VERSION = form_version(NAME)


def build():
    document = new_document(name=NAME, version=VERSION, title="CE-mærkning – tjekliste",
                            subject="{{ product_name }}", landscape=True)
    title(document, "CE-mærkning – tjekliste", "{{ product_name }}")
    fields(document, [
        ("Produkt", "{{ product_name }}"),
        ("Fabrikant", "{{ manufacturer }}"),
        ("Tilsigtet formål", "{{ intended_purpose }}"),
        ("Udfyldt af", "{{ prepared_by or '—' }}"),
        ("Dato", "{{ today|dato }}"),
        ("Skabelon", "{{ template.title }} ({{ template.name }} {{ template.version }})"),
    ], widths=(5.0, 20.3))
    note(document, "Tjeklisten er vejledende og ikke juridisk rådgivning. Den bygger på MDR (EU) 2017/745, "
                   "IVDR (EU) 2017/746, MDCG 2019-11 Rev.1, MDCG 2020-1, MDCG 2023-1, MDCG 2025-6, AI-forordningen "
                   "(EU) 2024/1689, IEC 62304 og databeskyttelsesforordningen, tjekket december 2026. Kontrollér den "
                   "aktuelle status for regler med overgangsperioder og verserende ændringer. Et spørgsmål, der "
                   "ikke er besvaret, tæller aldrig som et nej: det, der afhænger af det, står som »Kan ikke "
                   "afgøres«, og tjeklisten medtager punkterne for den strengeste vej.")

    heading(document, "Sammenfatning", 1)
    para(document, "{{ conclusion }}", label="Konklusion:")
    # (the conclusion rests on them, so they are named right after it)
    tag(document, "{%p if assumed_answers %}")
    para(document, "Svarfilen er fra en ældre udgave af spørgeskemaet. Disse svar er antaget, som den ældre udgave "
                   "gjorde, og bør bekræftes: {% for a in assumed_answers %}»{{ a.label }}« "
                   "({{ a.plain_answer|lower }}){{ '; ' if not loop.last else '.' }}{% endfor %}", label="Bemærk:")
    tag(document, "{%p endif %}")
    para(document, "Tjeklisten har {{ item_count }} punkter, udvalgt ud fra svarene. Tabellen viser, hvad svarene "
                   "fører til, og hvorfor.")
    table(document, ["Spørgsmål", "Resultat", "Begrundelse"],
          [["{{ f.label }}", "{{ f.display }}", "{{ f.reason }}{% if f.reference %} ({{ f.reference }}){% endif %}"]],
          loop="f in facts", widths=[7.0, 4.0, 14.3])

    heading(document, "Tjekliste", 1)
    para(document, "Udfyld status (Ikke startet, I gang, Færdig, Ikke relevant) og henvis til dokumentationen i "
                   "kolonnen Evidens. Gem den udfyldte tjekliste sammen med den tekniske dokumentation.")
    tag(document, "{%p for s in item_sections %}")
    heading(document, "{{ s.title }}", 2)
    checklist = table(document, ["Nr.", "Punkt", "Reference", "Ansvarlig", "Status", "Evidens"],
                      [["{{ i.number }}", "{{ i.title }}", "{{ i.reference }}", "{{ i.role }}", "", ""]],
                      loop="i in s.entries", widths=[1.1, 8.5, 4.8, 4.6, 2.6, 3.7])
    def detail(row) -> None:
        cell = row.cells[1]
        cell.add_paragraph("{%p if i.detail %}")
        run = cell.add_paragraph().add_run("{{ i.detail }}")
        run.font.size = Pt(8.5)
        run.font.color.rgb = MUTED
        cell.add_paragraph("{%p endif %}")

    each_looped_row(checklist, detail)
    tag(document, "{%p endfor %}")

    heading(document, "Svarene, tjeklisten bygger på", 1)
    table(document, ["Spørgsmål", "Svar"], [["{{ a.label }}", "{{ a.answer }}"]], loop="a in answers_summary",
          widths=[15.3, 10.0])
    return document
