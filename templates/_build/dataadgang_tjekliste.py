"""Tjekliste: hvad et AI-projekt skal forberede for at få adgang til sundhedsdata, efter formål (rute)."""

from __future__ import annotations

from docxkit import bullet, fields, form_version, heading, new_document, note, para, table, tag, title

NAME = "dataadgang-tjekliste"
VERSION = form_version(NAME)
TITLE = "Tjekliste: adgang til sundhedsdata"

STATUS = {
    "done": "Udført",
    "in_progress": "I gang",
    "not_started": "Ikke påbegyndt",
    "not_needed": "Vurderet ikke nødvendig",
}

RESOLVED = "{} in ['done', 'not_needed']"  # a status the box is ticked for


def check(container, text: str, *, label: str | None = None, done: str | None = None):
    """A checklist line: a box the project ticks off. Where the answers tell the state (`done`, a condition), the
    box is ticked when it holds, so a state such as "Udført" never stands beside an empty box."""
    box = f"{{% if {done} %}}☒{{% else %}}☐{{% endif %}}" if done else "☐"
    return para(container, text, label=f"{box} {label}" if label else box)


def when(container, condition: str, *writers) -> None:
    """Wrap what `writers` add in a paragraph condition."""
    tag(container, f"{{%p if {condition} %}}")
    for write in writers:
        write()
    tag(container, "{%p endif %}")


