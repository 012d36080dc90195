"""Demo people for the network "Netwerk anno nu" (Utrecht): written in Dutch, person first.

Each row: name, e-mail local part, city, passion (text), passion tags, talent tags,
offer tags, seek tags, company, role. Offers and seeks partly complement each other.
"""

PEOPLE = [
    ("Hanna Vermeulen", "host", "Utrecht", "Starters helpen hun eerste klant te vinden.", ["ondernemerschap", "duurzaamheid"], ["coaching", "verbinden"], ["coaching", "netwerk openen"], ["webdesign", "fotografie"], "Vermeulen Coaching", "coach"),
    ("Mila de Jong", "member", "Utrecht", "Websites die mensen echt helpen.", ["duurzaamheid", "design"], ["webdesign", "ux"], ["webdesign", "ux-review"], ["klanten", "boekhouding"], "Studio Mila", "ontwerper"),
    ("Bram Jansen", "bram", "Utrecht", "Financiën begrijpelijk maken voor zzp'ers.", ["ondernemerschap", "onderwijs"], ["boekhouding", "financieel advies"], ["boekhouding", "belastingaangifte"], ["webdesign", "marketing"], "Jansen Cijfers", "boekhouder"),
    ("Anna Bakker", "anna", "Zeist", "Verhalen vertellen met beeld.", ["fotografie", "natuur"], ["fotografie", "storytelling"], ["fotografie", "portretten"], ["klanten", "sparringpartner"], "Anna Beeld", "fotograaf"),
    ("Daan Visser", "daan", "Utrecht", "Teams laten samenwerken zonder gedoe.", ["samenwerken", "muziek"], ["facilitatie", "projectmanagement"], ["workshops", "facilitatie"], ["webdesign", "juridisch advies"], "Visser & Co", "facilitator"),
    ("Sanne Smit", "sanne", "Nieuwegein", "Eerlijke contracten voor kleine ondernemers.", ["rechtvaardigheid", "ondernemerschap"], ["juridisch advies", "contracten"], ["juridisch advies", "contractreview"], ["marketing", "klanten"], "Smit Legal", "jurist"),
    ("Lucas Meijer", "lucas", "Utrecht", "Marketing zonder poeha.", ["marketing", "sport"], ["marketing", "copywriting"], ["marketing", "copywriting"], ["financieel advies", "fotografie"], "Meijer Merk", "marketeer"),
    ("Fleur de Boer", "fleur", "Houten", "Duurzaam bouwen voor iedereen.", ["duurzaamheid", "architectuur"], ["architectuur", "subsidies"], ["subsidieadvies", "duurzaam bouwen"], ["projectmanagement", "netwerk openen"], "Fleur Architectuur", "architect"),
    ("Noah Mulder", "noah", "Utrecht", "Data die iets vertelt.", ["data", "onderwijs"], ["data-analyse", "python"], ["data-analyse", "dashboards"], ["klanten", "coaching"], "Mulder Data", "data-analist"),
    ("Julia de Groot", "julia", "Utrecht", "Mensen in hun kracht zetten.", ["coaching", "yoga"], ["loopbaancoaching", "luisteren"], ["loopbaancoaching", "intervisie"], ["marketing", "webdesign"], "De Groot Loopbaan", "loopbaancoach"),
    ("Sem Bos", "sem", "Amersfoort", "Goed eten, lokaal geproduceerd.", ["voeding", "duurzaamheid"], ["horeca", "inkoop"], ["catering", "locatie"], ["marketing", "financieel advies"], "Bos Kookt", "kok-ondernemer"),
    ("Lotte Vos", "lotte", "Utrecht", "Onderwijs dat nieuwsgierig maakt.", ["onderwijs", "kunst"], ["didactiek", "training"], ["training", "workshops"], ["data-analyse", "subsidieadvies"], "Lotte Leert", "trainer"),
    ("Finn Peters", "finn", "De Bilt", "Software die mensen niet frustreert.", ["technologie", "muziek"], ["softwareontwikkeling", "python"], ["softwareontwikkeling", "automatisering"], ["ux-review", "klanten"], "Peters Software", "ontwikkelaar"),
    ("Emma Hendriks", "emma", "Utrecht", "Zorg dichter bij mensen brengen.", ["zorg", "samenwerken"], ["zorginnovatie", "projectmanagement"], ["projectmanagement", "zorgnetwerk"], ["softwareontwikkeling", "data-analyse"], "Zorgkracht", "projectleider"),
    ("Levi van Dijk", "levi", "Utrecht", "Ondernemers die elkaar vooruit helpen.", ["ondernemerschap", "sport"], ["verkoop", "onderhandelen"], ["verkooptraining", "onderhandelen"], ["copywriting", "juridisch advies"], "Van Dijk Sales", "verkoopcoach"),
    ("Sophie Dekker", "sophie", "Utrecht", "Communicatie die aankomt.", ["taal", "kunst"], ["copywriting", "redactie"], ["copywriting", "redactie"], ["fotografie", "klanten"], "Woordwerk", "tekstschrijver"),
    ("Milan Brouwer", "milan", "Maarssen", "Stevige IT voor kleine bedrijven.", ["technologie", "fietsen"], ["it-beheer", "beveiliging"], ["it-beheer", "beveiligingscheck"], ["marketing", "boekhouding"], "Brouwer IT", "systeembeheerder"),
    ("Tess van Leeuwen", "tess", "Utrecht", "Kunst midden in de stad.", ["kunst", "design"], ["illustratie", "grafisch ontwerp"], ["illustratie", "huisstijl"], ["klanten", "subsidieadvies"], "Tess Tekent", "illustrator"),
    ("Thijs de Wit", "thijs", "Bunnik", "Financiering vinden voor goede ideeën.", ["ondernemerschap", "duurzaamheid"], ["financiering", "pitchen"], ["financieringsadvies", "pitchtraining"], ["data-analyse", "netwerk openen"], "De Wit Kapitaal", "adviseur"),
    ("Isa Kok", "isa", "Utrecht", "Iedereen hoort erbij.", ["inclusie", "onderwijs"], ["diversiteitsbeleid", "training"], ["inclusietraining", "advies"], ["webdesign", "copywriting"], "Isa Inclusief", "adviseur"),
    ("Ruben Jacobs", "ruben", "Utrecht", "Video die blijft hangen.", ["film", "muziek"], ["video", "montage"], ["video", "montage"], ["klanten", "copywriting"], "Jacobs Film", "videomaker"),
    ("Eva van der Linden", "eva", "IJsselstein", "Gezonde werkplekken.", ["gezondheid", "yoga"], ["vitaliteit", "coaching"], ["vitaliteitsprogramma", "coaching"], ["marketing", "locatie"], "Vitaal Werk", "vitaliteitscoach"),
    ("Jesse Schouten", "jesse", "Utrecht", "Circulaire producten die werken.", ["duurzaamheid", "technologie"], ["productontwerp", "prototyping"], ["prototyping", "productontwerp"], ["financieringsadvies", "juridisch advies"], "Circulair Lab", "productontwerper"),
    ("Zoë Willems", "zoe", "Utrecht", "Evenementen met betekenis.", ["samenwerken", "muziek"], ["evenementen", "organiseren"], ["evenementenorganisatie", "locatie"], ["fotografie", "video"], "Zoë Events", "organisator"),
    ("Stijn Kuipers", "stijn", "Zeist", "Leiderschap dat ruimte geeft.", ["leiderschap", "natuur"], ["teamcoaching", "mediation"], ["mediation", "teamcoaching"], ["data-analyse", "klanten"], "Kuipers Leiderschap", "teamcoach"),
    ("Nina Maas", "nina", "Utrecht", "Social media met een menselijk gezicht.", ["marketing", "fotografie"], ["social media", "content"], ["social media", "contentplanning"], ["boekhouding", "juridisch advies"], "Nina Online", "contentmaker"),
    ("Tim Verbeek", "tim", "Utrecht", "Starters leren ondernemen door te doen.", ["ondernemerschap", "onderwijs"], ["ondernemerschap", "mentoring"], ["mentoring", "businessplan"], ["softwareontwikkeling", "video"], "Verbeek Ondernemen", "mentor"),
    ("Roos Post", "roos", "Utrecht", "Gesprekken die verschil maken.", ["coaching", "taal"], ["gespreksvoering", "intervisie"], ["intervisie", "gesprekstraining"], ["marketing", "webdesign"], "Roos Praat", "trainer"),
    ("Max Dijkstra", "max", "Houten", "Logistiek slimmer en groener.", ["duurzaamheid", "fietsen"], ["logistiek", "procesverbetering"], ["procesverbetering", "logistiek advies"], ["data-analyse", "financieringsadvies"], "Dijkstra Logistiek", "adviseur"),
    ("Liv van den Berg", "liv", "Utrecht", "Wonen en werken in de wijk.", ["wijk", "inclusie"], ["buurtwerk", "verbinden"], ["netwerk openen", "buurtverbinding"], ["subsidieadvies", "projectmanagement"], "Wijkkracht", "wijkondernemer"),
    ("Jayden Koster", "jayden", "Nieuwegein", "Games die iets leren.", ["technologie", "onderwijs"], ["gamedesign", "softwareontwikkeling"], ["gamedesign", "serious games"], ["financieringsadvies", "klanten"], "Koster Games", "gamedesigner"),
    ("Yara Prins", "yara", "Utrecht", "Gezond ondernemen zonder burn-out.", ["gezondheid", "coaching"], ["stresscoaching", "luisteren"], ["stresscoaching", "intervisie"], ["webdesign", "social media"], "Yara Balans", "coach"),
    ("Koen Huisman", "koen", "Utrecht", "Vastgoed dat de buurt dient.", ["wijk", "architectuur"], ["vastgoed", "onderhandelen"], ["locatie", "vastgoedadvies"], ["juridisch advies", "marketing"], "Huisman Ruimte", "vastgoedadviseur"),
    ("Femke Wouters", "femke", "De Bilt", "Vertalen zodat iedereen meedoet.", ["taal", "inclusie"], ["vertalen", "redactie"], ["vertaling", "redactie"], ["klanten", "boekhouding"], "Femke Vertaalt", "vertaler"),
    ("Gijs van Wijk", "gijs", "Utrecht", "Energie uit de buurt, voor de buurt.", ["duurzaamheid", "wijk"], ["energieadvies", "subsidies"], ["energieadvies", "subsidieadvies"], ["copywriting", "evenementenorganisatie"], "Buurtstroom", "energieadviseur"),
    ("Amber Sluiter", "amber", "Utrecht", "Ontwerpen met mensen, niet voor mensen.", ["design", "samenwerken"], ["service design", "ux"], ["service design", "ux-review"], ["financieringsadvies", "data-analyse"], "Amber Ontwerpt", "service designer"),
    ("Olivier Claes", "olivier", "Maarssen", "Muziek als verbinder.", ["muziek", "onderwijs"], ["muziekeducatie", "optreden"], ["workshops", "optreden"], ["marketing", "locatie"], "Klankkast", "muziekdocent"),
    ("Mirthe Hoekstra", "mirthe", "Utrecht", "Kinderopvang met aandacht.", ["zorg", "onderwijs"], ["pedagogiek", "organiseren"], ["advies kinderopvang", "training"], ["boekhouding", "it-beheer"], "Kleine Stappen", "ondernemer"),
    ("Hugo Lammers", "hugo", "Utrecht", "Verhalen van ondernemers opschrijven.", ["taal", "ondernemerschap"], ["journalistiek", "interviewen"], ["interviews", "copywriting"], ["fotografie", "video"], "Lammers Tekst", "journalist"),
    ("Lina Aydin", "lina", "Utrecht", "Ondernemen als nieuwkomer.", ["inclusie", "ondernemerschap"], ["vertalen", "verbinden"], ["vertaling", "netwerk openen"], ["businessplan", "financieringsadvies"], "Aydin Brug", "ondernemer"),
]

# The second, smaller network shares a few people (by e-mail local part).
SECOND_NETWORK_SHARED = ["host", "member", "bram", "noah", "finn", "emma"]
SECOND_NETWORK_OWN = [
    ("Pieter Gerritsen", "pieter", "Amersfoort", "Zorgtechnologie die werkt.", ["zorg", "technologie"], ["zorg-ict", "implementatie"], ["implementatie", "advies"], ["data-analyse", "softwareontwikkeling"], "Gerritsen Zorg-ICT", "adviseur"),
    ("Marloes Timmer", "marloes", "Amersfoort", "Ouderen langer thuis.", ["zorg", "wijk"], ["wijkverpleging", "organiseren"], ["zorgnetwerk", "advies"], ["projectmanagement", "marketing"], "Thuis Zorgt", "wijkverpleegkundige"),
    ("Wouter Brink", "wouter", "Leusden", "Veilige data in de zorg.", ["technologie", "zorg"], ["beveiliging", "privacy"], ["privacyadvies", "beveiligingscheck"], ["klanten", "juridisch advies"], "Brink Privacy", "privacy officer"),
]
