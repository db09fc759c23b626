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
