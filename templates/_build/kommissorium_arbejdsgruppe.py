"""Kommissorium for en arbejdsgruppe i netværket: formål, afgrænsning, leverancer, medlemmer, mandat, rapportering."""

from __future__ import annotations

from docxkit import bullet, fields, form_version, heading, new_document, note, para, signature_lines, table, tag, title

NAME = "kommissorium-arbejdsgruppe"
VERSION = form_version(NAME)
TITLE = "Kommissorium for arbejdsgruppe"


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ group_name }}")
    title(doc, "Kommissorium", "{{ group_name }}")

    fields(doc, [
        ("Arbejdsgruppe", "{{ group_name }}"),  # the name only: the short id is Netkit's, not the reader's
        ("Status", "{% if status == 'approved' %}Godkendt den {{ approval_date|dato }} af {{ approved_by }}"
                   "{% elif status == 'closed' %}Lukket (godkendt den {{ approval_date|dato }})"
                   "{% else %}{{ status_label }}{% endif %}"),
        ("Nedsat på", "{{ formed_at_meeting.name }}, {{ formed_at_meeting.date|dato }}"),
        ("Periode", "{{ start_date|dato }} til {{ end_date|dato }}"),
        ("Facilitator", "{{ facilitator }}"),
    ])
    note(doc, "Et kommissorium beskriver, hvad en arbejdsgruppe skal løse, hvad den ikke skal, hvad den leverer "
              "og hvornår. Netværkets koordinationsgruppe godkender kommissoriet, før gruppen går i gang, og "
              "ændringer i formål, leverancer eller varighed godkendes på samme måde.")

    heading(doc, "1. Baggrund")
    para(doc, "{{ background }}")

    heading(doc, "2. Formål")
    para(doc, "{{ purpose }}")

    heading(doc, "3. Afgrænsning")
    heading(doc, "Gruppen arbejder med", level=2)
    para(doc, "{{ in_scope }}")
    heading(doc, "Gruppen arbejder ikke med", level=2)
    para(doc, "{{ out_of_scope }}")

    heading(doc, "4. Leverancer")
    table(doc, ["Nr.", "Leverance", "Type", "Frist"],
          [["{{ loop.index }}", "{{ d.deliverable }}", "{{ deliverable_kinds[d.kind] }}", "{{ d.deadline|dato }}"]],
          loop="d in deliverables", widths=[1.3, 9.0, 3.2, 3.0])
    tag(doc, "{%p if reviewers %}")
    para(doc, "{{ reviewers }}", label="Review uden for gruppen:")
    tag(doc, "{%p endif %}")

    heading(doc, "5. Medlemmer")
    table(doc, ["Navn", "Organisation", "Rolle i gruppen"],
          [["{{ m.name }}", "{{ m.organisation }}", "{{ role_names[m.role] }}"]],
          loop="m in members", widths=[5.0, 7.0, 4.5])
    para(doc, "Gruppen faciliteres af {{ facilitator }}, som indkalder til møder og sikrer, at leverancerne "
              "kommer i Netkit.")

    heading(doc, "6. Arbejdsform og varighed")
    bullet(doc, "{{ meeting_frequency_label }}", label="Mødefrekvens:")
    bullet(doc, "{{ start_date|dato }}", label="Start:")
    bullet(doc, "{{ end_date|dato }}", label="Forventet afslutning:")
    tag(doc, "{%p if working_method %}")
    para(doc, "{{ working_method }}")
    tag(doc, "{%p endif %}")

    heading(doc, "7. Mandat og beslutningskompetence")
    para(doc, "{{ decision_authority }}")

    heading(doc, "8. Rapportering")
    para(doc, "Arbejdsgruppen rapporterer til {{ reports_to }}.")
    tag(doc, "{%p if reporting %}")
    para(doc, "{{ reporting }}")
    tag(doc, "{%p endif %}")

    heading(doc, "9. Ressourcer")
    para(doc, "{{ resources }}")

    heading(doc, "10. Afslutning")
    tag(doc, "{%p if completion_criteria %}")
    para(doc, "{{ completion_criteria }}")
    tag(doc, "{%p else %}")
    para(doc, "Gruppen er færdig, når leverancerne er udgivet i Netkit eller bevidst lagt til side med en "
              "begrundelse, og åbne spørgsmål er overdraget til koordinationsgruppen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if material_owner %}")
    para(doc, "{{ material_owner }}", label="Materialeejer efter afslutning:")
    tag(doc, "{%p endif %}")

    heading(doc, "Godkendelse")
    tag(doc, "{%p if status in ['approved', 'closed'] %}")
    para(doc, "Kommissoriet er godkendt af {{ approved_by }} den {{ approval_date|dato }}.")
    tag(doc, "{%p elif status == 'submitted' %}")
    para(doc, "Kommissoriet er sendt til godkendelse i netværkets koordinationsgruppe.")
    tag(doc, "{%p else %}")
    para(doc, "Kommissoriet er et udkast og er endnu ikke sendt til godkendelse i netværkets "
              "koordinationsgruppe.")
    tag(doc, "{%p endif %}")
    signature_lines(doc, ["Tovholder{% if chair_names %}: {{ chair_names }}{% endif %}",
                          "For netværkets koordinationsgruppe"])
    return doc
