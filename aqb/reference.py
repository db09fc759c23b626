"""Reference data: the Gebietskörperschaften (year-aware) and the four Maßnahmenarten."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from aqb.errors import AqbError

PARTNERS_FILE = "gebietskoerperschaften.csv"
MEASURE_TYPES_FILE = "massnahmenarten.csv"
PUBLISHED_FILE = "published_amounts.csv"
PROJECT_ROOT_REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"


@dataclass(frozen=True)
class Partner:
    """A Landkreis or kreisfreie Stadt that signs an agreement, valid within [valid_from, valid_to]."""

    ags: str
    name: str
    official_name: str
    kind: str  # "Landkreis" or "kreisfreie Stadt"
    regierungsbezirk: str
    seat: str
    population: int
    population_date: date
    population_source: str
    valid_from: date | None
    valid_to: date | None

    def is_partner_in(self, year: int) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= date(year, 12, 31)
        ends_ok = self.valid_to is None or self.valid_to >= date(year, 1, 1)
        return starts_ok and ends_ok


@dataclass(frozen=True)
class MeasureType:
    code: int
    name: str
    label: str
    aliases: tuple[str, ...]

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _opt_date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


@lru_cache(maxsize=8)
def load_partners(reference_dir: Path) -> tuple[Partner, ...]:
    """All partner rows (every validity period). Raises AqbError on a malformed file."""
    path = reference_dir / PARTNERS_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        partners = tuple(
            Partner(
                ags=row["ags"].strip(),
                name=row["name"].strip(),
                official_name=row["official_name"].strip(),
                kind=row["kind"].strip(),
                regierungsbezirk=row["regierungsbezirk"].strip(),
                seat=row["seat"].strip(),
                population=int(row["population"]),
                population_date=date.fromisoformat(row["population_date"]),
                population_source=row["population_source"].strip(),
                valid_from=_opt_date(row.get("valid_from") or ""),
                valid_to=_opt_date(row.get("valid_to") or ""),
            )
            for row in rows
        )
    except (OSError, KeyError, ValueError) as exc:
        raise AqbError(f"{path}: Referenzdatei der Gebietskörperschaften ist fehlerhaft ({exc}).") from None
    bad_kinds = {p.kind for p in partners} - {"Landkreis", "kreisfreie Stadt"}
    if bad_kinds:
        raise AqbError(f"{path}: unbekannte Art(en) {sorted(bad_kinds)}.")
    return partners


def partners_in(reference_dir: Path, year: int) -> tuple[Partner, ...]:
    """The partners that sign an agreement in ``year`` (26 until 2025, 27 with Hanau from 2026)."""
    return tuple(p for p in load_partners(reference_dir) if p.is_partner_in(year))


@lru_cache(maxsize=8)
def load_measure_types(reference_dir: Path) -> tuple[MeasureType, ...]:
    path = reference_dir / MEASURE_TYPES_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            types = tuple(
                MeasureType(
                    code=int(row["measure_type_code"]),
                    name=row["measure_type_name"].strip(),
                    label=row["measure_type_label"].strip(),
                    aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                )
                for row in csv.DictReader(fh)
            )
    except (OSError, KeyError, ValueError) as exc:
        raise AqbError(f"{path}: Referenzdatei der Maßnahmenarten ist fehlerhaft ({exc}).") from None
    if sorted(t.code for t in types) != [1, 2, 3, 4]:
        raise AqbError(f"{path}: erwartet werden genau die Maßnahmenarten 1 bis 4.")
    return types


POPULATION_FILE = "population.csv"
PROJECT_ALIASES_FILE = "project_aliases.csv"
POPULATION_BASES = ("Zensus 2011", "Zensus 2022")
# Figures up to 31.12.2023 are updated from the Zensus 2011, later ones from the Zensus 2022.
ZENSUS_2022_FROM = date(2024, 1, 1)
ZENSUS_2022_DAY = date(2022, 5, 15)


@dataclass(frozen=True)
class PopulationFigure:
    """Inhabitants of one partner's territory on one Stichtag.

    ``territory_from`` / ``territory_to`` say for which agreement years the territory is the
    partner's: the Main-Kinzig-Kreis has one territory with Hanau (to 2025) and one without.
    """

    ags: str
    name: str
    stichtag: date
    population: int
    basis: str
    territory_from: date | None
    territory_to: date | None
    source: str
    note: str


def expected_basis(stichtag: date) -> str:
    return "Zensus 2022" if stichtag == ZENSUS_2022_DAY or stichtag >= ZENSUS_2022_FROM else "Zensus 2011"


def _stamp(path: Path) -> int:
    """The file's modification time, so a cache sees staff edits in a long-running process."""
    return path.stat().st_mtime_ns if path.exists() else -1


