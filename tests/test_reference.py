"""Year-aware reference data: adding Hanau from 2026 is a data change, not a code change."""

from __future__ import annotations

import pytest

from aqb import reference
from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes

HANAU = ("06499,Hanau,Stadt Hanau,kreisfreie Stadt,Darmstadt,Hanau,96000,2019-12-31,"
         "Testzeile,2026-01-01,\n")


@pytest.fixture
def with_hanau(data_dir):
    path = data_dir / "reference" / reference.PARTNERS_FILE
    path.write_text(path.read_text(encoding="utf-8") + HANAU, encoding="utf-8")
    reference.load_partners.cache_clear()
    yield data_dir / "reference"
    reference.load_partners.cache_clear()


def test_partner_counts_by_year(with_hanau):
    assert [len(reference.partners_in(with_hanau, y)) for y in (2019, 2025, 2026, 2030)] == [26, 26, 27, 27]
    assert len(reference.partners_in(reference.PROJECT_ROOT_REFERENCE, 2026)) == 26


def test_hanau_agreement_only_from_2026(with_hanau, seed_text):
    text_2026 = seed_text.replace("2025", "2026").replace("der Stadt Offenbach am Main", "der Stadt Hanau", 1)
    agreement = parse_bytes("hanau.txt", text_2026.encode(), with_hanau, 2**20)
    assert (agreement.partner_ags, agreement.agreement_year, agreement.partner_kind) == ("06499", 2026, "kreisfreie Stadt")
    text_2025 = seed_text.replace("der Stadt Offenbach am Main", "der Stadt Hanau", 1)
    with pytest.raises(DocumentRefused) as info:
        parse_bytes("hanau.txt", text_2025.encode(), with_hanau, 2**20)
    assert str(info.value) == "hanau.txt: Stadt Hanau ist 2025 kein Vertragspartner des AQB."


def test_measure_types():
    types = reference.load_measure_types(reference.PROJECT_ROOT_REFERENCE)
    assert [(t.code, t.label) for t in types] == [
        (1, "Ausbildungsvorbereitung"), (2, "Ausbildung & Coaching"), (3, "Qualifizierung"), (4, "Weiterbildung Personal")
    ]
    assert "Ausbildungs- und Qualifizierungsvorbereitung" in types[0].aliases
