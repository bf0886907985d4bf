"""Samtykkeerklæring og deltagerinformation til et AI-projekt på sundhedsdata."""

from __future__ import annotations

from docxkit import (
    bullet,
    fields,
    form_version,
    heading,
    new_document,
    para,
    signature_lines,
    spacer,
    table,
    tag,
    title,
)

NAME = "samtykkeerklaering"
VERSION = form_version(NAME)
TITLE = "Samtykkeerklæring"


def signatures(doc, labels: list[str]) -> None:
    """Signature lines side by side, the date narrower; the block stays on one page, after the text it signs."""
    signature_lines(doc, labels, widths=[6.4, 3.8, 6.4])


def build():
    doc = new_document(name=NAME, version=VERSION, title=TITLE, subject="{{ project_title }}",
                       footer="Samtykkeerklæring, version {{ form_version }} af {{ form_date|dato }}")
    title(doc, TITLE, "{{ project_title }}")
    para(doc, "Information om projektet og samtykke til, at dine sundhedsoplysninger bruges i et projekt "
              "med kunstig intelligens (AI).")
    # The guidance for the project (review by the DPO, the committee) is in the form's help, not in the
    # participant's copy.

    fields(doc, [
        ("Projekt", "{{ project_title }}"),
        ("Projektperiode", "{{ project_start|dato }}{% if project_end %} – {{ project_end|dato }}{% endif %}"),
        ("Dataansvarlig", "{{ controller_name }}{% if controller_address %}, {{ controller_address }}{% endif %}"),
        ("Kontaktperson", "{{ contact.name }}{% if contact.role %}, {{ contact.role }}{% endif %}"
                          "{% if contact.phone %} · tlf. {{ contact.phone }}{% endif %}"
                          "{% if contact.email %} · {{ contact.email }}{% endif %}"),
        ("Databeskyttelsesrådgiver (DPO)", "{{ dpo_contact }}"),
        ("Videnskabsetisk komité", "{% if committee_notified %}Projektet er anmeldt til den videnskabsetiske "
                                   "komité{% if committee_reference %} (journalnr. {{ committee_reference }})"
                                   "{% endif %}{% else %}Projektet er ikke anmeldt til en videnskabsetisk "
                                   "komité{% endif %}"),
        ("Erklæringens version", "Version {{ form_version }} af {{ form_date|dato }}"),
    ])

    heading(doc, "Hvad handler projektet om?")
    para(doc, "{{ purpose }}")
    para(doc, "{{ ai_use }}", label="Sådan bruges kunstig intelligens:")

    heading(doc, "Hvilke oplysninger bruger vi?")
    para(doc, "Hvis du siger ja, bruger projektet disse oplysninger om dig"
              "{% if data_period %} fra perioden {{ data_period }}{% endif %}:")
    for value, text in (
        ("records", "Oplysninger fra din patientjournal, fx diagnoser, behandlinger og notater."),
        ("imaging", "Billeder fra undersøgelser som røntgen, CT, MR eller ultralyd og beskrivelserne af dem."),
        ("lab", "Laboratoriesvar, fx blodprøver."),
        ("genetic", "Genetiske data, dvs. oplysninger om dine arvelige anlæg."),
        ("biological", "Biologisk materiale, fx blod- eller vævsprøver, og oplysninger udledt af det."),
        ("questionnaire", "Dine svar på spørgeskemaer i projektet."),
        ("device_data", "Målinger fra udstyr eller apps, fx hjemmemålinger eller aktivitetsmålere."),
        ("registries", "Oplysninger fra nationale sundhedsregistre."),
    ):
        tag(doc, f"{{%p if '{value}' in data_types %}}")
        bullet(doc, text)
        tag(doc, "{%p endif %}")

    heading(doc, "Hvad bruges oplysningerne til?")
    para(doc, "Oplysningerne bruges kun til projektets formål:")
    for value, text in (
        ("training", "At udvikle og træne AI-modellen."),
        ("validation", "At teste og validere, hvor godt modellen virker."),
        ("clinical_testing", "At afprøve modellen i klinikken, hvor den kan indgå i behandlingen af patienter."),
        ("retraining", "At genoptræne og forbedre modellen senere i projektperioden."),
        ("publication", "At offentliggøre resultater i en form, hvor du ikke kan genkendes."),
    ):
        tag(doc, f"{{%p if '{value}' in purposes %}}")
        bullet(doc, text)
        tag(doc, "{%p endif %}")

    heading(doc, "Hvem får adgang til oplysningerne?")
    para(doc, "Oplysningerne behandles af projektgruppen hos {{ controller_name }}.")
    tag(doc, "{%p if recipients %}")
    para(doc, "Derudover får disse parter adgang til oplysningerne:")
    table(doc, ["Modtager", "Rolle i projektet", "Hvor behandles data"],
          [["{{ r.name }}", "{{ r.role }}",
            "{% if r.location == 'dk' %}Danmark{% elif r.location == 'eu' %}Andet EU/EØS-land"
            "{% else %}Uden for EU/EØS{% endif %}"]],
          loop="r in recipients", widths=[5.5, 6.0, 4.9])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipients|selectattr('location', 'equalto', 'outside_eu')|list %}")
    para(doc, "Nogle oplysninger behandles uden for EU/EØS. Det sker kun med et gyldigt overførselsgrundlag "
              "efter databeskyttelsesforordningens kapitel V og med de tilladelser, loven kræver, fx fra "
              "Datatilsynet.")
    tag(doc, "{%p endif %}")
    para(doc, "{{ protection }}", label="Sådan beskytter vi oplysningerne:")

    heading(doc, "Hvad siger du ja til?")
    tag(doc, "{%p if consent_model == 'specific' %}")
    para(doc, "Du giver samtykke til netop dette projekt, som det er beskrevet her (specifikt samtykke). "
              "Skal oplysningerne senere bruges til noget nyt, fx et andet projekt eller en ny anvendelse af "
              "modellen, kræver det et nyt samtykke fra dig eller et andet lovligt grundlag.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if consent_model == 'broad' %}")
    para(doc, "Du giver samtykke til, at oplysningerne kan bruges i dette projekt og i fremtidig forskning "
              "inden for følgende område (bredt samtykke):")
    para(doc, "{{ research_area }}", italic=True)
    para(doc, "Samtykket gælder kun det beskrevne område og er ikke et blankt samtykke. Nye projekter inden "
              "for området skal stadig godkendes efter de regler, der gælder for dem, fx af den "
              "videnskabsetiske komité, når de er anmeldelsespligtige.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if consent_model == 'dynamic' %}")
    para(doc, "Projektet bruger dynamisk samtykke: Via {{ dynamic_platform }} får du løbende information om nye "
              "projekter, og du kan til enhver tid give, ændre eller trække dit samtykke tilbage.")
    para(doc, "Dynamisk samtykke er en måde at administrere og kommunikere samtykke på, ikke en særskilt "
              "juridisk ordning. Hvert samtykke, du giver i løsningen, skal stadig opfylde de almindelige krav "
              "til informeret samtykke og til behandling af personoplysninger.")
    tag(doc, "{%p endif %}")

    heading(doc, "Samtykke og behandlingsgrundlag er to forskellige ting")
    para(doc, "Dit samtykke til at deltage i projektet er ikke nødvendigvis det samme som det retlige grundlag "
              "for at behandle dine personoplysninger efter databeskyttelsesforordningen (GDPR). Projektet "
              "bruger dette grundlag:")
    tag(doc, "{%p if legal_basis == 'research' %}")
    para(doc, "Oplysningerne behandles som led i forskning af væsentlig samfundsmæssig betydning efter GDPR "
              "art. 6, stk. 1, litra e, og art. 9, stk. 2, litra j, og databeskyttelsesloven § 10. "
              "Oplysningerne må ikke senere bruges til andet end forskning og statistik.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if legal_basis == 'consent' %}")
    para(doc, "Oplysningerne behandles på grundlag af dit udtrykkelige samtykke efter GDPR art. 6, stk. 1, "
              "litra a, og art. 9, stk. 2, litra a. Trækker du samtykket tilbage, påvirker det ikke "
              "lovligheden af den behandling, der er sket før (art. 7, stk. 3).")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if legal_basis == 'other' %}")
    para(doc, "{{ legal_basis_other }}")
    tag(doc, "{%p endif %}")
    para(doc, "Du har ret til at få indsigt i de oplysninger, vi behandler om dig, og i visse tilfælde til at få "
              "dem rettet, slettet eller begrænset. Du kan kontakte den dataansvarliges DPO ({{ dpo_contact }}) "
              "og klage til Datatilsynet.")

    heading(doc, "Hvor længe gemmer vi oplysningerne?")
    para(doc, "Oplysningerne opbevares {{ storage_period }}. Derefter "
              "{% if after_storage == 'delete' %}slettes de"
              "{% elif after_storage == 'anonymise' %}anonymiseres de, så ingen kan føres tilbage til dig"
              "{% else %}overføres de til arkivering efter arkivlovens regler, fx hos Rigsarkivet{% endif %}.")

    heading(doc, "Hvis du fortryder")
    para(doc, "Det er frivilligt at deltage. Du kan når som helst trække dit samtykke tilbage uden at give en "
              "grund, og det får ingen betydning for din behandling nu eller senere.")
    para(doc, "{{ withdrawal_how }}", label="Sådan trækker du samtykket tilbage:")
    tag(doc, "{%p if withdrawal_effect == 'stop_future_use' %}")
    para(doc, "Når du har trukket samtykket tilbage, bruges dine oplysninger ikke i nye analyser eller ved næste "
              "træning af modellen. Oplysninger, der allerede er brugt, fx i en model, der er trænet, eller i "
              "resultater, der er offentliggjort, kan ikke fjernes igen.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if withdrawal_effect == 'delete_where_possible' %}")
    para(doc, "Når du har trukket samtykket tilbage, slettes dine oplysninger fra projektets datasæt, hvor det "
              "er teknisk muligt, og de bruges ikke i nye analyser eller ved næste træning af modellen. En "
              "model, der allerede er trænet, og resultater, der er offentliggjort, kan ikke ændres.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if trained_models_note %}")
    para(doc, "{{ trained_models_note }}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if involves_biological_material or 'biological' in data_types or 'genetic' in data_types %}")
    heading(doc, "Biologisk materiale, genetiske data og Vævsanvendelsesregistret")
    tag(doc, "{%p if involves_biological_material %}")
    para(doc, "Projektet bruger biologisk materiale: {{ biological_material_description }}")
    tag(doc, "{%p endif %}")
    para(doc, "Du kan i Vævsanvendelsesregistret bestemme, at dit biologiske materiale og dine genetiske data "
              "kun må bruges til din egen behandling (sundhedsloven § 29). Projektet tjekker registret, før "
              "materialet eller data bruges, og respekterer din registrering.")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if incidental_findings_possible %}")
    heading(doc, "Tilfældige fund")
    para(doc, "Projektet kan gøre fund, der har betydning for dit helbred. Sæt kryds ved, om du ønsker at blive "
              "informeret om sådanne fund:")
    para(doc, "☐ Ja, jeg ønsker at blive informeret om fund, der har betydning for mit helbred.")
    para(doc, "☐ Nej, jeg ønsker ikke at blive informeret.")
    tag(doc, "{%p endif %}")

    heading(doc, "Samtykke fra deltageren")
    # The consent text is kept with the signature lines: one never stands on a page without the other.
    para(doc, "Jeg har fået skriftlig og mundtlig information om projektet og ved nok om formål, metode, fordele "
              "og ulemper til at sige ja til at deltage. Jeg ved, at det er frivilligt, og at jeg når som helst "
              "kan trække mit samtykke tilbage uden at miste mine nuværende eller fremtidige rettigheder til "
              "behandling.", keep=True)
    para(doc, "Jeg giver samtykke til, at mine oplysninger bruges som beskrevet"
              "{% if consent_model == 'broad' %}, herunder i fremtidig forskning inden for det beskrevne område"
              "{% endif %}. Jeg har fået en kopi af denne erklæring.", keep=True)
    signatures(doc, ["Deltagerens navn (blokbogstaver)", "Dato", "Deltagerens underskrift"])
    spacer(doc)
    tag(doc, "{%p if minors_included %}")
    para(doc, "Er deltageren under 18 år, skriver forældremyndighedens indehaver under:", small=True, keep=True)
    signatures(doc, ["Navn (blokbogstaver)", "Dato", "Underskrift"])
    spacer(doc)
    tag(doc, "{%p endif %}")

    heading(doc, "Erklæring fra den, der har givet informationen")
    para(doc, "Jeg erklærer, at deltageren har fået mundtlig og skriftlig information om projektet. Efter min "
              "overbevisning er der givet tilstrækkelig information til, at deltageren kan træffe beslutning om "
              "at deltage.", keep=True)
    tag(doc, "{%p if informant_name %}")
    para(doc, "Informationen er givet af {{ informant_name }}{% if informant_role %}, {{ informant_role }}"
              "{% endif %}.", keep=True)
    tag(doc, "{%p endif %}")
    signatures(doc, ["Navn (blokbogstaver)", "Dato", "Underskrift"])
    # (the version of the declaration is in every page's footer: a closing line could stand alone on a page)
    return doc
