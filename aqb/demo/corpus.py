"""Seeded demo corpus: plausible Zielvereinbarungen for every partner and year, written as documents."""

from __future__ import annotations

import csv
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from aqb.errors import AqbError
from aqb.model import AgreementSpec, SignatureSpec
from aqb.reference import PUBLISHED_FILE, Partner, partners_in
from aqb.demo.docx_writer import write_docx
from aqb.demo.pdf_writer import write_pdf
from aqb.demo.text_writer import write_text

DEFAULT_SEED = 20251
DEFAULT_YEARS = range(2019, 2026)
MANIFEST_NAME = "manifest.json"
MINISTRY_PLACE = "Wiesbaden"
FILE_NAME_RE = re.compile(r"^zielvereinbarung_\d{4}_\d{5}_demo\.(?:txt|pdf|docx)$")
PDF_SHARE = DOCX_SHARE = 0.10

# (first year, ministry, signatory, role); each entry holds until the next one starts. The ministries are
# real institutions, the people signing demo documents are invented (placeholder names, never office holders).
MINISTRIES = (
    (2014, "Hessisches Ministerium für Soziales und Integration", "Max Mustermann", "Staatsminister"),
    (2024, "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales", "Erika Mustermann", "Staatsministerin"),
)

# Statewide AQB per year in Euro; 2023 is the published 27.7 million, the others stay close to it.
STATEWIDE_EUR = {2019: 26_900_000, 2020: 27_200_000, 2021: 27_300_000, 2022: 27_500_000,
                 2023: 27_700_000, 2024: 27_600_000, 2025: 27_500_000}
STATEWIDE_DEFAULT_EUR = 27_500_000
CITY_FACTOR = 1.75  # cities get more per inhabitant (published: Offenbach ~8 €, Wetteraukreis ~3.7 €)
POPULATION_EXPONENT = 0.8
CAP_START_EUR = 1_500_000  # above this, budgets grow only at CAP_SLOPE: Frankfurt stays near 2.5 million
CAP_SLOPE = 0.25
SOFT_ANCHOR_SPREAD = 0.02  # "gerundet/vorläufig" figures: stay well inside ±3 %

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
KNOWN_BUDGETS_CENTS = {("06413", 2025): 101_141_000}
KNOWN_PROJECTS = {("06413", 2025): REAL_2025_OFFENBACH_PROJECTS}
# Published signing dates (ministry, partner): the real 2025 agreement; press reports for 2020.
KNOWN_DATES = {
    ("06413", 2025): (date(2025, 8, 6), date(2025, 8, 11)),
    ("06413", 2020): (date(2020, 6, 23), date(2020, 6, 23)),
    ("06437", 2020): (date(2020, 7, 13), date(2020, 7, 13)),
}

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

FIRST_NAMES = {
    "m": ("Andreas", "Bernd", "Christian", "Daniel", "Frank", "Günter", "Hans-Peter", "Jens", "Jürgen",
          "Karl-Heinz", "Klaus", "Markus", "Matthias", "Michael", "Norbert", "Oliver", "Peter", "Ralf",
          "Stefan", "Thomas", "Torsten", "Uwe", "Volker", "Wolfgang"),
    "f": ("Andrea", "Anja", "Birgit", "Claudia", "Daniela", "Elke", "Gabriele", "Heike", "Ines", "Julia",
          "Karin", "Katrin", "Kerstin", "Martina", "Monika", "Nicole", "Petra", "Sabine", "Silke",
          "Simone", "Susanne", "Tanja", "Ulrike", "Yvonne"),
}
# Clearly invented surnames, so a demo signature can never be read as a real office holder's.
LAST_NAMES = (
    "Musterhaus", "Beispielmann", "Exempel", "Platzhalter", "Vorlage", "Erdacht", "Fiktivus", "Musterberg",
    "Musterfeld", "Mustertal", "Beispielhof", "Beispielbach", "Probehaus", "Probeberg", "Ersonnen", "Annahme",
    "Musterstein", "Beispielfeld", "Testermann", "Platzhalterin", "Modellhaus", "Schablone", "Attrappe",
    "Mustergut",
)
# (male role, female role, weight) per kind of partner
ROLES = {
    "Landkreis": (
        ("Landrat", "Landrätin", 5),
        ("Erster Kreisbeigeordneter", "Erste Kreisbeigeordnete", 3),
        ("Kreisbeigeordneter", "Kreisbeigeordnete", 2),
    ),
    "kreisfreie Stadt": (
        ("Oberbürgermeister", "Oberbürgermeisterin", 3),
        ("Bürgermeister", "Bürgermeisterin", 3),
        ("Stadtrat/Sozialdezernent", "Stadträtin/Sozialdezernentin", 2),
        ("Stadtrat", "Stadträtin", 2),
    ),
}


