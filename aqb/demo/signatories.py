"""Demo signatories and signing dates: real ministries, clearly invented people."""

from __future__ import annotations

import random
from datetime import date, timedelta
from aqb.reference import Partner
from aqb.demo.seeds import seeded_rng


MINISTRY_PLACE = "Wiesbaden"


# (first year, ministry, signatory, role); each entry holds until the next one starts. The ministries are
# real institutions, the people signing demo documents are invented (placeholder names, never office holders).
MINISTRIES = (
    (2014, "Hessisches Ministerium für Soziales und Integration", "Max Mustermann", "Staatsminister"),
    (2024, "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales", "Erika Mustermann", "Staatsministerin"),
)


# Published signing dates (ministry, partner): the real 2025 agreement; press reports for 2020.
KNOWN_DATES = {
    ("06413", 2025): (date(2025, 8, 6), date(2025, 8, 11)),
    ("06413", 2020): (date(2020, 6, 23), date(2020, 6, 23)),
    ("06437", 2020): (date(2020, 7, 13), date(2020, 7, 13)),
}


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


def ministry_for_year(year: int) -> tuple[str, str, str]:
    current = MINISTRIES[0]
    for entry in MINISTRIES:
        if year >= entry[0]:
            current = entry
    return current[1], current[2], current[3]


def invented_person(rng: random.Random, kind: str) -> tuple[str, str]:
    roles = ROLES[kind]
    male, female, _ = rng.choices(roles, weights=[r[2] for r in roles])[0]
    gender = rng.choice(("m", "f"))
    title = "Dr. " if rng.random() < 0.12 else ""
    name = f"{title}{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}"
    return name, male if gender == "m" else female


def signers_by_year(partner: Partner, years: list[int], seed: int) -> dict[int, tuple[str, str]]:
    rng = seeded_rng(seed, "signers", partner.ags)
    signers: dict[int, tuple[str, str]] = {}
    person = invented_person(rng, partner.kind)
    remaining = rng.randint(1, 5)  # the first signatory has been in office for a while already
    for y in years:
        if remaining == 0:
            person = invented_person(rng, partner.kind)
            remaining = rng.randint(3, 6)
        signers[y] = person
        remaining -= 1
    return signers


def signing_dates(ags: str, year: int, seed: int) -> tuple[date, date]:
    if (ags, year) in KNOWN_DATES:
        return KNOWN_DATES[(ags, year)]
    # The ministry signs in one campaign per year; partners countersign a few days later.
    campaign = date(year, 4, 20) + timedelta(days=seeded_rng(seed, "campaign", year).randint(0, 55))
    rng = seeded_rng(seed, "dates", ags, year)
    ministry = campaign + timedelta(days=rng.randint(0, 35))
    if rng.random() < 0.1:
        partner = ministry - timedelta(days=rng.randint(1, 6))
    else:
        partner = ministry + timedelta(days=rng.randint(2, 14))
    return ministry, partner
