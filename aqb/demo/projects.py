"""Demo projects: a pool per Maßnahmenart that evolves year by year; the real 2025 Offenbach list kept."""

from __future__ import annotations

import random
from aqb.demo.seeds import seeded_rng


# The real 2025 agreement for Offenbach am Main (data/agreements/): the demo repeats its facts.
REAL_2025_OFFENBACH_PROJECTS = (
    (1, "Berufsvorbereitung Elektro"),
    (2, "BaE Teilzeit"),
    (2, "Coaching und Unterrichtshilfen (CUBA)"),
    (3, "Jobcoach"),
    (3, "Interkulturelle Gruppe"),
    (3, "Coaching von jungen Wohnungssuchenden"),
    (3, "Fallmanagement für Erziehende"),
    (3, "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen"),
    (4, "Schulungen für Mitarbeiter/innen"),
)


KNOWN_PROJECTS = {("06413", 2025): REAL_2025_OFFENBACH_PROJECTS}


PROJECT_POOL: dict[int, tuple[str, ...]] = {
    1: (
        "Berufsvorbereitung Elektro",
        "Berufsvorbereitung Holz und Farbe",
        "Berufsvorbereitung Metall",
        "Berufsvorbereitung Pflege und Gesundheit",
        "Ausbildungsvorbereitung in Teilzeit für junge Mütter",
        "Ausbildungsvorbereitung Lager und Logistik",
        "Ausbildungsvorbereitung Grüne Berufe",
        "Berufsorientierung für junge Geflüchtete",
        "„Fit für die Ausbildung“",
        "Praxisklasse Handwerk",
        "Einstiegsqualifizierung mit sozialpädagogischer Begleitung (EQ plus)",
        "Produktionsschule",
        "Werkstattjahr Gastronomie und Hauswirtschaft",
        "„Startklar“ – Ausbildungsvorbereitung für Jugendliche ohne Schulabschluss",
        "Kompetenzfeststellung und Berufswegeplanung",
        "Sprachförderung mit berufspraktischen Anteilen (SprInt)",
        "Jugendwerkstatt",
        "Vorbereitung auf den Hauptschulabschluss mit Praxisanteil",
    ),
    2: (
        "BaE Teilzeit",
        "Coaching und Unterrichtshilfen (CUBA)",
        "Außerbetriebliche Ausbildung (BaE) kooperativ",
        "Ausbildungscoaching",
        "Teilzeitausbildung für Alleinerziehende",
        "Ausbildungsbegleitende Hilfen plus",
        "„Ausbildung statt Abbruch“",
        "Verbundausbildung Pflegefachkraft",
        "Ausbildung zur Fachkraft für Lagerlogistik",
        "Assistierte Ausbildung für Geflüchtete",
        "Ausbildungsplatzakquise und Matching",
        "Ausbildung im Hotel- und Gaststättengewerbe (Kooperationsmodell)",
        "Ausbildungscoaching für junge Menschen mit Migrationshintergrund",
        "Ausbildung zur Kauffrau/zum Kaufmann für Büromanagement in Teilzeit",
        "Nachhilfe und Prüfungsvorbereitung",
        "Ausbildungsbegleitung Handwerk",
        "Kooperative Ausbildung Metall und Elektro",
    ),
    3: (
        "Jobcoach",
        "Interkulturelle Gruppe",
        "Coaching von jungen Wohnungssuchenden",
        "Fallmanagement für Erziehende",
        "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
        "„Perspektive Arbeit“",
        "Sprach- und Berufsorientierung für Geflüchtete",
        "Qualifizierung zur Alltagsbegleitung in der Pflege",
        "Teilqualifizierung Lager und Logistik",
        "Brückenqualifizierung für Frauen",
        "Beschäftigungsorientiertes Fallmanagement",
        "Frauen in Arbeit – Wiedereinstieg nach der Familienphase",
        "Qualifizierung Hauswirtschaft und Reinigung",
        "Berufsbezogene Deutschförderung mit Praktikum",
        "„Neustart“ – Coaching für Langzeitarbeitslose",
        "Arbeitsmarktintegration von Menschen mit Behinderungen",
        "Qualifizierung Küche und Service",
        "Aufsuchende Beratung im Quartier",
        "Schuldnerberatung mit Arbeitsmarktbezug",
        "Integrationsbegleitung für zugewanderte Familien",
        "Qualifizierung für Fahrdienste und Personenbeförderung",
        "Digitale Grundbildung für Arbeitsuchende",
        "Anerkennungsberatung und Nachqualifizierung bei ausländischen Berufsabschlüssen",
        "Kinderbetreuung während der Qualifizierung",
        "Gesundheitsorientiertes Coaching (GoC)",
        "„Mama lernt Deutsch“ mit Berufsorientierung",
        "Job-Café",
        "Stabilisierungsgruppe für Menschen mit Suchterfahrung",
        "Qualifizierung Garten- und Landschaftsbau",
        "Grundqualifizierung Pflegehelfer/in",
        "Coaching für Alleinerziehende im SGB II",
        "Berufliche Orientierung für Frauen mit Fluchterfahrung",
        "Qualifizierung im Einzelhandel (Kasse, Warenverräumung)",
        "Netzwerk Wohnen und Arbeiten",
        "Arbeitsgelegenheiten mit Qualifizierungsanteil",
        "Mobilitätstraining und Führerscheinförderung",
        "„Zukunft durch Arbeit“ – Qualifizierung und Vermittlung für Menschen über 50 Jahre in "
        "Kooperation mit dem Jobcenter",
    ),
    4: (
        "Schulungen für Mitarbeiter/innen",
        "Fortbildung interkulturelle Kompetenz für Fachkräfte",
        "Supervision und kollegiale Beratung",
        "Qualifizierung Fallmanagement (Zertifikatskurs)",
        "Fachtag Übergang Schule–Beruf",
        "Weiterbildung Gesprächsführung und Motivation",
        "Fortbildung zum Teilhabechancengesetz und SGB II",
        "Schulungen zu Trauma und Flucht",
    ),
}


