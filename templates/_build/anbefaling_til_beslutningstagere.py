"""Anbefaling til beslutningstagere: forside, sammenfatning, anbefaling, beslutning der bedes om, underskrifter."""

from __future__ import annotations

from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt
from docxkit import (
    MUTED,
    bullet,
    each_looped_row,
    fields,
    form_version,
    heading,
    new_document,
    note,
    para,
    table,
    tag,
    title,
)

NAME = "anbefaling-til-beslutningstagere"
VERSION = form_version(NAME)
TITLE = "Anbefaling til beslutningstagere"


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ title }}")

    # Cover: what this is, the title, to whom, from whom and when.
    kicker = doc.add_paragraph().add_run("ANBEFALING TIL BESLUTNINGSTAGERE")
    kicker.bold = True
    kicker.font.size = Pt(10)
    kicker.font.color.rgb = MUTED
    title(doc, "{{ title }}")
    tag(doc, "{%p if subtitle %}")
    subtitle = doc.add_paragraph().add_run("{{ subtitle }}")
    subtitle.font.size = Pt(12)
    subtitle.font.color.rgb = MUTED
    tag(doc, "{%p endif %}")
    heading(doc, "Til", level=2)
    tag(doc, "{%p for r in recipients %}")
    bullet(doc, "{{ r.name }}, {{ r.organisation }}")
    tag(doc, "{%p endfor %}")
    heading(doc, "Fra", level=2)
    fields(doc, [
        ("Afsender", "{{ sender }}"),
        ("Dato", "{{ issue_date|dato }}"),
        ("Udgave", "{{ edition }}"),
        ("Kontaktperson", "{{ contact.name }}{% if contact.job_title %}, {{ contact.job_title }}{% endif %}, "
                          "{{ contact.organisation }}"),
    ])
    note(doc, "Anbefalingen er udarbejdet af netværkets medlemmer på baggrund af erfaringer fra møder og "
              "arbejdsgrupper. Den udtrykker netværkets fælles synspunkt, ikke nødvendigvis en officiel holdning "
              "hos de organisationer, medlemmerne kommer fra. Den er vejledning, ikke juridisk rådgivning.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    heading(doc, "Sammenfatning")
    tag(doc, "{%p for k in key_points %}")
    bullet(doc, "{{ k.point }}")
    tag(doc, "{%p endfor %}")

    heading(doc, "Baggrund")
    para(doc, "{{ background }}")

    heading(doc, "Netværkets anbefaling")
    para(doc, "{{ recommendation }}")

    heading(doc, "Beslutning der bedes om")
    para(doc, "{{ decision_requested }}")
    tag(doc, "{%p if decision_deadline %}")
    para(doc, "{{ decision_deadline|dato }}", label="Beslutningen ønskes senest:")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if consequences %}")
    heading(doc, "Konsekvenser og økonomi")
    para(doc, "{{ consequences }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if no_decision_consequences %}")
    heading(doc, "Hvis der ikke træffes en beslutning")
    para(doc, "{{ no_decision_consequences }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if sources %}")
    heading(doc, "Kilder og baggrundsmateriale")
    tag(doc, "{%p for src in sources %}")
    bullet(doc, "{{ src.title }}{% if src.reference %} ({{ src.reference }}){% endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    heading(doc, "Godkendelse og kontakt")
    tag(doc, "{%p if approved_by_coordination_group %}")
    para(doc, "Anbefalingen er godkendt af netværkets koordinationsgruppe den {{ approval_date|dato }}.")
    tag(doc, "{%p else %}")
    para(doc, "Udkast: anbefalingen er endnu ikke godkendt af netværkets koordinationsgruppe og sendes ikke på "
              "netværkets vegne, før den er godkendt.", italic=True)
    tag(doc, "{%p endif %}")
    para(doc, "Spørgsmål til anbefalingen kan rettes til {{ contact.name }}"
              "{% if contact.job_title %}, {{ contact.job_title }}{% endif %}, {{ contact.organisation }}"
              "{% if contact.email or contact.phone %} ("
              "{% if contact.email %}{{ contact.email }}{% endif %}"
              "{% if contact.email and contact.phone %}, {% endif %}"
              "{% if contact.phone %}tlf. {{ contact.phone }}{% endif %}){% endif %}.")

    heading(doc, "Underskrifter")
    signatures = table(doc, ["Navn", "Organisation", "Titel", "Dato", "Underskrift"],
          [["{{ s.name }}", "{{ s.organisation }}", "{{ s.job_title }}", "{{ s.signed_date|dato }}", ""]],
          loop="s in signatories", widths=[3.2, 3.8, 3.8, 2.5, 3.3])
    # the looped rows: room for a handwritten signature
    each_looped_row(signatures, lambda row: setattr(row, "height", Cm(1.3)))
    return doc