def load_population(reference_dir: Path) -> tuple[PopulationFigure, ...]:
    """All population figures; raises AqbError naming the file and line of a bad row."""
    path = reference_dir / POPULATION_FILE
    return _load_population(path, _stamp(path))


@lru_cache(maxsize=8)
def _load_population(path: Path, stamp: int) -> tuple[PopulationFigure, ...]:
    if stamp < 0:
        return ()
    figures: list[PopulationFigure] = []
    seen: set[tuple] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                figure = PopulationFigure(
                    ags=row["ags"].strip(), name=row["name"].strip(),
                    stichtag=date.fromisoformat(row["stichtag"].strip()), population=int(row["population"]),
                    basis=row["basis"].strip(), territory_from=_opt_date(row["territory_from"] or ""),
                    territory_to=_opt_date(row["territory_to"] or ""), source=row["source"].strip(),
                    note=(row.get("note") or "").strip(),
                )
            except (KeyError, ValueError, TypeError) as exc:
                raise AqbError(f"{path.name}, Zeile {n}: Einwohnerzahl fehlerhaft ({exc}).") from None
            if figure.population <= 0 or not figure.source:
                raise AqbError(f"{path.name}, Zeile {n}: Einwohnerzahl muss positiv sein und eine Quelle haben.")
            if figure.basis != expected_basis(figure.stichtag):
                raise AqbError(f"{path.name}, Zeile {n}: Stichtag {figure.stichtag.isoformat()} gehört zur Basis "
                               f"„{expected_basis(figure.stichtag)}“, nicht „{figure.basis}“.")
            key = (figure.ags, figure.territory_from, figure.stichtag)
            if key in seen:
                raise AqbError(f"{path.name}, Zeile {n}: {figure.ags} zum {figure.stichtag.isoformat()} doppelt.")
            seen.add(key)
            figures.append(figure)
    return tuple(figures)


@dataclass(frozen=True)
class ProjectAlias:
    """A staff decision on how a project continues: ``project_name`` in ``agreement_year``
    continues ``previous_name`` of the year before (empty ``previous_name``: it is new, match nothing)."""

    ags: str
    agreement_year: int
    previous_name: str
    project_name: str
    note: str
    line: int = 0  # its line in the CSV (header = 1), so a check can name the row


def load_project_aliases(reference_dir: Path) -> tuple[ProjectAlias, ...]:
    """The alias list; raises AqbError naming the file and line of a bad row."""
    path = reference_dir / PROJECT_ALIASES_FILE
    return _load_project_aliases(path, _stamp(path))


@lru_cache(maxsize=8)
def _load_project_aliases(path: Path, stamp: int) -> tuple[ProjectAlias, ...]:
    if stamp < 0:
        return ()
    aliases = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                alias = ProjectAlias(
                    ags=row["ags"].strip(), agreement_year=int(row["agreement_year"]),
                    previous_name=(row["previous_name"] or "").strip(), project_name=row["project_name"].strip(),
                    note=(row.get("note") or "").strip(), line=n,
                )
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                raise AqbError(f"{path.name}, Zeile {n}: Eintrag fehlerhaft ({exc}).") from None
            if not alias.ags or not alias.project_name:
                raise AqbError(f"{path.name}, Zeile {n}: ags und project_name sind Pflicht.")
            aliases.append(alias)
    return tuple(aliases)


@dataclass(frozen=True)
class TerritorySplit:
    """A partner that gives up part of its territory to a new partner in ``effective_year``.

    Its time series can be shown "mit <name>" (the two summed from ``effective_year`` on), so the
    years before and after the split stay comparable; statewide totals never need this.
    """

    partner_ags: str
    split_off_ags: str
    split_off_name: str
    effective_year: int

    @property
    def partner_keys(self) -> list[str]:
        return [self.partner_ags, self.split_off_ags]


# Hanau leaves the Main-Kinzig-Kreis on 1.1.2026 (data/reference/README.md).
TERRITORY_SPLITS = (TerritorySplit("06435", "06415", "Hanau", 2026),)


def split_for(ags: str) -> TerritorySplit | None:
    """The split the partner takes part in (either side), if any."""
    return next((s for s in TERRITORY_SPLITS if ags in (s.partner_ags, s.split_off_ags)), None)
