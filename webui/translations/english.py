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
    "Deres tekst": "Their text",
    "Din tekst": "Your text",
    "Din tekst er bevaret i feltet nedenfor. Ret de modstridende steder, og gem igen.":
        "Your text is kept in the field below. Resolve the conflicting places and save again.",
    "Din tekst er bevaret nedenfor.": "Your text is kept below.",
    "En anden har ændret de samme steder": "Someone else changed the same places",
    "Forhåndsvisning": "Preview",
    "Formularen var for gammel (eller din session udløb). Din tekst er bevaret – gem igen.":
        "The form was too old (or your session expired). Your text is kept – save again.",
    "Gem": "Save",
    "Hvad har du ændret? (beskeden i historikken)": "What did you change? (the message in the history)",
    "Linje": "Line",
    "Linje %(line)s": "Line %(line)s",
    "Rediger": "Edit",
    "Rediger: %(title)s": "Edit: %(title)s",
    "Redigeret i browseren": "Edited in the browser",
    "Resumé": "Summary",
    "Se hele den anden tekst": "See the whole other text",
    "Tekst (Markdown)": "Text (Markdown)",
    "Teksten blev ikke gemt": "The text was not saved",
    "Titel": "Title",
    "Vis forhåndsvisning": "Show preview",
    "Gemt – og flettet med ændringer, som en anden havde gemt i mellemtiden. Se forskellen i historikken.":
        "Saved – and merged with changes someone else had saved meanwhile. See the difference in the history.",
    "Gemt.": "Saved.",
    "Der var ingen ændringer at gemme.": "There were no changes to save.",
    "Bed om review": "Ask for review",
    "Du kan ikke ændre status for dette materiale lige nu.": "You cannot change the status of this material now.",
    "Hvad vil du gøre?": "What do you want to do?",
    "Lad materialet udgå": "Retire the material",
    "Note, kommentar eller ændringslog (skal udfyldes ved udgivelse)":
        "Note, comment or changelog line (required when publishing)",
    "Ny udgave (X.0.0)": "New edition (X.0.0)",
    "Rettelse (x.y.Z)": "Correction (x.y.Z)",
    "Send tilbage til kladde": "Return to draft",
    "Status": "Status",
    "Status: %(title)s": "Status: %(title)s",
    "Tilføjelse (x.Y.0)": "Addition (x.Y.0)",
    "Udfør": "Do it",
    "Udgiv som ny udgave": "Publish as a new edition",
    "Ved udgivelse: hvor stor er ændringen?": "When publishing: how big is the change?",
    "Åbn som kladde igen": "Open as a draft again",
    "Adgangskoden vises kun nu:": "The password is shown only now:",
    "Arbejdsgrupper": "Working groups",
    "Arbejdsgrupper (adskilt af komma)": "Working groups (separated by commas)",
    "Arbejdsgrupper for %(name)s": "Working groups of %(name)s",
    "Bruger": "User",
    "Brugere og roller": "Users and roles",
    "Brugeren %(name)s er fjernet.": "The user %(name)s has been removed.",
    "Brugeren %(name)s er oprettet.": "The user %(name)s has been created.",
    "Brugeren %(name)s er ændret.": "The user %(name)s has been changed.",
    "Fjern": "Remove",
    "Handlinger": "Actions",
    "Ny adgangskode": "New password",
    "Ny adgangskode til %(name)s.": "A new password for %(name)s.",
    "Ny bruger": "New user",
    "Opret": "Create",
    "Rolle": "Role",
    "Rolle for %(name)s": "Role of %(name)s",
    "Den gamle udgave bliver den nyeste. Intet går tabt: den nuværende tekst bliver i historikken.":
        "The old version becomes the newest. Nothing is lost: the current text stays in the history.",
    "Efter gendannelsen": "After restoring",
    "Fortryd": "Cancel",
    "Gendan": "Restore",
    "Gendan %(id)s": "Restore %(id)s",
    "Gendan denne udgave": "Restore this version",
    "Gendan: %(title)s": "Restore: %(title)s",
    "Nu": "Now",
    # Authoring: new materials, publication state, groups, activity, signing in again
    "%(name)s er ikke længere med i %(group)s.": "%(name)s is no longer in %(group)s.",
    "%(name)s er nu med i %(group)s.": "%(name)s is now in %(group)s.",
    "Aktivitet": "Activity",
    "Arbejdsgruppen arbejder på en ny udgave.": "The working group is working on a new edition.",
    "Bliver en del af adressen, fx adgang-til-data. Tomt: dannes af titlen.":
        "Becomes part of the address, e.g. adgang-til-data. Empty: made from the title.",
    "De seneste gemte ændringer, udgivelser, statusskift, log-ind og mislykkede log-ind.":
        "The latest saved changes, publications, status changes, sign-ins and failed sign-ins.",
    "Der findes allerede et materiale med filnavnet %(slug)s. Vælg et andet.":
        "A material with the file name %(slug)s already exists. Choose another.",
    "Det er afløst af": "It has been replaced by",
    "Det kan stadig læses, men bliver ikke længere opdateret.": "It can still be read but is no longer updated.",
    "Dette materiale er udgået.": "This material has been retired.",
    "Din session er udløbet. Log ind igen – din tekst er bevaret og kommer med.":
        "Your session has expired. Sign in again – your text is kept and comes along.",
    "Du er logget ind igen. Din tekst er bevaret – gem den nu.":
        "You are signed in again. Your text is kept – save it now.",
    "Du læser udgave %(version)s.": "You are reading edition %(version)s.",
    "Endnu ikke udgivet": "Not yet published",
    "Filnavn (valgfrit)": "File name (optional)",
    "Føj et medlem til en gruppe": "Add a member to a group",
    "Gemt": "Saved",
    "Godkend": "Approve",
    "Hvad": "What",
    "Hvem": "Who",
    "Hændelse": "Event",
    "Ingen": "None",
    "Ingen aktivitet endnu.": "No activity yet.",
    "Ingen materialer endnu.": "No materials yet.",
    "Ingen medlemmer endnu.": "No members yet.",
    "Intet": "None",
    "Logget ind": "Signed in",
    "Medlemmer": "Members",
    "Medlemmer af en arbejdsgruppe kan redigere gruppens materialer.":
        "Members of a working group can edit the group's materials.",
    "Mislykket log-ind": "Failed sign-in",
    "Nu:": "Now:",
    "Nyeste udgave er %(version)s.": "The newest edition is %(version)s.",
    "Nyt materiale": "New material",
    "Nyt materiale: %(kind)s": "New material: %(kind)s",
    "Skriv en titel, eller et filnavn med små bogstaver, tal og bindestreger.":
        "Write a title, or a file name of lowercase letters, digits and hyphens.",
    "Status ændret": "Status changed",
    "Tag %(name)s ud af %(group)s": "Remove %(name)s from %(group)s",
    "Tag ud": "Remove",
    "Tilføj": "Add",
    "Udgivet": "Published",
    "Udgivet %(version)s": "Published %(version)s",
    "Udgået (sidste udgave %(version)s)": "Retired (last edition %(version)s)",
    "Ved udgåelse: hvilket materiale afløser det? (valgfrit)":
        "When retiring: which material replaces it? (optional)",
    "Vælg, hvilken slags materiale du vil skrive. Hver slags har sin egen starttekst, som du bygger videre på. "
    "Materialet gemmes som kladde, indtil en facilitator udgiver det.":
        "Choose what kind of material you want to write. Each kind has its own starting text to build on. The "
        "material is saved as a draft until a facilitator publishes it.",
    "kladde godkendt, klar til udgivelse": "draft approved, ready to publish",
    "kladde under review": "draft in review",
    "ny kladde": "new draft",
    "%(title)s har ingen udgave %(version)s. Udgivne udgaver: %(known)s.":
        "%(title)s has no edition %(version)s. Published editions: %(known)s.",
    "ingen": "none",
    # Feeds
    "Netkit: nye udgaver": "Netkit: new editions",
    "Nye udgaver (Atom-feed)": "New editions (Atom feed)",
    # Recommendations
    "Anbefalingen kort": "The recommendation in brief",
    "Bag anbefalingen": "Endorsed by",
    "Beslutning der bedes om": "Decision requested",
    "Hovedpunkter": "Key points",
    "underskrevet %(date)s": "signed %(date)s",
    # Editions
    "Dette er den første udgave.": "This is the first edition.",
    "Forrige udgave": "Previous edition",
    "Hvad er ændret": "What changed",
    "Hvad er ændret i udgave %(version)s": "What changed in edition %(version)s",
    "Teksten er den samme som i den forrige udgave.": "The text is the same as in the previous edition.",
    "Udgave %(version)s": "Edition %(version)s",
    "Udgaver": "Editions",
    "Ændrede linjer": "Changed lines",
    "Ændringer": "Changes",
    "Ændringer i udgave %(version)s": "Changes in edition %(version)s",
    "Ændringer i udgave %(version)s: %(title)s": "Changes in edition %(version)s: %(title)s",
    "ændringer": "changes",
    # Recommendations in the editor; PDF availability
    "Anbefalingen til beslutningstagerne": "The recommendation to decision makers",
    "Fx: Region Midtjylland; Anne Hansen, direktør; 2026-11-20. Personen kan udelades.":
        "E.g.: Region Midtjylland; Anne Hansen, director; 2026-11-20. The person may be left out.",
    "Hovedpunkter (ét pr. linje, højst 7)": "Key points (one per line, at most 7)",
    "Modtagere (én pr. linje)": "Recipients (one per line)",
    "Modtagere og underskrivere skal være udfyldt, før anbefalingen kan udgives.":
        "Recipients and signatories must be filled in before the recommendation can be published.",
    "PDF kan ikke laves på denne server (LibreOffice mangler).":
        "PDF cannot be made on this server (LibreOffice is missing).",
    "Underskrivere (én pr. linje: organisation; person; dato)":
        "Signatories (one per line: organisation; person; date)",
    # Static site
    "Ingen materialer passer til søgningen. Prøv andre eller færre ord.":
        "No materials match the search. Try other or fewer words.",
    "Søgeindekset kunne ikke hentes. Siden skal vises fra en webserver, ikke som fil.":
        "The search index could not be loaded. The site must be shown by a web server, not as files.",
    "Søgningen her kører i browseren og kræver JavaScript.":
        "The search here runs in the browser and needs JavaScript.",
    "Viser de %(num)s bedste.": "Showing the best %(num)s.",
    "Vælg en type, et emne eller en målgruppe – tallet viser, hvor mange materialer der har den.":
        "Choose a type, a topic or an audience – the number shows how many materials have it.",
    # Working groups as records
    "%(members)s medlemmer · %(materials)s materialer": "%(members)s members · %(materials)s materials",
    "Aktiv": "Active",
    "Arbejdsgruppen %(name)s er oprettet.": "The working group %(name)s has been created.",
    "Arbejdsgruppen er aktiv igen.": "The working group is active again.",
    "Arbejdsgruppen er lukket.": "The working group has been closed.",
    "Der er ingen bruger, der hedder %(name)s.": "There is no user called %(name)s.",
    "Gruppe": "Group",
    "Gruppen har endnu ikke et kommissorium.": "The group has no mandate yet.",
    "Id": "Id",
    "Kommissorium": "Mandate",
    "Kommissorium (Markdown, valgfrit)": "Mandate (Markdown, optional)",
    "Kort id (små bogstaver, tal og bindestreger)": "Short id (lowercase letters, digits and hyphens)",
    "Lav et kommissorium i Word ud fra skabelonen": "Make a Word mandate from the template",
    "Luk gruppen": "Close the group",
    "Genåbn gruppen": "Reopen the group",
    "Lukket": "Closed",
    "Navn": "Name",
    "Nedsat på mødet": "Formed at the meeting",
    "Nedsat på mødet (mødets id, valgfrit)": "Formed at the meeting (the meeting's id, optional)",
    "Ny arbejdsgruppe": "New working group",
    "Opret gruppen": "Create the group",
    "Oprettet": "Created",
    # Projects
    "%(num)s problem i projektfilerne":
        ("%(num)s problem in the project files", "%(num)s problems in the project files"),
    "%(num)s projekt": ("%(num)s project", "%(num)s projects"),
    "(skal udfyldes)": "(required)",
    "AI-metode": "AI method",
    "AI-projekter på sundhedsdata i netværket: hvem der står bag, hvilket problem de løser, hvor langt de er, og "
    "hvordan de er reguleret. Filtrene kan kombineres, og tallet viser, hvor mange projekter der er tilbage med det "
    "valg.":
        "AI projects on health data in the network: who is behind them, which problem they solve, how far they are "
        "and how they are regulated. Filters combine, and the number shows how many projects that choice leaves.",
    "Afdeling": "Department",
    "CSV (til Excel, semikolonsepareret)": "CSV (for Excel, semicolon-separated)",
    "Datakilder": "Data sources",
    "Der er ingen arbejdsgrupper endnu.": "There are no working groups yet.",
    "Der er ingen projekter i registret endnu.": "There are no projects in the registry yet.",
    "Det, du har skrevet, er bevaret nedenfor.": "What you wrote is kept below.",
    "Dette er et eksempel, der følger med Netkit for at vise registret. Projektet og kontaktpersonerne er opdigtede.":
        "This is an example that comes with Netkit to show the registry. The project and its contacts are fictitious.",
    "Du er logget ind igen. Det, du har skrevet, er bevaret – gem det nu.":
        "You are signed in again. What you wrote is kept – save it now.",
    "Eksempel": "Example",
    "Eksempelprojekt": "Example project",
    "Eksempelprojekt (vises med mærket Eksempel)": "Example project (shown with the Example badge)",
    "En anden har gemt projektet, siden du åbnede det. Din udgave er bevaret nedenfor: se projektets side i en ny "
    "fane, og gem igen for at bruge din.":
        "Someone else saved the project since you opened it. Your version is kept below: look at the project's page "
        "in a new tab, and save again to use yours.",
    "Et andet projekt blev gemt med samme filnavn i samme øjeblik. Gem igen.":
        "Another project was saved with the same file name at the same moment. Save again.",
    "Excel-regneark (.xlsx)": "Excel spreadsheet (.xlsx)",
    "Fase": "Phase",
    "Felter markeret (skal udfyldes) er påkrævede. Projekter er synlige for alle, der besøger Netkit.":
        "Fields marked (required) must be filled in. Projects are visible to everyone who visits Netkit.",
    "Filtrer projekterne": "Filter the projects",
    "Formularen var for gammel (eller din session udløb). Det, du har skrevet, er bevaret – gem igen.":
        "The form was too old (or your session expired). What you wrote is kept – save again.",
    "Fx Akutmedicin, Radiologi. Brug gerne et område, der allerede findes, så projekterne kan filtreres sammen.":
        "E.g. Akutmedicin, Radiologi. Preferably use an area that already exists, so projects can be filtered "
        "together.",
    "Gem projektet": "Save the project",
    "Hent oversigten:": "Download the overview:",
    "Ingen klasse": "No class",
    "Ingen projekter passer til alle filtrene.": "No projects match all the filters.",
    "Klasse (kun for CE-mærket udstyr)": "Class (only for CE-marked devices)",
    "Klinisk område": "Clinical area",
    "Kontaktpersoner": "Contacts",
    "Kort beskrivelse": "Short description",
    "Links": "Links",
    "Mangler organisationen på listen, så bed en facilitator om at tilføje den i library/organisations.yaml.":
        "If the organisation is not in the list, ask a facilitator to add it to library/organisations.yaml.",
    "Netværkets materialer, projektet bruger": "The network's materials the project uses",
    "Nyt projekt": "New project",
    "Nyt projekt: %(title)s": "New project: %(title)s",
    "Om projektet": "About the project",
    "Oprettet af": "Created by",
    "Organisation": "Organisation",
    "Periode": "Period",
    "Problemet, projektet løser": "The problem the project solves",
    "Projekt": "Project",
    "Projekt redigeret: %(title)s": "Project edited: %(title)s",
    "Projekter": "Projects",
    "Projekter i netværket": "Projects in the network",
    "Projektet blev ikke gemt": "The project was not saved",
    "Projektet er oprettet.": "The project has been created.",
    "Rediger projektet": "Edit the project",
    "Regulatorisk status": "Regulatory status",
    "Slutdato": "End date",
    "Startdato": "Start date",
    "Tilføj et projekt": "Add a project",
    "To-tre sætninger: hvad projektet gør, og for hvem.":
        "Two or three sentences: what the project does, and for whom.",
    "Vælg fase": "Choose a phase",
    "Vælg organisation": "Choose an organisation",
    "Vælg status": "Choose a status",
    "af %(total)s": "of %(total)s",
    "Én pr. linje, fx Landspatientregisteret eller MidtEPJ (vitale parametre).":
        "One per line, e.g. Landspatientregisteret or MidtEPJ (vital signs).",
    "Én pr. linje: navn; e-mail; rolle (rollen kan udelades). Fx: Anna Jensen; anna.jensen@rm.dk; projektleder":
        "One per line: name; e-mail; role (the role may be left out). E.g.: Anna Jensen; anna.jensen@rm.dk; "
        "project lead",
    "Én pr. linje: titel; adresse – eller bare adressen. Adressen begynder med https://.":
        "One per line: title; address – or just the address. The address starts with https://.",
    # Meetings
    "Afholdt": "Held",
    "Aflyst": "Cancelled",
    "Afvis": "Decline",
    "Afvis med en note til forslagsstilleren (valgfri)": "Decline with a note to the proposer (optional)",
    "Afvist": "Declined",
    "Alle forslag": "All proposals",
    "Arbejdsgrupper dannet på mødet": "Working groups formed at the meeting",
    "Arbejdsgrupper dannet på mødet (id'er adskilt af komma)":
        "Working groups formed at the meeting (ids separated by commas)",
    "Beslutning": "Decision",
    "Beslutningen skrives efter mødet og kommer med i referatet.":
        "The decision is written after the meeting and goes into the minutes.",
    "Dagsorden": "Agenda",
    "Dagsorden (ét punkt pr. linje: emne; oplæg ved; beslutning)":
        "Agenda (one item per line: topic; presented by; decision)",
    "Dagsordenen er ikke lagt endnu.": "The agenda has not been set yet.",
    "Dansk tid. Udfyld begge tider eller ingen (et heldagsmøde).":
        "Danish time. Fill in both times or neither (an all-day meeting).",
    "Der er allerede et møde med samme dato og tema (%(slug)s).":
        "There is already a meeting with the same date and theme (%(slug)s).",
    "Der er endnu ingen møder i %(year)s.": "There are no meetings in %(year)s yet.",
    "Der er ingen forslag endnu.": "There are no proposals yet.",
    "Det blev ikke gemt": "It was not saved",
    "Det, du skrev, er bevaret nedenfor.": "What you wrote is kept below.",
    "Dine forslag": "Your proposals",
    "Emneforslag": "Topic proposals",
    "Emneforslag planlagt til mødet": "Topic proposals planned into the meeting",
    "Emneområder": "Topic areas",
    "Et nyt møde kan ikke planlægges i fortiden.": "A new meeting cannot be planned in the past.",
    "Facilitator": "Facilitator",
    "Facilitatorens note:": "The facilitator's note:",
    "Foreslå et emne": "Propose a topic",
    "Foreslå et emne til netværkets møder. Facilitatorerne samler forslagene og planlægger dem ind i årsplanen.":
        ("Propose a topic for the network's meetings. The facilitators gather the proposals and plan them into the "
         "annual plan."),
    "Foreslået af %(name)s": "Proposed by %(name)s",
    "Formularen var for gammel (eller din session udløb). Det, du skrev, er bevaret – send den igen.":
        "The form was too old (or your session expired). What you wrote is kept – send it again.",
    "Forslagsstiller": "Proposer",
    "Gem mødet": "Save the meeting",
    "Hent i kalender (.ics)": "Add to calendar (.ics)",
    "Hent referat (Word)": "Download minutes (Word)",
    "Hent årsplanen i kalender (.ics)": "Add the annual plan to your calendar (.ics)",
    "Hent årsplanen som Word": "Download the annual plan as Word",
    "Hvem i kæden fra data og forskning til drift og finansiering har brug for svaret?":
        "Who in the chain from data and research to operations and financing needs the answer?",
    "Hvilket spørgsmål skal mødet tage op?": "Which question should the meeting take up?",
    "Hvorfor det er vigtigt": "Why it matters",
    "Hvorfor det er vigtigt på tværs af værdikæden": "Why it matters across the value chain",
    "Inviterede": "Invitees",
    "Inviterede (én pr. linje: navn; organisation; e-mail)": "Invitees (one per line: name; organisation; e-mail)",
    "Inviterede roller": "Invited roles",
    "Inviteret": "Invited",
    "Kendte grupper:": "Known groups:",
    "Køen": "The queue",
    "Møde": "Meeting",
    "Møde redigeret i browseren": "Meeting edited in the browser",
    "Møder": "Meetings",
    "Mødet er aflyst, så der er ingen kalenderfil til det. Årsplanens kalenderfil viser det som aflyst.":
        "The meeting is cancelled, so it has no calendar file. The annual plan's calendar file shows it as cancelled.",
    "Mødet er aflyst.": "The meeting is cancelled.",
    "Mødet er gemt.": "The meeting is saved.",
    "Mødet har ingen dagsorden endnu. Tilføj mindst ét dagsordenspunkt, før referatet laves.":
        "The meeting has no agenda yet. Add at least one agenda item before making the minutes.",
    "Navn og organisation, fx \"Mette Holm, MedTech Innovation Consortium\".":
        "Name and organisation, e.g. \"Mette Holm, MedTech Innovation Consortium\".",
    "Netværkets møder i året: tema, sted og status. Hent hele planen i din kalender eller som Word-dokument.":
        ("The network's meetings of the year: theme, place and status. Get the whole plan in your calendar or as a "
         "Word document."),
    "Ny": "New",
    "Nyt møde": "New meeting",
    "Nyt møde: %(theme)s": "New meeting: %(theme)s",
    "Oplægsholdere": "Speakers",
    "Oplægsholdere (én pr. linje: navn; organisation; oplæggets emne)":
        "Speakers (one per line: name; organisation; topic of the talk)",
    "Planlagt": "Planned",
    "Planlæg": "Plan",
    "Planlæg til mødet": "Plan into the meeting",
    "Problemet": "The problem",
    "Problemformulering": "Problem statement",
    "Rediger mødet": "Edit the meeting",
    "Rediger mødet: %(theme)s": "Edit the meeting: %(theme)s",
    "Referat": "Minutes",
    "Referat (Markdown, valgfrit)": "Minutes (Markdown, optional)",
    "Referat som materiale": "Minutes as a material",
    "Referat som materiale (filnavn, valgfrit)": "Minutes as a material (file name, optional)",
    "Referatet kan laves, når mødet har en dagsorden.": "The minutes can be made once the meeting has an agenda.",
    "Send forslaget": "Send the proposal",
    "Sluttid": "End time",
    "Slå sammen": "Merge",
    "Slå sammen med": "Merge with",
    "Slået sammen": "Merged",
    "Slået sammen hertil:": "Merged into this one:",
    "Starttid": "Start time",
    "Sted": "Place",
    "Tak – dit forslag er sendt. Du kan følge det under \"Dine forslag\".":
        "Thank you – your proposal is sent. You can follow it under \"Your proposals\".",
    "Tema": "Theme",
    "Udfyld referatet i skabelonen": "Fill in the minutes in the template",
    "Udført.": "Done.",
    "Vælg det forslag, det skal slås sammen med.": "Choose the proposal to merge it with.",
    "Vælg det møde, forslaget skal planlægges til.": "Choose the meeting to plan the proposal into.",
    "det samlede forslag er": "the combined proposal is",
    "foreslået af %(name)s": "proposed by %(name)s",
    "med": "with",
    "nr. %(number)s": "no. %(number)s",
    "til mødet": "into the meeting",
    "År": "Year",
    "Årsplan %(year)s": "Annual plan %(year)s",
    "Nedsæt en arbejdsgruppe fra mødet": "Form a working group from the meeting",
    # the security review (issue 14)
    "Der blev ikke gemt, fordi serveren ikke kunne skrive lige nu (en anden gemmer, eller disken er fuld). Din tekst "
    "er bevaret – prøv at gemme igen om lidt.":
        "Nothing was saved because the server could not write just now (someone else is saving, or the disk is "
        "full). Your text is kept – try saving again in a moment.",
    "Din session er udløbet. Log ind igen.": "Your session has expired. Please sign in again.",
    "Du er logget ind igen. Det, du skrev, er bevaret – gem det nu.":
        "You are signed in again. What you wrote is kept – save it now.",
    "E-mail": "E-mail",
    "E-mail for %(name)s": "E-mail for %(name)s",
    "En anden har gemt mødet, siden du åbnede det. Din udgave er bevaret nedenfor: se mødets side i en ny fane, og "
    "gem igen for at bruge din.":
        "Someone else saved the meeting after you opened it. Your version is kept below: look at the meeting's page "
        "in a new tab, and save again to use yours.",
    "For mange forsøg. Vent %(minutes)s minut(ter), og prøv igen.":
        "Too many attempts. Wait %(minutes)s minute(s) and try again.",
    "Rolle, arbejdsgrupper og e-mail": "Role, working groups and e-mail",
    "Søgningen er ikke tilgængelig lige nu. Prøv igen om et minut.":
        "Search is not available right now. Please try again in a minute.",
    "Vælg en af mulighederne i listen.": "Choose one of the options in the list.",
    "Det, du skrev (kopier det, før du logger ind – det kunne ikke gemmes til dig)":
        "What you wrote (copy it before you sign in – it could not be kept for you)",
    "Serveren er optaget lige nu. Prøv igen om lidt.": "The server is busy right now. Please try again shortly.",
    "Teksten er ændret, siden du så den. Se ændringerne igen, og bekræft.":
        "The text has changed since you looked at it. Look at the changes again, and confirm.",
    # regulatory answers and freshness (issue 15)
    "(antaget, og nævnt i dokumentet)": "(assumed, and named in the document)",
    "(udelades, hvis det ikke kan afgøres)": "(left out if it cannot be determined)",
    "Afledte fakta": "Derived facts",
    "Begrundelser for %(name)s": "Reasons for %(name)s",
    "Et ubesvaret spørgsmål tæller aldrig som et nej: det, der afhænger af det, står som »Kan ikke afgøres«, og "
    "tjeklisten medtager punkterne for den strengeste vej.":
        "An unanswered question never counts as a no: what depends on it says \"Cannot be determined\", and the "
        "checklist keeps the items of the strictest path.",
    "Faglig gennemgang": "Expert review",
    "Fagligt gennemgået": "Expert review",
    "Faktum:": "Fact:",
    "Forfalden": "Overdue",
    "Gennemgang": "Reviews",
    "Henvisning": "Reference",
    "Henvisning og rolle": "Reference and role",
    "I rækkefølge. Et faktum uden navn er et trin i ræsonnementet. Begrundelsen er den første, hvis betingelse "
    "gælder.":
        "In order. A fact without a name is a step of the reasoning. The reason is the first whose condition holds.",
    "Ikke planlagt": "Not scheduled",
    "Ingen materialer skal gennemgås inden for den næste måned.":
        "No materials are due for review within the next month.",
    "Ingen tidsfølsomme oplysninger er tjekket for mere end %(months)s måneder siden.":
        "No time-sensitive statements were last checked more than %(months)s months ago.",
    "Ja": "Yes",
    "Konklusionen": "The conclusion",
    "Materiale": "Material",
    "Materialer til gennemgang": "Materials to review",
    "Materialer, hvis faglige gennemgang er forfalden eller skal ske inden for den næste måned, og tidsfølsomme "
    "oplysninger, der ikke er tjekket i et halvt år.":
        "Materials whose expert review is overdue or due within the next month, and time-sensitive statements not"
        " checked for half a year.",
    "Medtages når": "Included when",
    "Modstridende svar": "Contradictory answers",
    "Navne": "Names",
    "Nej": "No",
    "Når": "When",
    "Næste faglige gennemgang": "Next expert review",
    "Næste gennemgang": "Next review",
    "Punkt": "Item",
    "Punkter i afsnittet %(title)s": "Items in the section %(title)s",
    "Punkter i tjeklisten": "Items of the checklist",
    "Regler: %(title)s": "Rules: %(title)s",
    "Se reglerne": "See the rules",
    "Sidst gennemgået": "Last reviewed",
    "Snart": "Soon",
    "Spørgsmål:": "Question:",
    "Svar fra en ældre udgave af spørgeskemaet": "Answers from an earlier version of the questionnaire",
    "Svar, der afvises, fordi de modsiger hinanden": "Answers refused because they contradict each other",
    "Sådan afleder skabelonen sine konklusioner af svarene – til faglig gennemgang. Reglerne er data "
    "(rules.yaml), ikke programkode; udtrykkene bruger navnene i oversigten nederst.":
        "How the template derives its conclusions from the answers – for expert review. The rules are data "
        "(rules.yaml), not program code; the expressions use the names in the list at the bottom.",
    "Sætningen": "The sentence",
    "Sætninger markeret med en måned, fx \"tjekket november 2026\", hvor markeringen er mere end %(months)s måneder"
    " gammel. Tjek oplysningen igen, og ret måneden.":
        "Sentences marked with a month, e.g. \"tjekket november 2026\", where the mark is more than %(months)s "
        "months old. Check the statement again and update the month.",
    "Tidsfølsomme oplysninger": "Time-sensitive statements",
    "Tjekket": "Checked",
    "Trin i ræsonnementet": "Step of the reasoning",
    "Ved ikke": "Don't know",
    "altid": "always",
    "ellers": "otherwise",
    "gennemgangen er forfalden": "the review is overdue",
    "mangler": "missing",
    "næste gennemgang": "next review",
    "trin": "step",
}
