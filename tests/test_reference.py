"""Year-aware reference data: Hanau is a kreisfreie Stadt from 2026, the Main-Kinzig-Kreis is smaller."""

from __future__ import annotations

from datetime import date

import pytest

from aqb import reference
from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes

ROOT = reference.PROJECT_ROOT_REFERENCE


def test_partner_counts_by_year():
    assert [len(reference.partners_in(ROOT, y)) for y in (2019, 2025, 2026, 2030)] == [26, 26, 27, 27]


def test_hanau_and_the_smaller_main_kinzig_kreis_from_2026():
    def row(ags, year):
        return next(p for p in reference.partners_in(ROOT, year) if p.ags == ags)

    hanau = row("06415", 2026)
    assert (hanau.name, hanau.kind, hanau.valid_from, hanau.population) == (
        "Hanau", "kreisfreie Stadt", date(2026, 1, 1), 101364)
    assert "06415" not in {p.ags for p in reference.partners_in(ROOT, 2025)}
    before, after = row("06435", 2025), row("06435", 2026)
    assert (before.population, before.valid_to, after.population, after.valid_from) == (
        420552, date(2025, 12, 31), 329474, date(2026, 1, 1))
    # The Main-Kinzig-Kreis of 2026 plus Hanau is the Kreis of 31.12.2022 (430.838).
    assert after.population + hanau.population == 430838


def test_hanau_agreement_only_from_2026(data_dir, seed_text):
    ref = data_dir / "reference"
    text_2026 = seed_text.replace("2025", "2026").replace("der Stadt Offenbach am Main", "der Stadt Hanau", 1)
    agreement = parse_bytes("hanau.txt", text_2026.encode(), ref, 2**20)
    assert (agreement.partner_ags, agreement.agreement_year, agreement.partner_kind) == ("06415", 2026, "kreisfreie Stadt")
    text_2025 = seed_text.replace("der Stadt Offenbach am Main", "der Stadt Hanau", 1)
    with pytest.raises(DocumentRefused) as info:
        parse_bytes("hanau.txt", text_2025.encode(), ref, 2**20)
    assert str(info.value) == "hanau.txt: Brüder-Grimm-Stadt Hanau ist 2025 kein Vertragspartner des AQB."


@pytest.mark.parametrize("year", [2025, 2026])
def test_main_kinzig_kreis_is_one_partner_in_both_periods(data_dir, seed_text, year):
    text = seed_text.replace("2025", str(year)).replace("der Stadt Offenbach am Main", "dem Main-Kinzig-Kreis", 1)
    agreement = parse_bytes("mkk.txt", text.encode(), data_dir / "reference", 2**20)
    assert (agreement.partner_ags, agreement.agreement_year) == ("06435", year)


def test_measure_types():
    types = reference.load_measure_types(reference.PROJECT_ROOT_REFERENCE)
    assert [(t.code, t.label) for t in types] == [
        (1, "Ausbildungsvorbereitung"), (2, "Ausbildung & Coaching"), (3, "Qualifizierung"), (4, "Weiterbildung Personal")
    ]
    assert "Ausbildungs- und Qualifizierungsvorbereitung" in types[0].aliases
