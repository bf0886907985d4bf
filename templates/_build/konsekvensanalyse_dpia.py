"""Konsekvensanalyse (DPIA) efter GDPR art. 35, stk. 7, for et AI-projekt på sundhedsdata."""

from __future__ import annotations

from docxkit import bullet, fields, form_version, heading, new_document, note, para, table, tag, title

NAME = "konsekvensanalyse-dpia"
VERSION = form_version(NAME)
TITLE = "Konsekvensanalyse (DPIA)"

# (question id, the criterion as the document states it) — EDPB/WP248 rev.01's nine criteria.
CRITERIA = (
    ("crit_evaluation", "Evaluering eller scoring, herunder profilering og forudsigelser"),
    ("crit_automated_decision", "Automatiske afgørelser med retsvirkning eller tilsvarende betydelig virkning"),
    ("crit_monitoring", "Systematisk overvågning"),
    ("crit_sensitive", "Følsomme oplysninger eller oplysninger af meget personlig karakter"),
    ("crit_large_scale", "Behandling i stort omfang"),
    ("crit_combined", "Sammenkobling eller kombination af datasæt"),
    ("crit_vulnerable", "Oplysninger om sårbare registrerede, fx patienter og børn"),
    ("crit_innovative", "Innovativ brug af ny teknologi eller nye organisatoriske løsninger, fx AI"),
    ("crit_blocks_rights", "Behandlingen forhindrer de registrerede i at udøve en rettighed eller bruge en "
                           "tjeneste"),
)

LEVEL = ("{% if X == 'low' %}Lav{% elif X == 'medium' %}Middel{% elif X == 'high' %}Høj{% endif %}")


