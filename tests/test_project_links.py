"""Projects across years: renamed, merged and split projects; the alias list wins over the matcher."""

from __future__ import annotations

import re
from datetime import date

import pytest

from aqb.store import project_links as pl
from aqb.store import reader, snapshots
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file

P = pl.Project


def test_normalise_ignores_case_punctuation_and_ampersand():
    assert pl.normalise("  Coaching & Unterrichtshilfen (CUBA) ") == "coaching und unterrichtshilfen cuba"
    assert pl.normalise("Schulungen für Mitarbeiter/innen") == "schulungen für mitarbeiter innen"


def test_exact_fuzzy_and_apart():
    previous = [P(1, "BaE Teilzeit", 2), P(2, "Berufsvorbereitung Elektro", 1), P(3, "Jobcoach", 3),
                P(4, "Fallmanagement", 3)]
    current = [P(1, "BaE in Teilzeit", 2), P(2, "Berufsvorbereitung Metall", 1), P(3, "JOBCOACH.", 3),
               P(4, "Fallmanagement", 4)]
    links = pl.match(previous, current)
    assert [(l.previous_position, l.position, l.match_kind) for l in links] == [
        (1, 1, pl.FUZZY),   # 88,9 ≥ 85
        (3, 3, pl.EXACT),   # equal once normalised
        (4, 4, pl.EXACT),   # equal names match across Maßnahmenarten; only similar ones must share it
    ]
    assert links[0].match_score == 88.9


def test_fuzzy_needs_the_same_measure_type_and_pairs_once():
    previous = [P(1, "Interkulturelle Gruppe", 3)]
    current = [P(1, "Interkulturelle Gruppen", 2), P(2, "Interkulturelle Gruppen", 3),
               P(3, "Interkulturelle Gruppe n", 3)]
    links = pl.match(previous, current)
    assert [(l.previous_position, l.position) for l in links] == [(1, 2)]


def test_alias_list_wins_merges_splits_and_pins():
    previous = [P(1, "Jobcoach Nord", 3), P(2, "Jobcoach Süd", 3), P(3, "Schulungen", 4), P(4, "BaE Teilzeit", 2)]
    current = [P(1, "Jobcoach Hessen", 3), P(2, "Schulungen Teil A", 4), P(3, "Schulungen Teil B", 4),
               P(4, "BaE in Teilzeit", 2)]
    aliases = [("Jobcoach Nord", "Jobcoach Hessen"), ("Jobcoach Süd", "Jobcoach Hessen"),
               ("Schulungen", "Schulungen Teil A"), ("Schulungen", "Schulungen Teil B"),
               ("", "BaE in Teilzeit")]  # staff say: a new project, although the name is similar
    links = pl.match(previous, current, aliases)
    assert [(l.previous_position, l.position, l.match_kind) for l in links] == [
        (1, 1, pl.ALIAS), (2, 1, pl.ALIAS), (3, 2, pl.ALIAS), (3, 3, pl.ALIAS)]


ALIASES = """ags,agreement_year,previous_name,project_name,note
06413,2025,Jobcoach Nord,Jobcoach Hessen,zusammengelegt
06413,2025,Jobcoach Süd,Jobcoach Hessen,zusammengelegt
06413,2025,Schulungen,Schulungen Teil A,geteilt
06413,2025,Schulungen,Schulungen Teil B,geteilt
"""
YEAR_2024 = ((1, "Berufsvorbereitung Elektro"), (2, "BaE Teilzeit"), (3, "Jobcoach Nord"), (3, "Jobcoach Süd"),
             (4, "Schulungen"))
YEAR_2025 = ((1, "Berufsvorbereitung Metall"), (2, "BaE in Teilzeit"), (3, "Jobcoach Hessen"),
             (4, "Schulungen Teil A"), (4, "Schulungen Teil B"))


@pytest.fixture
def two_years(settings):
    (settings.reference_dir / "project_aliases.csv").write_text(ALIASES, encoding="utf-8")
    agreement_file(settings, "06413", 2024, 900_000, YEAR_2024, signed=date(2024, 3, 1))
    agreement_file(settings, "06413", 2025, 950_000, YEAR_2025, signed=date(2025, 3, 1))
    ingest_paths([settings.agreements_dir], settings)
    return settings


def _partner_rows(settings):
    con, _ = reader.connect(settings)
    try:
        frame = run_query(con, "partner_projects_by_year", partner_ags="06413", include_demo=True)
        briefing = run_query(con, "briefing_projects", partner_ags="06413", agreement_year=2025, include_demo=True)
    finally:
        con.close()
    rows = frame[frame["agreement_year"] == 2025]
    return ({r.project_name: (r.change_status, r.renamed_from, r.link_kind) for r in rows.itertuples()},
            briefing)


