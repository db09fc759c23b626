"""Population by year: one common Stichtag per budget year, per-capita values and labels that name it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from aqb import fmt, reference
from aqb.errors import AqbError
from aqb.settings import PROJECT_ROOT
from aqb.store import reader
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file

COLUMNS = ["ags", "name", "stichtag", "population", "basis", "territory_from", "territory_to", "source", "note"]
# Budget year -> the Stichtag the rule must pick from the synthetic table below.
EXPECTED_STICHTAG = {
    2021: date(2020, 12, 31),   # 31.12. of the year before, all partners have it
    2022: date(2020, 12, 31),   # 31.12.2021 lacks Darmstadt -> latest earlier date all have
    2024: date(2023, 12, 31),
    2025: date(2024, 12, 31),   # Zensus-2022 base
}
BUDGETS = {("06413", 2021): 900_000, ("06413", 2022): 950_000, ("06413", 2024): 1_000_000,
           ("06413", 2025): 1_011_410, ("06411", 2021): 700_000, ("06411", 2022): 720_000,
           ("06411", 2024): 760_000, ("06411", 2025): 800_000}


def synthetic_population(reference_dir: Path) -> dict[tuple[str, date], int]:
    """Figures for every partner up to 2025 on several dates; 31.12.2021 is missing for Darmstadt."""
    figures: dict[tuple[str, date], int] = {}
    rows = []
    partners = [p for p in reference.load_partners(reference_dir) if p.is_partner_in(2025)]
    for i, p in enumerate(partners):
        for day, base in ((date(2019, 12, 31), 100_000), (date(2020, 12, 31), 101_000), (date(2021, 12, 31), 102_000),
                          (date(2023, 12, 31), 104_000), (date(2024, 12, 31), 99_000)):
            if p.ags == "06411" and day == date(2021, 12, 31):
                continue
            population = base + 137 * i + (day.year % 7) * 11
            figures[(p.ags, day)] = population
            rows.append({"ags": p.ags, "name": p.name, "stichtag": day.isoformat(), "population": population,
                         "basis": reference.expected_basis(day), "territory_from": "",
                         "territory_to": p.valid_to.isoformat() if p.valid_to else "", "source": "Testdaten",
                         "note": ""})
    with (reference_dir / reference.POPULATION_FILE).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return figures


@pytest.fixture
def per_capita_store(settings):
    figures = synthetic_population(settings.reference_dir)
    for (ags, year), euros in BUDGETS.items():
        agreement_file(settings, ags, year, euros)
    report = ingest_paths([settings.agreements_dir], settings)
    assert report.count("neu") == len(BUDGETS)
    con, _ = reader.connect(settings)
    yield con, figures
    con.close()


def test_per_capita_uses_one_common_stichtag_per_year(per_capita_store):
    con, figures = per_capita_store
    frame = run_query(con, "budget_by_partner_year", year_from=2021, year_to=2025, regierungsbezirke=[],
                      partner_kinds=[], include_demo=True)
    for year, stichtag in EXPECTED_STICHTAG.items():
        rows = frame[frame["agreement_year"] == year]
        assert set(rows["population_stichtag"].dt.date) == {stichtag}, year
        assert set(rows["population_basis"]) == {reference.expected_basis(stichtag)}
        assert rows["population"].notna().all()
    recomputed = {}
    for row in frame[frame["has_agreement"]].itertuples():
        stichtag = EXPECTED_STICHTAG[row.agreement_year]
        recomputed[(row.partner_ags, row.agreement_year)] = round(
            BUDGETS[(row.partner_ags, row.agreement_year)] / figures[(row.partner_ags, stichtag)], 9)
    shown = {(r.partner_ags, r.agreement_year): round(r.budget_per_inhabitant_eur, 9)
             for r in frame[frame["has_agreement"]].itertuples()}
    assert shown == recomputed
    assert len(shown) == 8


def test_totals_and_history_use_the_same_stichtag(per_capita_store):
    con, figures = per_capita_store
    totals = run_query(con, "budget_total_by_year", year_from=2021, year_to=2025, regierungsbezirke=[],
                       partner_kinds=[], include_demo=True).set_index("agreement_year")
    for year, stichtag in EXPECTED_STICHTAG.items():
        budget = BUDGETS[("06413", year)] + BUDGETS[("06411", year)]
        population = figures[("06413", stichtag)] + figures[("06411", stichtag)]
        assert totals.loc[year, "budget_per_inhabitant_eur"] == pytest.approx(budget / population)
        assert totals.loc[year, "population_stichtag"].date() == stichtag
    history = run_query(con, "briefing_budget_history", partner_ags="06413", include_demo=True)
    assert {(r.agreement_year, r.population_stichtag.date()) for r in history.itertuples()} == {
        (y, d) for y, d in EXPECTED_STICHTAG.items()}
    assert list(history["budget_per_inhabitant_eur"].round(9)) == [
        round(BUDGETS[("06413", y)] / figures[("06413", d)], 9) for y, d in sorted(EXPECTED_STICHTAG.items())]


def test_labels_name_the_stichtag(per_capita_store):
    con, _ = per_capita_store
    frame = run_query(con, "budget_by_partner_year", year_from=2021, year_to=2025, regierungsbezirke=[],
                      partner_kinds=[], include_demo=True)
    year_2025 = frame[frame["agreement_year"] == 2025]
    assert fmt.per_inhabitant_label(year_2025["population_stichtag"]) == "€ je Einwohner (Stand 31.12.2024)"
    note = fmt.stichtag_note(zip(frame["agreement_year"], frame["population_stichtag"], frame["population_basis"]))
    # 2023 has no agreement here; its partners still get one date (31.12.2022 is missing for all).
    assert note == ("Einwohner zum gemeinsamen Stichtag je Budgetjahr: 2021–2023: 31.12.2020 (Zensus 2011); "
                    "2024: 31.12.2023 (Zensus 2011); 2025: 31.12.2024 (Zensus 2022)")


def test_real_population_table_falls_back_to_2019_while_2023_is_incomplete(settings):
    figures = reference.load_population(settings.reference_dir)
    partners_2025 = {p.ags for p in reference.partners_in(settings.reference_dir, 2025)}
    on_2023 = {f.ags for f in figures if f.stichtag == date(2023, 12, 31)} & partners_2025
    assert len(on_2023) == 19 and len(partners_2025) == 26
    agreement_file(settings, "06413", 2025, 1_011_410)
    ingest_paths([settings.agreements_dir], settings)
    con, _ = reader.connect(settings)
    try:
        rows = con.execute("select agreement_year, population_stichtag, count(*), sum(population)"
                           " from population_in_years(2024, 2026) group by all order by 1").fetchall()
    finally:
        con.close()
    # 2026 has 27 partners and Hanau/the smaller Main-Kinzig-Kreis only have 31.12.2022: no common date.
    assert rows == [(2024, date(2019, 12, 31), 26, 6_288_080), (2025, date(2019, 12, 31), 26, 6_288_080)]


def test_bad_population_row_is_refused_with_file_and_line(tmp_path):
    (tmp_path / reference.POPULATION_FILE).write_text(
        ",".join(COLUMNS) + "\n06413,Offenbach,2024-12-31,136000,Zensus 2011,,,Quelle,\n", encoding="utf-8")
    with pytest.raises(AqbError, match=r"population.csv, Zeile 2: Stichtag 2024-12-31 gehört zur Basis „Zensus 2022“"):
        reference.load_population(tmp_path)


def test_repository_population_table_is_valid():
    figures = reference.load_population(PROJECT_ROOT / "data" / "reference")
    hanau = [f for f in figures if f.ags == "06415"]
    assert {(f.stichtag, f.population) for f in hanau} == {(date(2022, 12, 31), 101_364), (date(2022, 5, 15), 93_632)}
    assert all(f.territory_from == date(2026, 1, 1) for f in hanau)


def test_pages_name_the_stichtag(per_capita_store):
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import DASHBOARD, key_figures

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["darstellung"] = "je Einwohner"
    at.query_params["jahr"] = "2025"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "€ je Einwohner 2025 (Stand 31.12.2024)" in [m.label for m in key_figures(at)]
    subheaders = [h.value for h in at.header]  # chart titles are h2 (st.header)
    assert "Alle Gebietskörperschaften 2025 nach € je Einwohner (Stand 31.12.2024)" in subheaders
    texts = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "2024: 31.12.2023 (Zensus 2011); 2025: 31.12.2024 (Zensus 2022)" in texts
    at.switch_page("pages/jahresvergleich.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Einwohner zum gemeinsamen Stichtag je Budgetjahr: " in texts and "2025: 31.12.2024 (Zensus 2022)" in texts