@dataclass(frozen=True)
class _Published:
    ags: str
    year: int
    amount_eur: int
    exact: bool


def _rng(seed: int, *labels: object) -> random.Random:
    # One independent stream per purpose: changing the partners or years does not reshuffle the rest.
    return random.Random(":".join(str(x) for x in (seed, *labels)))


def _published_aqb(reference_dir: Path) -> list[_Published]:
    path = Path(reference_dir) / PUBLISHED_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return [
            _Published(r["ags"].strip(), int(r["year"]), int(r["amount_eur"]), r["precision"].strip() == "exakt")
            for r in rows
            if r["programme"].strip() == "AQB" and r["ags"].strip()
        ]
    except (OSError, KeyError, ValueError) as exc:
        raise AqbError(f"{path}: veröffentlichte Beträge nicht lesbar ({exc}).") from None


def _ministry(year: int) -> tuple[str, str, str]:
    current = MINISTRIES[0]
    for entry in MINISTRIES:
        if year >= entry[0]:
            current = entry
    return current[1], current[2], current[3]


# ---------------------------------------------------------------------------------------------
# Budgets


def _capped(euros: float) -> float:
    return euros if euros <= CAP_START_EUR else CAP_START_EUR + CAP_SLOPE * (euros - CAP_START_EUR)


def _shares(partners: list[Partner]) -> dict[str, float]:
    weights = {
        p.ags: p.population ** POPULATION_EXPONENT * (CITY_FACTOR if p.kind == "kreisfreie Stadt" else 1.0)
        for p in partners
    }
    total = sum(weights.values())
    capped = {ags: _capped(STATEWIDE_DEFAULT_EUR * w / total) for ags, w in weights.items()}
    capped_total = sum(capped.values())
    return {ags: v / capped_total for ags, v in capped.items()}


def _level_walk(rng: random.Random, years: list[int]) -> dict[int, float]:
    """Multiplicative deviation from the partner's population share, drifting back towards it."""
    log_level = rng.gauss(0.0, 0.06)
    levels: dict[int, float] = {}
    for year in years:
        levels[year] = math.exp(log_level)
        if rng.random() < 0.92:
            step = rng.gauss(0.0, 0.035)
        else:  # now and then a partner gains or loses a large project
            step = rng.choice((-1, 1)) * rng.uniform(0.10, 0.16)
        log_level = 0.75 * log_level + math.log1p(step)
    return levels


def _anchor_cents(reference_dir: Path, years: list[int], seed: int) -> dict[tuple[str, int], int]:
    anchors: dict[tuple[str, int], int] = {}
    for row in _published_aqb(reference_dir):
        if row.year not in years:
            continue
        if row.exact:
            anchors[(row.ags, row.year)] = row.amount_eur * 100
        else:
            spread = _rng(seed, "soft", row.ags, row.year).uniform(-SOFT_ANCHOR_SPREAD, SOFT_ANCHOR_SPREAD)
            anchors[(row.ags, row.year)] = round(row.amount_eur * (1 + spread) / 100) * 100 * 100
    for key, cents in KNOWN_BUDGETS_CENTS.items():
        if key[1] in years:
            anchors[key] = cents
    return anchors


def _budgets(reference_dir: Path, years: list[int], seed: int) -> dict[tuple[str, int], int]:
    by_year = {y: list(partners_in(reference_dir, y)) for y in years}
    everyone = sorted({p.ags: p for y in years for p in by_year[y]}.values(), key=lambda p: p.ags)
    shares = _shares(everyone)
    anchors = _anchor_cents(reference_dir, years, seed)
    raw: dict[tuple[str, int], float] = {}
    for partner in everyone:
        active = [y for y in years if any(p.ags == partner.ags for p in by_year[y])]
        levels = _level_walk(_rng(seed, "budget", partner.ags), active)
        for y in active:
            raw[(partner.ags, y)] = shares[partner.ags] * STATEWIDE_EUR.get(y, STATEWIDE_DEFAULT_EUR) * levels[y]
        # Bend the partner's whole series through its published figures (log-linear between them).
        fixed = sorted((y, anchors[(partner.ags, y)] / 100 / raw[(partner.ags, y)])
                       for y in active if (partner.ags, y) in anchors)
        if fixed:
            for y in active:
                raw[(partner.ags, y)] *= _interpolate(fixed, y)

    cents: dict[tuple[str, int], int] = {}
    for y in years:
        keys = [(p.ags, y) for p in sorted(by_year[y], key=lambda p: p.ags)]
        pinned = sum(anchors[k] / 100 for k in keys if k in anchors)
        free = [k for k in keys if k not in anchors]
        free_total = sum(raw[k] for k in free)
        scale = (STATEWIDE_EUR.get(y, STATEWIDE_DEFAULT_EUR) - pinned) / free_total if free_total else 1.0
        round_rng = _rng(seed, "round", y)
        for k in keys:
            if k in anchors:
                cents[k] = anchors[k]
                continue
            step = 10 if round_rng.random() < 0.08 else 100  # most budgets are round hundreds
            cents[k] = int(round(raw[k] * scale / step)) * step * 100
    return cents


