"""Beslutningsreferat fra et netværksmøde: mødeoplysninger, deltagere, beslutninger, handlingspunkter."""

from __future__ import annotations

from docx.shared import Cm
from docxkit import bullet, fields, form_version, heading, new_document, note, para, signature_lines, table, tag, title

NAME = "beslutningsreferat"
VERSION = form_version(NAME)
TITLE = "Beslutningsreferat"
ACTION_HEADERS = ["Nr.", "Handling", "Ansvarlig", "Frist"]
ACTION_WIDTHS = [1.3, 8.2, 4.1, 3.0]


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ meeting_title }}")
    title(doc, "Beslutningsreferat", "{{ meeting_title }}")

    fields(doc, [
        ("Dato", "{{ meeting_date|dato }}{% if meeting_time %}, {{ meeting_time }}{% endif %}"),
        ("Sted", "{{ place }}"),
        ("Tema i værdikæden", "{{ theme_label }}"),
        ("Facilitator", "{{ facilitator }}"),
        ("Referent", "{{ minutes_taker or facilitator }}"),
    ])
    tag(doc, "{%p if problem_statement %}")
    para(doc, "{{ problem_statement }}", label="Problemformulering:")
    tag(doc, "{%p endif %}")
    note(doc, "Dette er et beslutningsreferat: det gengiver beslutninger, handlingspunkter og de vigtigste "
              "pointer, ikke hele drøftelsen. Referatet indeholder ingen patientoplysninger og intet, som et "
              "projekt har bedt om at holde internt.{% if approved_by %} Udkastet er sendt til mødeleder og "
              "oplægsholdere, før referatet blev lagt i Netkit.{% endif %}")

    heading(doc, "1. Deltagere")
    table(doc, ["Navn", "Organisation", "Rolle"], [["{{ m.name }}", "{{ m.organisation }}", "{{ m.role or '' }}"]],
          loop="m in attendees", widths=[5.0, 6.5, 5.0])
    tag(doc, "{%p if absent %}")
    heading(doc, "Afbud", level=2)
    table(doc, ["Navn", "Organisation"], [["{{ x.name }}", "{{ x.organisation or '' }}"]],
          loop="x in absent", widths=[7.0, 9.5])
    tag(doc, "{%p endif %}")

    heading(doc, "2. Dagsorden og beslutninger")
    tag(doc, "{%p for a in agenda_items %}")
    heading(doc, "Punkt {{ loop.index }}: {{ a.topic }}", level=2)
    tag(doc, "{%p if a.presenter %}")
    para(doc, "{{ a.presenter }}", label="Oplæg ved:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if a.discussion %}")
    para(doc, "{{ a.discussion }}", label="Drøftelse:")
    tag(doc, "{%p endif %}")
    para(doc, "{{ a.decision }}", label="Beslutning {{ loop.index }}:")
    tag(doc, "{%p endfor %}")

    # A meeting not yet held gets empty rows to fill in; "none agreed" is printed only when answered so.
    heading(doc, "3. Handlingspunkter")
    tag(doc, "{%p if action_items %}")
    table(doc, ACTION_HEADERS, [["{{ loop.index }}", "{{ i.action }}", "{{ i.owner }}", "{{ i.deadline|dato }}"]],
          loop="i in action_items", widths=ACTION_WIDTHS)
    tag(doc, "{%p elif no_action_items %}")
    para(doc, "Der blev ikke aftalt nye handlingspunkter på mødet.")
    tag(doc, "{%p else %}")
    blank = table(doc, ACTION_HEADERS, [[str(n), "", "", ""] for n in (1, 2, 3)], widths=ACTION_WIDTHS)
    for row in blank.rows[1:]:
        row.height = Cm(1.0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if previous_actions %}")
    heading(doc, "Status på handlingspunkter fra tidligere møder", level=2)
    table(doc, ["Handling", "Ansvarlig", "Status", "Bemærkning"],
          [["{{ p.action }}", "{{ p.owner }}", "{{ action_status_names[p.status] }}", "{{ p.comment or '' }}"]],
          loop="p in previous_actions", widths=[6.0, 3.5, 2.5, 4.5])
    tag(doc, "{%p endif %}")

    heading(doc, "4. Forslag til arbejdsgrupper")
    tag(doc, "{%p if working_group_proposed %}")
    para(doc, "Mødet foreslår følgende arbejdsgrupper. Forslagene behandles af koordinationsgruppen, som "
              "godkender et kommissorium, før en gruppe nedsættes.")
    tag(doc, "{%p for w in working_group_proposals %}")
    heading(doc, "{{ w.name }}", level=3)
    para(doc, "{{ w.mandate_summary }}", label="Foreløbigt mandat:")
    tag(doc, "{%p if w.proposed_members %}")
    para(doc, "{{ w.proposed_members }}", label="Foreslåede medlemmer:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if w.proposer %}")
    para(doc, "{{ w.proposer }}", label="Forslagsstiller:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "Der blev ikke foreslået nye arbejdsgrupper på mødet.")
    tag(doc, "{%p endif %}")

    heading(doc, "5. Næste møde")
    tag(doc, "{%p if next_meeting_date %}")
    bullet(doc, "{{ next_meeting_date|dato }}", label="Dato:", keep=True)
    tag(doc, "{%p if next_meeting_theme %}")
    bullet(doc, "{{ next_meeting_theme }}", label="Foreløbigt tema:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "Datoen for næste møde er ikke fastlagt. Den fremgår af netværkets årsplan i Netkit, når den er "
              "aftalt.")
    tag(doc, "{%p endif %}")

    heading(doc, "6. Godkendelse")
    tag(doc, "{%p if approved_by %}")
    bullet(doc, "{{ approved_by }}", label="Godkendt af:")
    tag(doc, "{%p if approved_date %}")
    bullet(doc, "{{ approved_date|dato }}", label="Godkendt den:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "Referatet er ikke godkendt endnu.", keep=True)
    signature_lines(doc, ["Godkendt af (navn og rolle)", "Dato"], widths=[10.6, 6.0])
    tag(doc, "{%p endif %}")
    return doc
