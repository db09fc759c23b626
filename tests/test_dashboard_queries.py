"""Every queries/*.sql runs on a real store; aggregates reconcile; include_demo=false leaves no demo trace."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from aqb.store.queries import load_query, query_names, run_query
from dashboard_fixtures import built_store  # noqa: F401 - session fixture

REAL_SHA = "real-sha-placeholder"
PARAMS = {
    "include_demo": True,
    "year_from": 2019,
    "year_to": 2025,
    "agreement_year": 2025,
    "regierungsbezirke": [],
    "partner_kinds": [],
    "measure_type_codes": [],
    "partner_ags": "06413",
    "partner_ags_list": [],
    "search_text": "Teilzeit",
    "row_limit": 100,
    "jump_threshold": 0.25,
    "source_sha256": REAL_SHA,
}


@pytest.fixture(scope="module")
def con(built_store):  # noqa: F811
    connection = duckdb.connect(str(built_store.snapshot), read_only=True)
    yield connection
    connection.close()


def params_for(name: str, con, **overrides) -> dict:
    _, needed = load_query(name)
    unknown = sorted(needed - set(PARAMS))
    assert not unknown, f"queries/{name}.sql: add a sensible value for {unknown} to PARAMS in {__file__}"
    values = {k: PARAMS[k] for k in needed}
    if "source_sha256" in values:
        values["source_sha256"] = con.execute(
            "select source_sha256 from agreements where partner_ags = '06413' and agreement_year = 2025").fetchone()[0]
    values.update({k: v for k, v in overrides.items() if k in needed})
    return values


@pytest.mark.parametrize("name", query_names())
def test_every_query_runs(con, name):
    frame = run_query(con, name, **params_for(name, con))
    assert isinstance(frame, pd.DataFrame)
    assert len(frame.columns) > 0


DEMO_QUERIES = [n for n in query_names() if "include_demo" in load_query(n)[1]]


@pytest.mark.parametrize("name", DEMO_QUERIES)
def test_include_demo_false_leaves_no_demo_contribution(con, name):
    frame = run_query(con, name, **params_for(name, con, include_demo=False))
    if "is_demo" in frame.columns:
        assert not frame["is_demo"].fillna(False).astype(bool).any()
    if "provenance" in frame.columns:
        assert "demo" not in set(frame["provenance"].dropna())
    for column in frame.columns:
        if "demo" in column and column != "is_demo" and pd.api.types.is_numeric_dtype(frame[column]):
            assert frame[column].fillna(0).eq(0).all(), column
        if column == "is_comparison_demo":
            assert not frame[column].any()


def test_include_demo_false_totals_are_the_real_agreements(con):
    frame = run_query(con, "budget_total_by_year", **params_for("budget_total_by_year", con, include_demo=False))
    real = dict(con.execute(
        "select agreement_year, sum(budget_cents)::bigint from agreements where not is_demo group by 1").fetchall())
    got = {int(r.agreement_year): (None if pd.isna(r.budget_cents) else int(r.budget_cents)) for r in frame.itertuples()}
    assert got == {y: real.get(y) for y in range(2019, 2026)}
    assert got[2025] == 101141000
    mix = run_query(con, "projects_by_measure_type_year", **params_for("projects_by_measure_type_year", con, include_demo=False))
    assert mix.groupby("agreement_year")["project_count"].sum().to_dict() == {
        2019: 0, 2020: 0, 2021: 0, 2022: 0, 2023: 0, 2024: 0, 2025: 9}


@pytest.mark.parametrize("filters", [
    {},
    {"regierungsbezirke": ["Kassel"]},
    {"partner_kinds": ["kreisfreie Stadt"]},
    {"regierungsbezirke": ["Darmstadt", "Gießen"], "partner_kinds": ["Landkreis"], "include_demo": False},
])
def test_total_equals_sum_over_partners(con, filters):
    params = params_for("budget_total_by_year", con, **filters)
    totals = run_query(con, "budget_total_by_year", **params)
    partners = run_query(con, "budget_by_partner_year", **params)
    by_year = partners.groupby("agreement_year").agg(
        budget_cents=("budget_cents", "sum"), agreements_count=("has_agreement", "sum"),
        partners_valid_count=("partner_ags", "count"), project_count=("project_count", "sum"))
    for row in totals.itertuples():
        expected = by_year.loc[row.agreement_year]
        assert (int(row.budget_cents) if pd.notna(row.budget_cents) else 0) == int(expected.budget_cents)
        assert (row.agreements_count, row.partners_valid_count, row.project_count) == (
            expected.agreements_count, expected.partners_valid_count, expected.project_count)


def test_statewide_totals_against_the_agreements_table(con):
    totals = run_query(con, "budget_total_by_year", **params_for("budget_total_by_year", con))
    direct = con.execute(
        "select agreement_year, sum(budget_cents)::bigint, count(*) from agreements group by 1 order by 1").fetchall()
    assert [(int(r.agreement_year), int(r.budget_cents), int(r.agreements_count)) for r in totals.itertuples()] == direct
    assert totals["partners_valid_count"].tolist() == [26] * 7


def test_partner_budget_history_for_the_real_agreement(con):
    frame = run_query(con, "partner_budget_history", partner_ags="06413", include_demo=False)
    assert frame[["agreement_year", "budget_cents", "provenance", "peers_count"]].to_dict("records") == [
        {"agreement_year": 2025, "budget_cents": 101141000, "provenance": "vereinbarung", "peers_count": 0}]
    assert frame["budget_per_inhabitant_eur"].round(6).tolist() == [round(1011410 / 130280, 6)]


def test_partner_projects_compare_with_previous_year(con):
    frame = run_query(con, "partner_projects_by_year", partner_ags="06413", include_demo=False)
    assert frame[["project_position", "measure_type_code", "project_name", "change_status"]].values.tolist() == [
        [1, 1, "Berufsvorbereitung Elektro", "no_previous_year"],
        [2, 2, "BaE Teilzeit", "no_previous_year"],
        [3, 2, "Coaching und Unterrichtshilfen (CUBA)", "no_previous_year"],
        [4, 3, "Jobcoach", "no_previous_year"],
        [5, 3, "Interkulturelle Gruppe", "no_previous_year"],
        [6, 3, "Coaching von jungen Wohnungssuchenden", "no_previous_year"],
        [7, 3, "Fallmanagement für Erziehende", "no_previous_year"],
        [8, 3, "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
         "no_previous_year"],
        [9, 4, "Schulungen für Mitarbeiter/innen", "no_previous_year"],
    ]
    with_demo = run_query(con, "partner_projects_by_year", partner_ags="06413", include_demo=True)
    ours = with_demo[with_demo["agreement_year"] == 2025]
    statuses = set(ours["change_status"])
    assert statuses <= {"new", "continued", "ended"} and "continued" in statuses
    assert ours.loc[ours["change_status"] != "ended", "is_demo"].tolist() == [False] * 9
    assert (ours["is_demo"] | ours["is_comparison_demo"]).all()  # one side of each comparison is demo


def test_budget_sentence_and_document(con):
    sources = run_query(con, "partner_sources", partner_ags="06413", include_demo=False)
    assert sources["budget_source_snippet"].tolist() == [
        "Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025 Haushaltsmittel in Höhe von insgesamt "
        "1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung."]
    document = run_query(con, "source_document_content", source_sha256=sources["source_sha256"].iloc[0])
    assert bytes(document["content"].iloc[0]).decode("utf-8").count("1.011.410 Euro") == 1


def test_project_search_is_a_literal_substring(con):
    base = params_for("project_search", con, include_demo=True, row_limit=10_000)
    hits = run_query(con, "project_search", **{**base, "search_text": "teilzeit"})
    direct = con.execute(
        "select count(*) from projects join agreements using (agreement_id) where project_name ilike '%teilzeit%'"
    ).fetchone()[0]
    assert len(hits) == int(hits["match_count"].iloc[0]) == direct
    assert run_query(con, "project_search", **{**base, "search_text": "%"}).empty  # no wildcard injection


def test_coverage_without_demo_is_honest(con):
    frame = run_query(con, "coverage_matrix", include_demo=False, year_from=2019, year_to=2025)
    assert frame["coverage_status"].value_counts().to_dict() == {
        "missing": 176, "published_only": 5, "agreement": 1}