TYPE_WEIGHTS = {1: 0.22, 2: 0.20, 3: 0.50, 4: 0.08}


def pick_project(rng: random.Random, taken: list[tuple[int, str]]) -> tuple[int, str] | None:
    names = {name for _, name in taken}
    codes = sorted(TYPE_WEIGHTS)
    for _ in range(20):
        code = rng.choices(codes, weights=[TYPE_WEIGHTS[c] for c in codes])[0]
        choices = [n for n in PROJECT_POOL[code] if n not in names]
        if choices:
            return code, rng.choice(choices)
    return None


def evolve(rng: random.Random, current: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Next (or previous) year's list: most projects continue, some end, some start."""
    kept = [p for p in current if rng.random() < 0.85]
    target = min(12, max(3, len(current) + rng.choice((-1, 0, 0, 1))))
    while len(kept) > target:
        kept.pop(rng.randrange(len(kept)))
    additions = max(target - len(kept), 1 if rng.random() < 0.4 and len(kept) < 12 else 0)
    for _ in range(additions):
        new = pick_project(rng, kept + current)
        if new:
            kept.append(new)
    return kept


def ordered_projects(projects: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    # § 5 lists projects under their Maßnahmenart; within one, in the order they were taken up.
    return tuple(sorted(projects, key=lambda p: p[0]))


def project_lists(ags: str, years: list[int], seed: int) -> dict[int, tuple[tuple[int, str], ...]]:
    rng = seeded_rng(seed, "projects", ags)
    known = [y for y in years if (ags, y) in KNOWN_PROJECTS]
    lists: dict[int, list[tuple[int, str]]] = {}
    if known:
        start = known[-1]
        lists[start] = list(KNOWN_PROJECTS[(ags, start)])
    else:
        start = years[0]
        count = rng.choice((4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 10))
        first: list[tuple[int, str]] = []
        while len(first) < count:
            new = pick_project(rng, first)
            if new is None:
                break
            first.append(new)
        lists[start] = first
    index = years.index(start)
    for i in range(index - 1, -1, -1):  # backwards from a known list: time-symmetric process
        lists[years[i]] = evolve(rng, lists[years[i + 1]])
    for i in range(index + 1, len(years)):
        lists[years[i]] = evolve(rng, lists[years[i - 1]])
    result = {}
    for y in years:
        fixed = KNOWN_PROJECTS.get((ags, y))
        result[y] = tuple(fixed) if fixed else ordered_projects(lists[y])
    return result
