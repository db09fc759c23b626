"""The Main-Kinzig-Kreis series across the Hanau split (1.1.2026): "mit Hanau" keeps 2025 → 2026 comparable."""

from __future__ import annotations

import json
from datetime import date

import pytest

from aqb import reference
from aqb.store import reader
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file

BUDGETS = {("06435", 2024): 1_600_000, ("06435", 2025): 1_650_000, ("06435", 2026): 1_250_000,
           ("06415", 2026): 430_000, ("06413", 2026): 1_000_000}


@pytest.fixture
def split_store(settings):
    for (ags, year), euros in BUDGETS.items():
        agreement_file(settings, ags, year, euros, signed=date(year, 2, 1))
    report = ingest_paths([settings.agreements_dir], settings)
    assert report.count("neu") == len(BUDGETS), [o.message for o in report.outcomes]
    return settings


def test_series_mit_hanau_sums_the_two_from_2026(split_store):
    split = reference.split_for("06415")
    assert split is reference.split_for("06435") and split.partner_keys == ["06435", "06415"]
    con, _ = reader.connect(split_store)
    try:
        combined = run_query(con, "partner_group_budget_history", partner_ags_list=split.partner_keys,
                             include_demo=True)
        alone = run_query(con, "partner_budget_history", partner_ags="06435", include_demo=True)
        totals = run_query(con, "budget_total_by_year", year_from=2024, year_to=2026, regierungsbezirke=[],
                           partner_kinds=[], include_demo=True)
    finally:
        con.close()
    assert [(r.agreement_year, r.partners_ags, r.budget_cents, r.is_complete) for r in combined.itertuples()] == [
        (2024, "06435", 160_000_000, True),
        (2025, "06435", 165_000_000, True),
        (2026, "06415,06435", 168_000_000, True),
    ]
    # The Kreis alone breaks in 2026; the statewide totals count every agreement exactly once.
    assert dict(zip(alone["agreement_year"], alone["budget_cents"])) == {2024: 160_000_000, 2025: 165_000_000,
                                                                        2026: 125_000_000}
    assert dict(zip(totals["agreement_year"], totals["budget_cents"])) == {
        2024: 160_000_000, 2025: 165_000_000, 2026: 268_000_000}
    # Only Hanau and the smaller Kreis have figures for the 2026 territory: no common Stichtag, no mixing.
    assert combined["budget_per_inhabitant_eur"].iloc[2] != combined["budget_per_inhabitant_eur"].iloc[2]
    assert combined["budget_per_inhabitant_eur"].iloc[1] == pytest.approx(1_650_000 / 420_552)


def test_partner_page_says_which_view(split_store):
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import DASHBOARD

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["partner"] = "Main-Kinzig-Kreis"
    at.query_params["zeitraum"] = ["2024", "2026"]
    at.run()
    at.switch_page("pages/gebietskoerperschaft.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Budget Main-Kinzig-Kreis über die Jahre" in [h.value for h in at.header]
    assert any("Ansicht: Gebietsstand des jeweiligen Jahres." in m.value.replace("\\", "") for m in at.markdown)
    at.radio(key="gebietsstand").set_value("Main-Kinzig-Kreis mit Hanau").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Budget Main-Kinzig-Kreis mit Hanau über die Jahre" in [h.value for h in at.header]
    note = next(m.value for m in at.markdown if "Ansicht: Main-Kinzig-Kreis mit Hanau" in m.value.replace("\\", ""))
    assert "ab 2026 Main-Kinzig-Kreis und die kreisfreie Stadt Hanau zusammen" in note.replace("\\", "")
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    budget = next(c for c in charts if any(t.get("name") == "Zielvereinbarung" for t in c["data"]))
    bars = next(t for t in budget["data"] if t.get("name") == "Zielvereinbarung")
    assert dict(zip(bars["x"], (d[0].split("<br>")[0] for d in bars["customdata"]))) == {  # hover: "Jahr: Betrag"
        2024: "2024: 1.600.000 €", 2025: "2025: 1.650.000 €", 2026: "2026: 1.680.000 €"}
