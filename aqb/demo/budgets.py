"""Demo budgets: statewide levels near the published totals, shares by population, published amounts as anchors."""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path
from aqb.errors import AqbError
from aqb.reference import PUBLISHED_FILE, Partner, partners_in
from aqb.demo.seeds import seeded_rng


# Statewide AQB per year in Euro; 2023 is the published 27.7 million, the others stay close to it.
STATEWIDE_EUR = {2019: 26_900_000, 2020: 27_200_000, 2021: 27_300_000, 2022: 27_500_000,
                 2023: 27_700_000, 2024: 27_600_000, 2025: 27_500_000}


STATEWIDE_DEFAULT_EUR = 27_500_000


CITY_FACTOR = 1.75  # cities get more per inhabitant (published: Offenbach ~8 €, Wetteraukreis ~3.7 €)


POPULATION_EXPONENT = 0.8


CAP_START_EUR = 1_500_000  # above this, budgets grow only at CAP_SLOPE: Frankfurt stays near 2.5 million


CAP_SLOPE = 0.25


SOFT_ANCHOR_SPREAD = 0.02  # "gerundet/vorläufig" figures: stay well inside ±3 %


KNOWN_BUDGETS_CENTS = {("06413", 2025): 101_141_000}


@dataclass(frozen=True)
class PublishedAmount:
    ags: str
    year: int
    amount_eur: int
    exact: bool


def published_aqb(reference_dir: Path) -> list[PublishedAmount]:
    path = Path(reference_dir) / PUBLISHED_FILE
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return [
            PublishedAmount(r["ags"].strip(), int(r["year"]), int(r["amount_eur"]), r["precision"].strip() == "exakt")
            for r in rows
            if r["programme"].strip() == "AQB" and r["ags"].strip()
        ]
    except (OSError, KeyError, ValueError) as exc:
        raise AqbError(f"{path}: veröffentlichte Beträge nicht lesbar ({exc}).") from None


def capped_eur(euros: float) -> float:
    return euros if euros <= CAP_START_EUR else CAP_START_EUR + CAP_SLOPE * (euros - CAP_START_EUR)


def population_shares(partners: list[Partner]) -> dict[str, float]:
    weights = {
        p.ags: p.population ** POPULATION_EXPONENT * (CITY_FACTOR if p.kind == "kreisfreie Stadt" else 1.0)
        for p in partners
    }
    total = sum(weights.values())
    capped = {ags: capped_eur(STATEWIDE_DEFAULT_EUR * w / total) for ags, w in weights.items()}
    capped_total = sum(capped.values())
    return {ags: v / capped_total for ags, v in capped.items()}


def level_walk(rng: random.Random, years: list[int]) -> dict[int, float]:
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


def anchor_cents(reference_dir: Path, years: list[int], seed: int) -> dict[tuple[str, int], int]:
    anchors: dict[tuple[str, int], int] = {}
    for row in published_aqb(reference_dir):
        if row.year not in years:
            continue
        if row.exact:
            anchors[(row.ags, row.year)] = row.amount_eur * 100
        else:
            spread = seeded_rng(seed, "soft", row.ags, row.year).uniform(-SOFT_ANCHOR_SPREAD, SOFT_ANCHOR_SPREAD)
            anchors[(row.ags, row.year)] = round(row.amount_eur * (1 + spread) / 100) * 100 * 100
    for key, cents in KNOWN_BUDGETS_CENTS.items():
        if key[1] in years:
            anchors[key] = cents
    return anchors


def demo_budgets(reference_dir: Path, years: list[int], seed: int) -> dict[tuple[str, int], int]:
    by_year = {y: list(partners_in(reference_dir, y)) for y in years}
    everyone = sorted({p.ags: p for y in years for p in by_year[y]}.values(), key=lambda p: p.ags)
    shares = population_shares(everyone)
    anchors = anchor_cents(reference_dir, years, seed)
    raw: dict[tuple[str, int], float] = {}
    for partner in everyone:
        active = [y for y in years if any(p.ags == partner.ags for p in by_year[y])]
        levels = level_walk(seeded_rng(seed, "budget", partner.ags), active)
        for y in active:
            raw[(partner.ags, y)] = shares[partner.ags] * STATEWIDE_EUR.get(y, STATEWIDE_DEFAULT_EUR) * levels[y]
        # Bend the partner's whole series through its published figures (log-linear between them).
        fixed = sorted((y, anchors[(partner.ags, y)] / 100 / raw[(partner.ags, y)])
                       for y in active if (partner.ags, y) in anchors)
        if fixed:
            for y in active:
                raw[(partner.ags, y)] *= interpolate(fixed, y)

    cents: dict[tuple[str, int], int] = {}
    for y in years:
        keys = [(p.ags, y) for p in sorted(by_year[y], key=lambda p: p.ags)]
        pinned = sum(anchors[k] / 100 for k in keys if k in anchors)
        free = [k for k in keys if k not in anchors]
        free_total = sum(raw[k] for k in free)
        scale = (STATEWIDE_EUR.get(y, STATEWIDE_DEFAULT_EUR) - pinned) / free_total if free_total else 1.0
        round_rng = seeded_rng(seed, "round", y)
        for k in keys:
            if k in anchors:
                cents[k] = anchors[k]
                continue
            step = 10 if round_rng.random() < 0.08 else 100  # most budgets are round hundreds
            cents[k] = int(round(raw[k] * scale / step)) * step * 100
    return cents


def interpolate(points: list[tuple[int, float]], year: int) -> float:
    if year <= points[0][0]:
        return points[0][1]
    if year >= points[-1][0]:
        return points[-1][1]
    for (y0, r0), (y1, r1) in zip(points, points[1:]):
        if y0 <= year <= y1:
            t = (year - y0) / (y1 - y0)
            return math.exp(math.log(r0) * (1 - t) + math.log(r1) * t)
    return 1.0
