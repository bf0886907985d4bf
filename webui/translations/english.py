"""English texts of the web UI, by Danish source text: `make translations` writes them into the catalogue.

Kept as data beside the catalogues so a translator edits one readable file; the .po/.mo files are generated.
Plural entries map the singular source text to (singular, plural).
"""

ENGLISH: dict[str, str | tuple[str, str]] = {
    "Ugyldig forespørgsel": "Bad request",
    "Adressen eller formularen indeholder noget, vi ikke kan bruge.":
        "The address or the form contains something we cannot use.",
    "Siden findes ikke": "Page not found",
    "Vi kan ikke finde det, du leder efter. Måske er adressen stavet forkert, eller materialet er flyttet.":
        "We cannot find what you are looking for. The address may be misspelt, or the material may have moved.",
    "For stor forespørgsel": "Request too large",
    "Det, du sendte, er større end vi tager imod.": "What you sent is larger than we accept.",
    "Der skete en fejl": "Something went wrong",
    "Noget gik galt hos os. Prøv igen om lidt; fejlen er logget.":
        "Something went wrong on our side. Please try again shortly; the error has been logged.",
    "Ikke muligt lige nu": "Not possible right now",
    "Det kan denne server ikke lave lige nu.": "This server cannot do that right now.",
    "Fejl %(status)s": "Error %(status)s",
    "Forespørgslen kunne ikke gennemføres.": "The request could not be completed.",
    "Adressen indeholder et ugyldigt navn: kun små bogstaver, tal og bindestreger.":
        "The address contains an invalid name: only lowercase letters, digits and hyphens.",
    "Adgang til data": "Access to data",
    "Forskning, kvalitetsudvikling og drift: hvad kræver hvad?":
        "Research, quality development and operations: what needs what?",
    "CE-mærkning": "CE marking",
    "Er det medicinsk udstyr, hvilken klasse, og hvad skal på plads?":
        "Is it a medical device, which class, and what must be in place?",
    "Samtykke": "Consent",
    "Hvornår der skal samtykke til, og hvilken model der passer.": "When consent is needed, and which model fits.",
    "Klinisk evaluering": "Clinical evaluation",
    "At vise, at AI-værktøjet virker for patienterne.": "Showing that the AI tool works for patients.",
    "Fra forskning til drift": "From research to operations",
    "Fra model i forskningen til værktøj i klinikken.": "From a research model to a tool in the clinic.",
    "PDF kan ikke laves på denne server (LibreOffice mangler). Hent Word-filen i stedet.":
        "PDF cannot be made on this server (LibreOffice is missing). Download the Word file instead.",
    "PDF-konverteringen mislykkedes. Hent Word-filen i stedet.":
        "The PDF conversion failed. Download the Word file instead.",
    "Skriv et eller flere ord for at søge.": "Type one or more words to search.",
    "Tekst": "Text",
    "Længere tekst": "Longer text",
    "Tal": "Number",
    "Dato": "Date",
    "Ja/nej": "Yes/no",
    "Ét valg": "One choice",
    "Flere valg": "Several choices",
    "Liste": "List",
    "Formularen var for gammel (eller din session udløb). Dine svar er bevaret – send den igen.":
        "The form was too old (or your session expired). Your answers are kept – please send it again.",
    "Spring til indholdet": "Skip to content",
    "Materialer fra netværket for AI-projekter på sundhedsdata":
        "Materials from the network for AI projects on health data",
    "Hovedmenu": "Main menu",
    "Materialer": "Materials",
    "Gennemse": "Browse",
    "Skabeloner": "Templates",
    "Søg i materialerne": "Search the materials",
    "Søg": "Search",
    "Netværket faciliteres af MedTech Innovation Consortium og Region Midtjylland, Regional Udvikling.":
        "The network is facilitated by MedTech Innovation Consortium and Central Denmark Region, Regional "
        "Development.",
    "Materialerne er vejledning, ikke juridisk rådgivning.": "The materials are guidance, not legal advice.",
    "Mente du": "Did you mean",
    "Gå til oversigten over materialer": "Go to the overview of materials",
    "Fejlkode %(status)s": "Error code %(status)s",
    "Gennemse materialerne": "Browse the materials",
    "Vælg type, emne og målgruppe – filtrene kan kombineres, og tallet viser, hvor mange materialer der er "
    "tilbage med det valg.":
        "Choose kind, topic and audience – the filters combine, and the number shows how many materials that "
        "choice leaves.",
    "Filtrer materialerne": "Filter the materials",
    "Type": "Kind",
    "Emne": "Topic",
    "Målgruppe": "Audience",
    "valgt, klik for at fjerne": "selected, click to remove",
    "Fjern alle filtre": "Remove all filters",
    "%(num)s materiale": ("%(num)s material", "%(num)s materials"),
    "opdateret": "updated",
    "Ingen materialer passer til alle filtrene.": "No materials match all the filters.",
    "Fjern filtrene": "Remove the filters",
    "Playbooks, vejledninger og anbefalinger om AI-projekter på sundhedsdata – fra dataadgang og samtykke til "
    "klinisk evaluering, test i praksis og CE-mærkning. %(total)s materialer i alt.":
        "Playbooks, guides and recommendations on AI projects on health data – from data access and consent to "
        "clinical evaluation, testing in practice and CE marking. %(total)s materials in all.",
    "Hvad leder du efter?": "What are you looking for?",
    "fx hvordan får jeg adgang til data?": "e.g. how do I get access to data?",
    "Find hjælp efter behov": "Find help by need",
    "Gennemse alle materialer efter type, emne og målgruppe": "Browse all materials by kind, topic and audience",
    "Word-skabeloner": "Word templates",
    "Nyt og opdateret": "New and updated",
    "version %(version)s": "version %(version)s",
    "Alle materialer": "All materials",
    "Materialetyper": "Kinds of material",
    "Biblioteket er tomt.": "The library is empty.",
    "Brødkrumme": "Breadcrumb",
    "Om materialet": "About the material",
    "Opdateret": "Updated",
    "Forfattere": "Authors",
    "Arbejdsgruppe": "Working group",
    "Emner": "Topics",
    "Hent som Word": "Download as Word",
    "Hent som PDF": "Download as PDF",
    "Indhold": "Contents",
    "Relaterede materialer": "Related materials",
    "Søgning: %(query)s": "Search: %(query)s",
    "fx hvordan får jeg adgang til data": "e.g. how do I get access to data",
    'Skriv et eller flere ord. Du kan bruge "citationstegn" om en frase, %(prefix)s for ord der begynder sådan, '
    "og filtre som %(filter)s.":
        'Type one or more words. Use "quotes" around a phrase, %(prefix)s for words that begin so, and filters '
        "such as %(filter)s.",
    "Ingen resultater for %(query)s. Viser resultater for": "No results for %(query)s. Showing results for",
    "Filtrer resultaterne": "Filter the results",
    "%(num)s resultat": ("%(num)s result", "%(num)s results"),
    "side %(page)s af %(pages)s": "page %(page)s of %(pages)s",
    "Sider": "Pages",
    "Forrige": "Previous",
    "Næste": "Next",
    "Word-skabeloner, der udfyldes ud fra et spørgeskema: CE-mærkning, samtykke, konsekvensanalyse, dataadgang, "
    "referater, kommissorier og anbefalinger. %(count)s skabeloner i alt.":
        "Word templates filled in from a questionnaire: CE marking, consent, impact assessment, data access, "
        "minutes, mandates and recommendations. %(count)s templates in all.",
    "Skabelon": "Template",
    "%(num)s spørgsmål": ("%(num)s question", "%(num)s questions"),
    "Der er ingen skabeloner.": "There are no templates.",
    "skal udfyldes": "required",
    "Fjern %(item)s %(number)s": "Remove %(item)s %(number)s",
    "Tilføj %(item)s": "Add %(item)s",
    "Udfyld: %(title)s": "Fill in: %(title)s",
    "Udfyld": "Fill in",
    "Der er %(num)s fejl i svarene": ("There is %(num)s mistake in the answers",
                                      "There are %(num)s mistakes in the answers"),
    "Se resultatet": "See the result",
    "Resultat: %(title)s": "Result: %(title)s",
    "Resultat": "Result",
    "Det fører dine svar til": "What your answers lead to",
    "Spørgsmål": "Question",
    "Begrundelse": "Reasoning",
    "Dokumentet får %(count)s punkter, udvalgt ud fra svarene.":
        "The document gets %(count)s items, chosen from the answers.",
    "Dine svar": "Your answers",
    "Hent dokumentet i Word": "Download the document in Word",
    "Ret svarene": "Change the answers",
    "Version %(version)s": "Version %(version)s",
    "Udfyld skabelonen": "Fill in the template",
    "Hent et udfyldt eksempel (Word)": "Download a filled-in example (Word)",
    "Om skabelonen": "About the template",
    "Regler": "Rules",
    "%(facts)s afledte fakta, %(items)s mulige punkter": "%(facts)s derived facts, %(items)s possible items",
    "Det spørger skabelonen om": "What the template asks",
    "afhænger af et tidligere svar": "depends on an earlier answer",
    "Log ind": "Sign in",
    "Log ud": "Sign out",
    "Brugernavn": "User name",
    "Adgangskode": "Password",
    "Medlemmer af netværkets arbejdsgrupper logger ind for at skrive og redigere materialer. Alle kan læse og "
    "udfylde skabeloner uden at logge ind.":
        "Members of the network's working groups sign in to write and edit materials. Everyone can read and fill "
        "in templates without signing in.",
    "Formularen var for gammel. Prøv igen.": "The form was too old. Please try again.",
    "For mange forsøg. Vent et kvarter, og prøv igen.": "Too many attempts. Wait a quarter of an hour and try again.",
    "Forkert brugernavn eller adgangskode.": "Wrong user name or password.",
    "%(added)s linjer tilføjet eller ændret, %(removed)s fjernet eller ændret":
        "%(added)s lines added or changed, %(removed)s removed or changed",
    "Af": "By",
    "Besked": "Message",
    "Den gamle tekst til venstre, den nye til højre; ændrede ord er markeret.":
        "The old text on the left, the new on the right; changed words are marked.",
    "Der er ingen forskel mellem de to udgaver.": "There is no difference between the two versions.",
    "Efter": "After",
    "Forskel": "Difference",
    "Forskel: %(title)s": "Difference: %(title)s",
    "Fra": "From",
    "Før": "Before",
    "Historik": "History",
    "Historik: %(title)s": "History: %(title)s",
    "Sammenlign de valgte": "Compare the chosen",
    "Sammenlign fra %(id)s": "Compare from %(id)s",
    "Sammenlign til %(id)s": "Compare to %(id)s",
    "Tidspunkt": "Time",
    "Til": "To",
    "Udgave": "Edition",
    "Ændringer, nyeste først. Vælg to for at sammenligne dem.": "Changes, newest first. Choose two to compare them.",
}