def _interpolate(points: list[tuple[int, float]], year: int) -> float:
    if year <= points[0][0]:
        return points[0][1]
    if year >= points[-1][0]:
        return points[-1][1]
    for (y0, r0), (y1, r1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            t = (year - y0) / (y1 - y0)
            return math.exp(math.log(r0) * (1 - t) + math.log(r1) * t)
    return 1.0


# ---------------------------------------------------------------------------------------------
# Projects and signatories


def _pick_project(rng: random.Random, taken: list[tuple[int, str]]) -> tuple[int, str] | None:
    names = {name for _, name in taken}
    codes = sorted(TYPE_WEIGHTS)
    for _ in range(20):
        code = rng.choices(codes, weights=[TYPE_WEIGHTS[c] for c in codes])[0]
        choices = [n for n in PROJECT_POOL[code] if n not in names]
        if choices:
            return code, rng.choice(choices)
    return None


def _evolve(rng: random.Random, current: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Next (or previous) year's list: most projects continue, some end, some start."""
    kept = [p for p in current if rng.random() < 0.85]
    target = min(12, max(3, len(current) + rng.choice((-1, 0, 0, 1))))
    while len(kept) > target:
        kept.pop(rng.randrange(len(kept)))
    additions = max(target - len(kept), 1 if rng.random() < 0.4 and len(kept) < 12 else 0)
    for _ in range(additions):
        new = _pick_project(rng, kept + current)
        if new:
            kept.append(new)
    return kept


def _ordered(projects: list[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    # § 5 lists projects under their Maßnahmenart; within one, in the order they were taken up.
    return tuple(sorted(projects, key=lambda p: p[0]))


def _project_lists(ags: str, years: list[int], seed: int) -> dict[int, tuple[tuple[int, str], ...]]:
    rng = _rng(seed, "projects", ags)
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
            new = _pick_project(rng, first)
            if new is None:
                break
            first.append(new)
        lists[start] = first
    index = years.index(start)
    for i in range(index - 1, -1, -1):  # backwards from a known list: time-symmetric process
        lists[years[i]] = _evolve(rng, lists[years[i + 1]])
    for i in range(index + 1, len(years)):
        lists[years[i]] = _evolve(rng, lists[years[i - 1]])
    result = {}
    for y in years:
        fixed = KNOWN_PROJECTS.get((ags, y))
        result[y] = tuple(fixed) if fixed else _ordered(lists[y])
    return result


def _person(rng: random.Random, kind: str) -> tuple[str, str]:
    roles = ROLES[kind]
    male, female, _ = rng.choices(roles, weights=[r[2] for r in roles])[0]
    gender = rng.choice(("m", "f"))
    title = "Dr. " if rng.random() < 0.12 else ""
    name = f"{title}{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}"
    return name, male if gender == "m" else female


def _signers(partner: Partner, years: list[int], seed: int) -> dict[int, tuple[str, str]]:
    rng = _rng(seed, "signers", partner.ags)
    signers: dict[int, tuple[str, str]] = {}
    person = _person(rng, partner.kind)
    remaining = rng.randint(1, 5)  # the first signatory has been in office for a while already
    for y in years:
        if remaining == 0:
            person = _person(rng, partner.kind)
            remaining = rng.randint(3, 6)
        signers[y] = person
        remaining -= 1
    return signers


def _signing_dates(ags: str, year: int, seed: int) -> tuple[date, date]:
    if (ags, year) in KNOWN_DATES:
        return KNOWN_DATES[(ags, year)]
    # The ministry signs in one campaign per year; partners countersign a few days later.
    campaign = date(year, 4, 20) + timedelta(days=_rng(seed, "campaign", year).randint(0, 55))
    rng = _rng(seed, "dates", ags, year)
    ministry = campaign + timedelta(days=rng.randint(0, 35))
    if rng.random() < 0.1:
        partner = ministry - timedelta(days=rng.randint(1, 6))
    else:
        partner = ministry + timedelta(days=rng.randint(2, 14))
    return ministry, partner


# ---------------------------------------------------------------------------------------------
# Public API


def generate_specs(reference_dir: Path, years=DEFAULT_YEARS, seed: int = DEFAULT_SEED) -> list[AgreementSpec]:
    """One demo AgreementSpec per partner and year, ordered by year then AGS; same seed, same list."""
    reference_dir = Path(reference_dir)
    years = sorted(set(int(y) for y in years))
    if not years:
        return []
    budgets = _budgets(reference_dir, years, seed)
    specs: list[AgreementSpec] = []
    per_partner: dict[str, tuple[dict, dict]] = {}
    for partner in sorted({p.ags: p for y in years for p in partners_in(reference_dir, y)}.values(),
                          key=lambda p: p.ags):
        active = [y for y in years if partner.is_partner_in(y)]
        per_partner[partner.ags] = (_project_lists(partner.ags, active, seed), _signers(partner, active, seed))
    for year in years:
        ministry_name, minister, minister_role = _ministry(year)
        for partner in sorted(partners_in(reference_dir, year), key=lambda p: p.ags):
            projects, signers = per_partner[partner.ags]
            ministry_date, partner_date = _signing_dates(partner.ags, year, seed)
            name, role = signers[year]
            specs.append(AgreementSpec(
                year=year,
                partner_ags=partner.ags,
                budget_cents=budgets[(partner.ags, year)],
                ministry_name=ministry_name,
                projects=projects[year],
                signatures=(
                    SignatureSpec(MINISTRY_PLACE, ministry_date, minister, minister_role),
                    SignatureSpec(partner.seat, partner_date, name, role),
                ),
                is_demo=True,
            ))
    return specs


def file_name(spec: AgreementSpec, ext: str) -> str:
    return f"zielvereinbarung_{spec.year}_{spec.partner_ags}_demo.{ext}"


def manifest_entry(spec: AgreementSpec, file_format: str) -> dict:
    """What the document is meant to say, in JSON types (dates ISO, money in cents)."""
    sides = ("ministry", "partner")
    return {
        "year": spec.year,
        "ags": spec.partner_ags,
        "format": file_format,
        "budget_cents": spec.budget_cents,
        "ministry_name": spec.ministry_name,
        "projects": [[code, name] for code, name in spec.projects],
        "signatures": [
            {"side": sides[i] if i < 2 else "other", "place": s.place, "date": s.signed_date.isoformat(),
             "name": s.name, "role": s.role}
            for i, s in enumerate(spec.signatures)
        ],
        "is_demo": spec.is_demo,
    }


def _formats(count: int, seed: int) -> list[str]:
    rng = _rng(seed, "formats")
    n_pdf, n_docx = round(count * PDF_SHARE), round(count * DOCX_SHARE)
    chosen = rng.sample(range(count), n_pdf + n_docx)
    formats = ["txt"] * count
    for i in chosen[:n_pdf]:
        formats[i] = "pdf"
    for i in chosen[n_pdf:]:
        formats[i] = "docx"
    return formats


def _check_replaceable(out_dir: Path) -> None:
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise AqbError(f"{out_dir} ist kein Ordner; der Demo-Bestand braucht einen eigenen Ordner.")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name != MANIFEST_NAME and not FILE_NAME_RE.match(p.name))
    if foreign:
        raise AqbError(f"{out_dir} enthält fremde Dateien ({', '.join(foreign[:3])}); "
                       "der Demo-Bestand ersetzt nur einen eigenen Ordner.")


def write_demo_corpus(out_dir: Path, reference_dir: Path, seed: int = DEFAULT_SEED) -> list[tuple[Path, AgreementSpec]]:
    """Write all demo documents and manifest.json into ``out_dir``, replacing it as a whole.

    The corpus is built in a temporary sibling folder and swapped in by rename, so readers see
    either the old or the new corpus, never a half-written one.
    """
    out_dir = Path(out_dir).absolute()
    reference_dir = Path(reference_dir)
    _check_replaceable(out_dir)
    specs = generate_specs(reference_dir, seed=seed)
    formats = _formats(len(specs), seed)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    written: list[tuple[Path, AgreementSpec]] = []
    try:
        manifest: dict[str, dict] = {}
        for spec, fmt in zip(specs, formats):
            name = file_name(spec, fmt)
            target = staging / name
            if fmt == "pdf":
                write_pdf(spec, target, reference_dir)
            elif fmt == "docx":
                write_docx(spec, target, reference_dir)
            else:
                write_text(spec, target, reference_dir)
            manifest[name] = manifest_entry(spec, fmt)
            written.append((out_dir / name, spec))
        text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        (staging / MANIFEST_NAME).write_text(text, encoding="utf-8", newline="\n")
        os.chmod(staging, 0o755)  # mkdtemp makes it private; the corpus is meant to be read
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written


def _swap_in(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    os.rename(out_dir, retired)
    try:
        os.rename(staging, out_dir)
    except OSError:
        os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from aqb.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(prog="python -m aqb.demo.corpus", description="Demo-Zielvereinbarungen erzeugen.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--reference", type=Path, default=PROJECT_ROOT / "data" / "reference")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    try:
        written = write_demo_corpus(args.out_dir, args.reference, seed=args.seed)
    except AqbError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    print(f"{len(written)} Demo-Dokumente in {args.out_dir} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