def level(expression: str) -> str:
    return LEVEL.replace("X", expression)


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ project_title }}")
    title(doc, TITLE, "{{ project_title }}")
    note(doc, "Skabelonen er vejledende og ikke juridisk rådgivning. Den følger minimumsindholdet i GDPR art. 35, "
              "stk. 7, og er et skelet, som projektet uddyber sammen med den dataansvarliges "
              "databeskyttelsesrådgiver (DPO). Datatilsynet har udgivet en skabelon til konsekvensanalyser for "
              "AI-løsninger, som kan bruges som supplement. Opdatér analysen, når behandlingen ændrer sig, fx "
              "når modellen går fra udvikling til drift.")

    fields(doc, [
        ("Projekt", "{{ project_title }}"),
        ("Dataansvarlig", "{{ controller_name }}"),
        ("Ansvarlig for analysen", "{{ assessment_owner }}"),
        ("Databeskyttelsesrådgiver (DPO)", "{% if dpo_name %}{{ dpo_name }}{% else %}Ikke angivet{% endif %}"),
        ("Dato og version", "{{ assessment_date|dato }}, version {{ document_version }}"),
    ])

    heading(doc, "1. Er en konsekvensanalyse påkrævet?")
    para(doc, "En konsekvensanalyse er påkrævet, når en behandling sandsynligvis indebærer en høj risiko for "
              "fysiske personers rettigheder og frihedsrettigheder (GDPR art. 35, stk. 1). Den er altid påkrævet "
              "ved behandling af følsomme oplysninger i stort omfang (art. 35, stk. 3). Efter Det Europæiske "
              "Databeskyttelsesråds retningslinjer (WP248) betyder to eller flere af de ni kriterier nedenfor "
              "som regel, at der skal laves en konsekvensanalyse.")
    table(doc, ["Kriterium (WP248)", "Opfyldt"],
          [[text, f"{{{{ {qid}|ja_nej }}}}"] for qid, text in CRITERIA],
          widths=[13.4, 3.0])
    para(doc, "{{ criteria_count }} af 9", label="Antal opfyldte kriterier:")
    para(doc, "{{ on_authority_list|ja_nej }}",
         label="Behandlingen står på Datatilsynets liste over behandlinger, der kræver en konsekvensanalyse:")
    tag(doc, "{%p if dpia_required %}")
    para(doc, "Der skal udarbejdes en konsekvensanalyse, fordi:", label="Konklusion:")
    tag(doc, "{%p if criteria_count >= 2 %}")
    bullet(doc, "{{ criteria_count }} af de ni kriterier er opfyldt (to eller flere peger på høj risiko).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if large_scale_special %}")
    bullet(doc, "behandlingen omfatter følsomme oplysninger i stort omfang (art. 35, stk. 3, litra b).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if on_authority_list %}")
    bullet(doc, "behandlingen står på Datatilsynets liste (art. 35, stk. 4).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not dpia_required %}")
    para(doc, "Kriterierne peger ikke på, at en konsekvensanalyse er påkrævet. Dokumentér vurderingen, og "
              "genovervej den, hvis behandlingen ændrer sig. Analysen nedenfor kan stadig gennemføres som god "
              "praksis.", label="Konklusion:")
    tag(doc, "{%p endif %}")

    heading(doc, "2. Systematisk beskrivelse af behandlingen og formålene")
    para(doc, "GDPR art. 35, stk. 7, litra a.", small=True, keep=True)  # with what it introduces
    heading(doc, "Behandlingen", level=2)
    para(doc, "{{ processing_description }}")
    heading(doc, "Formål", level=2)
    para(doc, "{{ purposes }}")
    para(doc, "Behandlingen omfatter disse faser af AI-modellens livscyklus:")
    for value, text in (
        ("development", "Udvikling og træning af modellen"),
        ("validation", "Test og validering på historiske data"),
        ("clinical_test", "Afprøvning i klinisk praksis"),
        ("operation", "Drift i behandlingen af den enkelte patient"),
        ("retraining", "Overvågning og genoptræning"),
    ):
        tag(doc, f"{{%p if '{value}' in lifecycle_phases %}}")
        bullet(doc, text)
        tag(doc, "{%p endif %}")
    heading(doc, "Registrerede og oplysninger", level=2)
    para(doc, "{{ data_subjects }}", label="Registrerede:")
    tag(doc, "{%p if subject_count %}")
    para(doc, "ca. {{ '{:,}'.format(subject_count|int)|replace(',', '.') }} personer",
         label="Omtrentligt antal registrerede:")
    tag(doc, "{%p endif %}")
    para(doc, "Kategorier af personoplysninger:")
    for value, text in (
        ("health", "Helbredsoplysninger (journal, diagnoser, behandlinger)"),
        ("imaging", "Billeder fra billeddiagnostik"),
        ("lab", "Laboratoriesvar"),
        ("genetic", "Genetiske data"),
        ("cpr", "CPR-nummer"),
        ("contact", "Navn og kontaktoplysninger"),
        ("social", "Sociale forhold og livsstil"),
        ("free_text", "Fritekst fra journalnotater"),
    ):
        tag(doc, f"{{%p if '{value}' in data_categories %}}")
        bullet(doc, text)
        tag(doc, "{%p endif %}")
    para(doc, "{{ data_sources }}", label="Datakilder:")
    heading(doc, "Modtagere og databehandlere", level=2)
    tag(doc, "{%p if recipients %}")
    table(doc, ["Part", "Rolle", "Behandlingssted", "Aftale"],
          [["{{ r.name }}",
            "{% if r.role == 'processor' %}Databehandler{% elif r.role == 'joint_controller' %}Fælles "
            "dataansvarlig{% elif r.role == 'controller' %}Selvstændig dataansvarlig{% else %}Modtager{% endif %}",
            "{% if r.location == 'dk' %}Danmark{% elif r.location == 'eu' %}EU/EØS{% else %}Uden for EU/EØS"
            "{% endif %}",
            "{% if r.agreement %}{{ r.agreement }}{% else %}Mangler{% endif %}"]],
          loop="r in recipients", widths=[4.4, 3.6, 3.6, 4.8])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not recipients %}")
    para(doc, "Ingen andre end den dataansvarlige behandler oplysningerne.")
    tag(doc, "{%p endif %}")
    para(doc, "{{ retention }}", label="Opbevaring og sletning:")

    heading(doc, "3. Nødvendighed og proportionalitet")
    para(doc, "GDPR art. 35, stk. 7, litra b.", small=True, keep=True)  # with what it introduces
    fields(doc, [
        ("Grundlag efter art. 6",
         "{% if legal_basis_art6 == 'e' %}Art. 6, stk. 1, litra e (opgave i samfundets interesse eller "
         "offentlig myndighedsudøvelse){% elif legal_basis_art6 == 'c' %}Art. 6, stk. 1, litra c (retlig "
         "forpligtelse){% elif legal_basis_art6 == 'a' %}Art. 6, stk. 1, litra a (samtykke)"
         "{% elif legal_basis_art6 == 'f' %}Art. 6, stk. 1, litra f (legitim interesse){% endif %}"),
        ("Undtagelse efter art. 9",
         "{% if legal_basis_art9 == 'h' %}Art. 9, stk. 2, litra h (behandling og forvaltning af "
         "sundhedsydelser, jf. stk. 3){% elif legal_basis_art9 == 'j' %}Art. 9, stk. 2, litra j (forskning og "
         "statistik, med garantier efter art. 89){% elif legal_basis_art9 == 'g' %}Art. 9, stk. 2, litra g "
         "(væsentlig samfundsinteresse, med supplerende nationalt grundlag){% elif legal_basis_art9 == 'a' %}"
         "Art. 9, stk. 2, litra a (udtrykkeligt samtykke){% endif %}"),
        ("Nationalt grundlag og godkendelser", "{% if national_basis %}{{ national_basis }}{% else %}Ikke "
                                                "angivet{% endif %}"),
    ])
    para(doc, "{{ necessity }}", label="Hvorfor er behandlingen nødvendig?")
    para(doc, "{{ data_minimisation }}", label="Dataminimering:")
    tag(doc, "{%p if alternatives %}")
    para(doc, "{{ alternatives }}", label="Alternativer, der er overvejet:")
    tag(doc, "{%p endif %}")
    para(doc, "{{ information_to_subjects }}", label="Oplysning til de registrerede (art. 13–14):")
    para(doc, "{{ rights_handling }}", label="De registreredes rettigheder:")
    tag(doc, "{%p if transfers_outside_eu %}")
    para(doc, "Oplysninger overføres til lande uden for EU/EØS. Overførselsgrundlag (GDPR kapitel V): "
              "{{ transfer_basis }}", label="Overførsel:")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not transfers_outside_eu %}")
    para(doc, "Oplysningerne overføres ikke til lande uden for EU/EØS.", label="Overførsel:")
    tag(doc, "{%p endif %}")

    heading(doc, "4. Risici for de registreredes rettigheder og frihedsrettigheder")
    para(doc, "GDPR art. 35, stk. 7, litra c. Risikoen vurderes for de registrerede, ikke for organisationen: "
              "sandsynligheden for, at hændelsen sker, og hvor alvorlig konsekvensen er for den enkelte.",
         small=True, keep=True)  # with what it introduces
    table(doc, ["Risiko", "Sandsynlighed", "Konsekvens", "Foranstaltninger", "Restrisiko"],
          [["{{ r.risk }}{% if r.owner %} (ansvarlig: {{ r.owner }}){% endif %}", level("r.likelihood"),
            level("r.severity"), "{{ r.measures }}", level("r.residual")]],
          loop="r in risks", widths=[3.8, 2.9, 2.6, 4.6, 2.5])

    heading(doc, "5. Foranstaltninger til at imødegå risiciene")
    para(doc, "GDPR art. 35, stk. 7, litra d.", small=True, keep=True)  # with what it introduces
    para(doc, "{{ technical_measures }}", label="Tekniske foranstaltninger:")
    para(doc, "{{ organisational_measures }}", label="Organisatoriske foranstaltninger:")
    tag(doc, "{%p if ai_measures %}")
    para(doc, "{{ ai_measures }}", label="Særlige foranstaltninger for AI-modellen:")
    tag(doc, "{%p endif %}")
    para(doc, level("residual_risk"), label="Samlet restrisiko efter foranstaltningerne:")
    tag(doc, "{%p if residual_risk == 'high' %}")
    heading(doc, "Forudgående høring af Datatilsynet (art. 36)", level=2)
    para(doc, "Den samlede restrisiko er vurderet som høj, og risikoen kan ikke nedbringes tilstrækkeligt. Den "
              "dataansvarlige skal derfor høre Datatilsynet, før behandlingen begynder (GDPR art. 36, stk. 1). "
              "Høringen omfatter konsekvensanalysen, fordelingen af ansvar mellem dataansvarlige og "
              "databehandlere, formål og midler, foranstaltningerne og DPO's kontaktoplysninger (art. 36, "
              "stk. 3). Finder Datatilsynet, at behandlingen vil være i strid med forordningen, giver tilsynet "
              "skriftlig rådgivning inden for op til otte uger, en frist der kan forlænges med seks uger (art. 36, "
              "stk. 2).")
    para(doc, "{% if consultation_status == 'submitted' %}Høringen er sendt til Datatilsynet."
              "{% elif consultation_status == 'planned' %}Høringen er planlagt."
              "{% else %}Høringen er ikke påbegyndt.{% endif %}", label="Status:")
    tag(doc, "{%p endif %}")

    heading(doc, "6. Rådgivning og godkendelse")
    para(doc, "{% if dpo_opinion %}{{ dpo_opinion }}{% else %}DPO's råd er endnu ikke indhentet.{% endif %}",
         label="Databeskyttelsesrådgiverens råd (art. 35, stk. 2):")
    tag(doc, "{%p if subjects_consulted %}")
    para(doc, "{{ subjects_views }}", label="De registreredes synspunkter (art. 35, stk. 9):")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not subjects_consulted %}")
    para(doc, "De registrerede eller deres repræsentanter er ikke hørt. Overvej fx at inddrage et "
              "patientpanel (art. 35, stk. 9).", label="De registreredes synspunkter:")
    tag(doc, "{%p endif %}")
    fields(doc, [
        ("Godkendt af", "{{ approved_by }}"),
        ("Godkendt den", "{% if approval_date %}{{ approval_date|dato }}{% else %}Ikke godkendt endnu{% endif %}"),
        ("Næste gennemgang", "{% if next_review %}{{ next_review|dato }}{% else %}Ved væsentlige ændringer af "
                             "behandlingen{% endif %}"),
    ])
    return doc