def _clean(value):
    return None if value is None or value != value else value


def test_partner_page_and_briefing_use_the_links(two_years):
    rows, briefing = _partner_rows(two_years)
    assert {k: tuple(_clean(v) for v in vals) for k, vals in rows.items()} == {
        "Berufsvorbereitung Metall": ("new", None, None),
        "BaE in Teilzeit": ("continued", "BaE Teilzeit", "umbenannt"),
        "Jobcoach Hessen": ("continued", "Jobcoach Nord, Jobcoach Süd", "zusammengelegt"),
        "Schulungen Teil A": ("continued", "Schulungen", "geteilt"),
        "Schulungen Teil B": ("continued", "Schulungen", "geteilt"),
        "Berufsvorbereitung Elektro": ("ended", None, None),
    }
    counts = briefing["project_change"].value_counts().to_dict()
    assert counts == {"fortgeführt": 4, "neu": 1, "beendet": 1}
    assert dict(zip(briefing["project_name"], briefing["renamed_from"].map(_clean)))["Jobcoach Hessen"] == (
        "Jobcoach Nord, Jobcoach Süd")


def test_editing_the_alias_list_alone_makes_a_new_snapshot(two_years):
    settings = two_years
    before = snapshots.current_snapshot(settings)
    (settings.reference_dir / "project_aliases.csv").write_text(
        "ags,agreement_year,previous_name,project_name,note\n"
        "06413,2025,Berufsvorbereitung Elektro,Berufsvorbereitung Metall,umgestellt\n", encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert report.snapshot != before
    rows, briefing = _partner_rows(settings)
    assert rows["Berufsvorbereitung Metall"][:2] == ("continued", "Berufsvorbereitung Elektro")
    # Without the merge rows the matcher is on its own: the two Jobcoach projects are not similar enough.
    assert rows["Jobcoach Hessen"][0] == "new"
    assert "Berufsvorbereitung Elektro" not in rows


def test_partner_page_shows_renamed_from_and_versions(two_years, tmp_path):
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import DASHBOARD

    # A second version of 2025 with a higher budget: the page lists both versions and what changed.
    batch = tmp_path / "neue_fassung"
    agreement_file(two_years, "06413", 2025, 990_000, YEAR_2025, signed=date(2025, 5, 1), folder=batch)
    ingest_paths([batch], two_years)
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["partner"] = "Offenbach am Main"
    at.query_params["jahr"] = "2025"
    at.run()
    at.switch_page("pages/gebietskoerperschaft.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [m.value for m in at.markdown]
    summary = next(t for t in texts if "fortgeführt" in t and "Vergleich mit 2024" in t)
    assert "„BaE in Teilzeit“ umbenannt aus BaE Teilzeit" in summary.replace("\\", "")
    tables = [d.value for d in at.dataframe]
    projects = next(t for t in tables if "Name im Vorjahr" in t.columns)
    notes = dict(zip(projects["Projekt"], projects["Name im Vorjahr"]))
    assert notes["Jobcoach Hessen"] == "zusammengelegt aus Jobcoach Nord, Jobcoach Süd"
    assert notes["Schulungen Teil B"] == "geteilt aus Schulungen"
    versions = next(t for t in tables if "Was sich geändert hat" in t.columns)
    assert list(versions["Fassung"][:2]) == ["Erstfassung", "neue Fassung"]
    assert versions["Was sich geändert hat"].iloc[1].startswith("Budget 950.000 € → 990.000 € (+40.000 €)")
    captions = [c.value for c in at.sidebar.caption]
    assert any(re.match(r"Stand: \d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2} MES?Z · ", c) for c in captions), captions


def test_briefing_pdf_says_renamed_from(two_years):
    import io

    from pypdf import PdfReader

    from aqb.analysis.briefing import load_briefing
    from aqb.present.briefing_pdf import briefing_pdf

    con, _ = reader.connect(two_years)
    try:
        b = load_briefing(con, "06413", 2025)
    finally:
        con.close()
    assert b.change_counts() == {"neu": 1, "fortgeführt": 4, "beendet": 1}
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(briefing_pdf(b))).pages).split())
    assert "fortgeführt (umbenannt aus BaE Teilzeit)" in text
    assert "fortgeführt (umbenannt aus Jobcoach Nord, Jobcoach Süd)" in text