def status(expression: str, labels: dict[str, str]) -> str:
    parts = [f"{'if' if i == 0 else 'elif'} {expression} == '{value}' %}}{text}"
             for i, (value, text) in enumerate(labels.items())]
    return "{% " + "{% ".join(parts) + "{% endif %}"


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ project_title }}")
    title(doc, TITLE, "{{ project_title }}")
    note(doc, "Skabelonen er vejledende og ikke juridisk rådgivning. Tjeklisten bygger på jeres svar og viser de "
              "godkendelser og dokumenter, der typisk skal på plads for den valgte rute. Afklar altid det konkrete "
              "projekt med den dataansvarliges databeskyttelsesrådgiver (DPO). Regler og organisatoriske forhold "
              "er tjekket i november 2026; kontrollér den aktuelle status.")

    fields(doc, [
        ("Projekt", "{{ project_title }}"),
        ("Organisation (dataansvarlig)", "{{ organisation }}"),
        ("Projektleder", "{{ project_lead }}"),
        ("Formål", "{{ purpose_statement }}"),
        ("Rute", status("route", {"research": "Forskning", "quality": "Kvalitetsudvikling",
                                  "operation": "Drift (behandling af den enkelte patient)"})),
        ("Udarbejdet", "{{ prepared_date|dato }}"),
    ])
    para(doc, "Formålet bestemmer lovgrundlaget, og lovgrundlaget bestemmer, hvem der skal godkende. Data, der er "
              "hentet til ét formål, kan ikke uden videre bruges til et andet. Skifter projektet rute, fx fra "
              "forskning til kvalitetsudvikling, skal tjeklisten laves igen.")

    # --- research -------------------------------------------------------------------------------------------
    tag(doc, "{%p if route == 'research' %}")
    heading(doc, "Forskning: godkendelser og ansøgninger")
    heading(doc, "Videnskabsetisk komité", level=2)
    when(doc, "committee_notifiable", lambda: (
        check(doc, "Anmeld projektet til den regionale videnskabsetiske komité (komitéloven § 14, stk. 1, og "
                   "§ 15), og vent med at gå i gang, til projektet er godkendt."),
        when(doc, "study_type == 'clinical'", lambda: bullet(
            doc, "Projektet har deltagere og er et sundhedsvidenskabeligt forsøg.")),
        when(doc, "involves_biological_material", lambda: bullet(
            doc, "Projektet omfatter menneskeligt biologisk materiale, så også register- og spørgeskemadelen er "
                 "anmeldelsespligtig (komitéloven § 14, stk. 2).")),
        when(doc, "health_data_science", lambda: bullet(
            doc, "Projektet er sundhedsdatavidenskabeligt (følsomme bioinformatiske data med risiko for væsentlige "
                 "sekundære fund) og skal anmeldes (komitéloven § 14, stk. 1, og § 21 a).")),
    ))
    when(doc, "study_type == 'device_investigation'", lambda: check(
        doc, "Anmeld den kliniske afprøvning af medicinsk udstyr til de videnskabsetiske medicinske komitéer (VMK) "
             "og Lægemiddelstyrelsen (MDR art. 62 og art. 74, stk. 2)."))
    when(doc, "not committee_notifiable and study_type != 'device_investigation'", lambda: para(
        doc, "Efter jeres svar er projektet ikke anmeldelsespligtigt: register- og spørgeskemaforskning uden "
             "menneskeligt biologisk materiale skal ikke anmeldes (komitéloven § 14, stk. 2). Spørg komitéen, "
             "hvis I er i tvivl. At projektet ikke skal anmeldes, er ikke en godkendelse af adgangen til data.",
        label="Ingen anmeldelse:"))

    heading(doc, "Journaldata", level=2)
    when(doc, "record_route == 'consent'", lambda: check(
        doc, "Patienterne giver samtykke, så godkendelse efter sundhedsloven §§ 46–47 er ikke nødvendig (§ 43). "
             "Sørg for, at samtykket dækker udleveringen af journaldata til projektet."))
    when(doc, "record_route == 'approved_project'", lambda: check(
        doc, "Journaldata kan videregives til det godkendte projekt (sundhedsloven § 46, stk. 1). Bestil "
             "udtrækket hos den dataansvarlige for journaldata, når godkendelsen foreligger."))
    when(doc, "record_route == 'regional_council'", lambda: check(
        doc, "Søg regionsrådet om godkendelse efter sundhedsloven § 46, stk. 2: forskning af væsentlig "
             "samfundsmæssig interesse, som ikke er anmeldelsespligtig. Den dataansvarlige udleverer data, når "
             "godkendelsen foreligger."))
    when(doc, "not uses_record_data", lambda: para(doc, "Projektet bruger ikke journaldata fra hospitalerne."))

    heading(doc, "Dataleverandører", level=2)
    when(doc, "national_registers", lambda: check(
        doc, "Søg Sundhedsdatastyrelsens Forskerservice om adgang til pseudonymiserede data fra de nationale "
             "sundhedsregistre på Forskermaskinen (kun for autoriserede institutioner). Ansøgningen kræver "
             "projektbeskrivelse, udtræksbeskrivelse, bestillingsblanket og dokumentation for, at projektet står "
             "i den dataansvarliges fortegnelse. Sundhedsdatastyrelsen bliver en del af Digital Sundhed Danmark "
             "1. januar 2027.", label="Forskerservice:"))
    when(doc, "dst_data", lambda: check(
        doc, "Søg fjernadgang til mikrodata. Forskningsmiljøet skal være autoriseret, og mikrodata forlader aldrig "
             "Danmarks Statistik. Regn med ekstra tid, hvis miljøet ikke allerede er autoriseret.",
        label="Danmarks Statistik:"))
    when(doc, "rkkp_data", lambda: check(
        doc, "Søg data fra de kliniske kvalitetsdatabaser gennem RKKP's proces for forskeradgang.", label="RKKP:"))
    when(doc, "not national_registers and not dst_data and not rkkp_data", lambda: para(
        doc, "Projektet bruger ikke data fra Forskerservice, Danmarks Statistik eller RKKP."))

    heading(doc, "Databeskyttelse", level=2)
    check(doc, "Fastlæg behandlingsgrundlaget med DPO: typisk GDPR art. 6, stk. 1, litra e, og art. 9, stk. 2, "
               "litra j, med garantier efter art. 89 samt databeskyttelsesloven § 10. Data må ikke senere bruges "
               "til andre formål (§ 10, stk. 2).")
    when(doc, "datatilsynet_cases", lambda: (
        check(doc, "Søg Datatilsynets tilladelse, før data videregives (databeskyttelsesloven § 10, stk. 3):"),
        when(doc, "'outside_eu' in datatilsynet_cases", lambda: bullet(
            doc, "videregivelse til behandling uden for EU/EØS (se også GDPR kapitel V)")),
        when(doc, "'biological_material' in datatilsynet_cases", lambda: bullet(
            doc, "videregivelse af biologisk materiale")),
        when(doc, "'publication' in datatilsynet_cases", lambda: bullet(
            doc, "videregivelse med henblik på offentliggørelse i et anerkendt videnskabeligt tidsskrift")),
    ))
    when(doc, "involves_biological_material", lambda: check(
        doc, "Tjek Vævsanvendelsesregistret, før materialet eller genetiske data bruges til forskning "
             "(sundhedsloven § 29), og læg tjekket ind i tidsplanen for udtrækket."))
    check(doc, "Udtræksbeskrivelse: population, periode og variable, begrænset til det nødvendige.")
    check(doc, "Plan for analysemiljø, pseudonymisering og adgangsstyring.")
    tag(doc, "{%p endif %}")

    # --- quality --------------------------------------------------------------------------------------------
    tag(doc, "{%p if route == 'quality' %}")
    heading(doc, "Kvalitetsudvikling: sundhedsloven § 42 d, stk. 2, nr. 2")
    para(doc, "Kvalitetsudvikling anmeldes ikke til komitéen. En autoriseret sundhedsperson må slå op i journaler "
              "uden samtykke, når alle betingelser er opfyldt:")
    table(doc, ["Betingelse", "Opfyldt"], [
        ["Opslaget er nødvendigt for at kvalitetssikre eller udvikle behandlingsforløb og arbejdsgange og har "
         "væsentlig samfundsmæssig betydning", "{{ significant_importance|ja_nej }}"],
        ["Ledelsen på {{ treatment_site }} har givet tilladelse efter fastsatte kriterier",
         status("management_authorisation", {"granted": "Ja", "requested": "Ansøgt",
                                              "not_requested": "Nej"})],
        ["Oplysningerne er registreret på behandlingsstedet for under fem år siden",
         "{{ data_within_5_years|ja_nej }}"],
        ["Opslaget kan spores (logning)", "{{ lookups_traceable|ja_nej }}"],
    ], widths=[13.4, 3.0])
    para(doc, "{{ authorised_professionals }}", label="Opslagene foretages af:")
    when(doc, "not quality_conditions_met", lambda: para(
        doc, "Ikke alle betingelser er opfyldt endnu. Der må først slås op, når de er.", label="Bemærk:"))
    when(doc, "quality_conditions_met", lambda: para(
        doc, "Efter jeres svar er alle betingelserne opfyldt.", label="Status:"))
    when(doc, "external_partner", lambda: para(
        doc, "§ 42 d giver adgang til opslag på behandlingsstedet, ikke til videregivelse. En virksomhed eller "
             "anden ekstern partner kan ikke få data på dette grundlag; det kræver samtykke, godkendelse efter "
             "§ 46 eller § 47 eller et andet grundlag.", label="Advarsel:"))
    check(doc, "Afklar GDPR-grundlaget med DPO. Datatilsynet har i en sag fra 2023 peget på, at udvikling og "
               "gentræning af AI kan hvile på art. 6, stk. 1, litra e, og art. 9, stk. 2, litra g, med et "
               "supplerende nationalt grundlag.")
    check(doc, "Beskriv kvalitetsmålet for det konkrete behandlingssted, og aftal, hvordan opslagene logges.")
    tag(doc, "{%p endif %}")

    # --- operation ------------------------------------------------------------------------------------------
    tag(doc, "{%p if route == 'operation' %}")
    heading(doc, "Drift: grundlag, aftaler og sikkerhed")
    check(doc, "{{ operation_legal_basis }}. Datatilsynet har vurderet, at brug af en AI-model i drift kræver sit "
               "eget grundlag, adskilt fra grundlaget for udvikling og træning.", label="Grundlag for drift:")
    when(doc, "vendor_involved", lambda: check(
        doc, status("dpa_status", {"signed": "Underskrevet.", "negotiating": "Under forhandling.",
                                   "not_started": "Ikke påbegyndt."})
        + " Aftalen skal have indholdet i GDPR art. 28, stk. 3, og dække overførsler uden for EU/EØS "
          "(kapitel V).", label="Databehandleraftale med leverandøren:", done="dpa_status == 'signed'"))
    check(doc, status("info_security_status", {"done": "Godkendt.", "in_progress": "I gang.",
                                               "not_started": "Ikke påbegyndt."})
          + " Dæk adgangsstyring, kryptering, sårbarhedshåndtering og beredskab.",
          label="Informationssikkerhed:", done="info_security_status == 'done'")
    check(doc, "{% if logging_in_place %}På plads.{% else %}Mangler.{% endif %} Brugen af modellen og "
               "opslag i patientdata skal kunne spores.", label="Logning:", done="logging_in_place")
    check(doc, status("mdr_status", {
        "not_device": "Værktøjet er vurderet til ikke at være medicinsk udstyr. Dokumentér vurderingen.",
        "in_house": "Værktøjet bruges efter egenproduktionsundtagelsen (MDR art. 5, stk. 5). Alle betingelser "
                    "skal være opfyldt, og værktøjet må ikke overdrages til en anden juridisk enhed.",
        "ce_marked": "Værktøjet er CE-mærket. Brug det efter brugsanvisningen og det tilsigtede formål.",
        "unclear": "Det er ikke afklaret, om værktøjet er medicinsk udstyr. Afklar det før drift.",
    }), label="Medicinsk udstyr (MDR):", done="mdr_status != 'unclear'")
    when(doc, "retraining_planned", lambda: para(
        doc, "Gentræning af modellen på driftsdata er et nyt formål, der kræver sit eget grundlag.",
        label="Bemærk:"))
    tag(doc, "{%p endif %}")

    # --- data sources and common items -----------------------------------------------------------------------
    heading(doc, "Datakilder")
    table(doc, ["Datakilde", "Dataejer", "Data", "Status", "Forventet"],
          [["{{ s.name }}", "{{ s.owner }}", "{{ s.data_types }}",
            status("s.access_status", {"not_applied": "Ikke søgt", "applied": "Søgt", "approved": "Godkendt",
                                       "received": "Data modtaget", "rejected": "Afslået"}),
            "{% if s.expected_date %}{{ s.expected_date|dato }}{% else %}–{% endif %}"]],
          loop="s in data_sources", widths=[4.6, 4.1, 3.3, 2.3, 2.3])
    when(doc, "data_sources|selectattr('access_status', 'equalto', 'rejected')|list", lambda: para(
        doc, "Mindst én ansøgning er afslået. Find ud af hvorfor, og vurdér, om en anden rute eller datakilde "
             "kan bruges.", label="Bemærk:"))

    heading(doc, "Fælles for alle ruter")
    check(doc, status("record_of_processing", STATUS) + ". Projektet skal stå i den dataansvarliges fortegnelse "
               "(GDPR art. 30).", label="Fortegnelse over behandlingsaktiviteter:",
          done=RESOLVED.format("record_of_processing"))
    check(doc, status("dpia_status", STATUS) + ". Vurdér, om behandlingen sandsynligvis indebærer en høj risiko "
               "(GDPR art. 35).", label="Konsekvensanalyse (DPIA):", done=RESOLVED.format("dpia_status"))
    when(doc, "route == 'operation' and dpia_status == 'not_needed'", lambda: para(
        doc, "Drift med helbredsoplysninger i stort omfang kræver som udgangspunkt en konsekvensanalyse "
             "(GDPR art. 35, stk. 3). Begrund vurderingen grundigt.", label="Bemærk:"))
    check(doc, "{% if dpo_involved %}DPO er inddraget.{% else %}DPO er ikke inddraget endnu. Inddrag DPO "
               "tidligt.{% endif %}", label="Databeskyttelsesrådgiver:", done="dpo_involved")
    check(doc, "Databehandleraftaler (GDPR art. 28, stk. 3) med eksterne analysemiljøer og leverandører.")
    check(doc, "Forbered fortegnelse, DPIA-vurdering og aftaler parallelt med ansøgningerne, ikke i serie.")
    when(doc, "notes", lambda: (heading(doc, "Noter", level=2), para(doc, "{{ notes }}")))

    heading(doc, "Lovgrundlag og kilder", level=2)
    para(doc, "Komitéloven § 14, stk. 1 og 2, § 15 og § 21 a · Sundhedsloven § 29, § 42 d, stk. 2, nr. 2, § 43, "
              "§ 46, stk. 1 og 2, og § 47 · Databeskyttelsesloven § 10 · GDPR art. 6, 9, 26, 28, 30, 35, 36 og "
              "kapitel V · MDR art. 5, stk. 5, art. 62 og 74. Se netværkets vejledning om adgang til data.",
         small=True)
    return doc
