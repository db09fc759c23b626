"""Every per-capita value outside the charts names its Stichtag: table headers, downloads, briefing PDF/PPTX.

Expected values are recomputed here from the test's population.csv, read with csv, and the common-Stichtag
rule written out again (31.12. of the year before where every partner of the year has it, else the latest
earlier date they all have) — not through the product's macro.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from aqb.analysis.briefing import load_briefing, overview_frame
from aqb.app.ui import export_frame
from aqb.present import theme
from aqb.present.briefing_pdf import briefing_pdf, overview_pdf
from aqb.present.export import people_csv_bytes, people_xlsx_bytes
from aqb.present.people_export import people_frame
from aqb.present.slides import briefing_deck, overview_deck
from aqb.store import reader
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file
from test_population import synthetic_population

BUDGETS = {("06413", 2021): 900_000, ("06413", 2022): 950_000, ("06413", 2024): 1_000_000,
           ("06413", 2025): 1_011_410, ("06411", 2021): 700_000, ("06411", 2022): 720_000,
           ("06411", 2024): 760_000, ("06411", 2025): 800_000}
YEARS = (2021, 2022, 2024, 2025)


def _day(text: str) -> date:
    return date.fromisoformat(text)


def partners_valid_in(reference_dir: Path, year: int) -> set[str]:
    with (reference_dir / "gebietskoerperschaften.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["ags"] for r in rows
            if (not r["valid_from"] or _day(r["valid_from"]) <= date(year, 12, 31))
            and (not r["valid_to"] or _day(r["valid_to"]) >= date(year, 1, 1))}


def expected_from_csv(reference_dir: Path) -> tuple[dict[int, date], dict[tuple[str, date], int]]:
    """(budget year -> common Stichtag, (ags, Stichtag) -> inhabitants), straight from population.csv."""
    with (reference_dir / "population.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    figures = {(r["ags"], _day(r["stichtag"])): int(r["population"]) for r in rows}
    chosen = {}
    for year in range(YEARS[0], YEARS[-1] + 1):  # 2023 too: a year without agreement still has its Stichtag
        partners = partners_valid_in(reference_dir, year)
        common = set.intersection(*({d for (a, d) in figures if a == ags} for ags in partners))
        earlier = [d for d in common if d <= date(year - 1, 12, 31)]
        chosen[year] = max(earlier) if earlier else min(common)
    return chosen, figures


def shown_euro(budget_euros: int, population: int) -> str:
    """'6,91 €': the value as the screen rounds it (half up), from the exact quotient."""
    value = (Decimal(budget_euros) / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + " €"


def german(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


@pytest.fixture
def store(settings):
    synthetic_population(settings.reference_dir)  # 31.12.2021 is missing for Darmstadt (06411)
    for (ags, year), euros in BUDGETS.items():
        agreement_file(settings, ags, year, euros)
    ingest_paths([settings.agreements_dir], settings)
    con, _ = reader.connect(settings)
    chosen, figures = expected_from_csv(settings.reference_dir)
    yield con, chosen, figures
    con.close()


def test_the_test_store_has_a_year_that_falls_back(store):
    _, chosen, figures = store
    assert ("06411", date(2021, 12, 31)) not in figures and ("06413", date(2021, 12, 31)) in figures
    assert chosen[2022] == date(2020, 12, 31)  # not 31.12.2021: Darmstadt lacks it
    assert len(set(chosen.values())) == 3


def _partner_years(con, year_from, year_to):
    return run_query(con, "budget_by_partner_year", year_from=year_from, year_to=year_to, regierungsbezirke=[],
                     partner_kinds=[], include_demo=True)


@pytest.mark.parametrize("year", YEARS)
def test_table_header_and_values_of_one_year(store, year):
    con, chosen, figures = store
    frame = _partner_years(con, year, year)
    frame = frame[frame["has_agreement"]].sort_values("partner_ags")
    shown = theme.display_table(frame, ["partner_name", "budget_per_inhabitant_eur", "population"])
    stichtag = chosen[year]
    assert list(shown.columns) == ["Gebietskörperschaft", f"€ je Einwohner (Stand {german(stichtag)})",
                                   f"Einwohner (Stand {german(stichtag)})"]
    assert shown.iloc[:, 1].tolist() == [shown_euro(BUDGETS[(ags, year)], figures[(ags, stichtag)])
                                         for ags in ("06411", "06413")]
    assert shown.iloc[:, 2].tolist() == [f"{figures[(ags, stichtag)]:,}".replace(",", ".") for ags in ("06411", "06413")]


def test_table_over_years_says_the_span_and_gives_each_row_its_stichtag(store):
    con, chosen, figures = store
    frame = _partner_years(con, 2021, 2025)
    frame = frame[frame["has_agreement"] & (frame["partner_ags"] == "06413")].sort_values("agreement_year")
    shown = theme.display_table(frame, ["agreement_year", "budget_per_inhabitant_eur", "project_count"])
    first, last = min(chosen.values()), max(chosen.values())
    assert list(shown.columns) == [
        "Jahr", f"€ je Einwohner (Stand {german(first)} bis {german(last)}, je Jahr ein Stichtag)",
        "Einwohner-Stichtag", "Projekte"]
    assert shown["Einwohner-Stichtag"].tolist() == [german(chosen[y]) for y in YEARS]
    assert shown.iloc[:, 1].tolist() == [shown_euro(BUDGETS[("06413", y)], figures[("06413", chosen[y])]) for y in YEARS]


def test_csv_and_xlsx_downloads_name_the_stichtag(store):
    con, chosen, figures = store
    frame = _partner_years(con, 2021, 2025)
    frame = frame[frame["has_agreement"]].sort_values(["agreement_year", "partner_ags"]).reset_index(drop=True)
    # as the page's download buttons do: the table's columns, then the people form
    people, columns = people_frame(export_frame(frame, ["agreement_year", "partner_name", "budget_per_inhabitant_eur"]))
    span = f"€ je Einwohner (Stand {german(min(chosen.values()))} bis {german(max(chosen.values()))}, je Jahr ein Stichtag)"
    lines = people_csv_bytes(people, columns).decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == ["Jahr", "Gebietskörperschaft", span, "Einwohner-Stichtag", "Herkunft"]
    body = [line.split(";") for line in lines[1:]]
    expected = [[str(y), name, shown_euro(BUDGETS[(ags, y)], figures[(ags, chosen[y])]).removesuffix(" €"),
                 german(chosen[y]), "Zielvereinbarung"]
                for y in YEARS for ags, name in (("06411", "Darmstadt"), ("06413", "Offenbach am Main"))]
    assert body == expected
    book = load_workbook(io.BytesIO(people_xlsx_bytes({"Daten": (people, columns)}, ["Hinweis"])))
    assert [c.value for c in book["Daten"][1]] == ["Jahr", "Gebietskörperschaft", span, "Einwohner-Stichtag", "Herkunft"]
    assert book["Daten"]["D2"].value.date() == chosen[2021]
    explained = {row[1]: row[2] for row in book["Spalten"].iter_rows(min_row=2, values_only=True)}
    days = ", ".join(german(d) for d in sorted(set(chosen.values())))
    assert explained[span].endswith(f"Einwohner zum gemeinsamen Stichtag des jeweiligen Budgetjahres ({days}; "
                                    "Spalte Einwohner-Stichtag).")


def test_one_year_download_names_its_single_stichtag(store):
    con, chosen, _ = store
    frame = _partner_years(con, 2022, 2022)
    people, columns = people_frame(export_frame(frame[frame["has_agreement"]], ["partner_name", "budget_per_inhabitant_eur"]))
    header = people_csv_bytes(people, columns).decode("utf-8-sig").splitlines()[0].split(";")
    assert header[:2] == ["Gebietskörperschaft", f"€ je Einwohner (Stand {german(chosen[2022])})"]
    described = next(c.description for c in columns if c.header.startswith("€ je Einwohner"))
    assert described.endswith(f"Einwohner zum Stichtag {german(chosen[2022])}.")


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_briefing_pdf_and_pptx_tables_name_the_stichtag(store):
    con, chosen, figures = store
    b = load_briefing(con, "06413", 2022)
    stichtag = chosen[2022]
    value = shown_euro(BUDGETS[("06413", 2022)], figures[("06413", stichtag)])
    label = f"€ je Einwohner (Stand {german(stichtag)})"
    prs = Presentation(io.BytesIO(briefing_deck(b)))
    key_table = next(s.table for s in list(prs.slides)[0].shapes if s.has_table)
    assert [label, value] in [[c.text for c in r.cells] for r in key_table.rows]
    text = _pdf_text(briefing_pdf(b))
    assert f"{label} {value}" in text  # the key-figure row
    # the history table (2021 and 2022 share one Stichtag here): header, each row's Stichtag and value
    assert f"Jahr Budget {label} Stichtag Rang Projekte Status" in text
    for year in (2021, 2022):
        row_value = shown_euro(BUDGETS[("06413", year)], figures[("06413", chosen[year])])
        budget = f"{BUDGETS[('06413', year)]:,}".replace(",", ".")
        assert f"{year} {budget} € {row_value} {german(chosen[year])}" in text


def test_briefing_history_over_different_stichtage_says_the_span(store):
    con, chosen, figures = store
    text = _pdf_text(briefing_pdf(load_briefing(con, "06413", 2025)))
    first, last = min(chosen.values()), max(chosen.values())
    assert f"Jahr Budget € je Einwohner (Stand {german(first)} bis {german(last)}, je Jahr ein Stichtag) Stichtag" in text
    for year in YEARS:
        row_value = shown_euro(BUDGETS[("06413", year)], figures[("06413", chosen[year])])
        assert f"{row_value} {german(chosen[year])}" in text


def test_overview_header_names_the_stichtag(store):
    con, chosen, _ = store
    frame = overview_frame([load_briefing(con, ags, 2022) for ags in ("06411", "06413")])
    header = f"€ je EW (Stand {german(chosen[2022])})"
    prs = Presentation(io.BytesIO(overview_deck(frame, 2022, include_demo=True)))
    table = next(s.table for s in list(prs.slides)[1].shapes if s.has_table)
    assert [c.text for c in table.rows[0].cells][3] == header
    assert header in _pdf_text(overview_pdf(frame, 2022, include_demo=True))


def test_page_frames_give_the_tables_under_the_charts_their_stichtag(store, settings):
    """The frames the pages chart (aqb.app.frames) formatted as the tables under the charts are."""
    from aqb.app import frames as data
    from aqb.store import snapshots

    _, chosen, figures = store
    ref = data.StoreRef(str(snapshots.current_snapshot(settings)), settings)
    f = data.Filters(year=2022, year_from=2021, year_to=2025, per_inhabitant=True)
    ov = data.overview(ref, f, list(YEARS))
    ranking = theme.display_table(ov.ranking, ["budget_rank", "partner_name", "budget_per_inhabitant_eur", "population"])
    assert list(ranking.columns)[2:] == [f"€ je Einwohner (Stand {german(chosen[2022])})",
                                         f"Einwohner (Stand {german(chosen[2022])})"]
    totals = theme.display_table(ov.totals, ["agreement_year", "budget_cents", "budget_per_inhabitant_eur"])
    span = f"(Stand {german(min(chosen.values()))} bis {german(max(chosen.values()))}, je Jahr ein Stichtag)"
    assert list(totals.columns) == ["Jahr", "Budget", f"€ je Einwohner {span}", "Einwohner-Stichtag"]
    assert totals["Einwohner-Stichtag"].tolist() == [german(chosen[y]) for y in range(2021, 2026)]
    # Jahresvergleich: the range's first and last year, each column its own year's Stichtag
    comparison = data.year_comparison(data.partner_years(ref, f, 2021, 2025), 2021, 2025, True)
    shown = theme.display_table(comparison, ["partner_name", "value_a", "value_b", "change_value"],
                                {"value_a": "eur2", "value_b": "eur2", "change_value": "eur2"})
    assert list(shown.columns) == [
        "Gebietskörperschaft", f"€ je Einwohner Jahr A (Stand {german(chosen[2021])})",
        f"€ je Einwohner Jahr B (Stand {german(chosen[2025])})",
        f"Veränderung € je Einwohner (Stand {german(chosen[2021])} bis {german(chosen[2025])}, je Jahr ein Stichtag)"]
    offenbach = shown[shown["Gebietskörperschaft"] == "Offenbach am Main"].iloc[0].tolist()
    assert offenbach[1:3] == [shown_euro(BUDGETS[("06413", y)], figures[("06413", chosen[y])]) for y in (2021, 2025)]
    # Karte: the per-capita "Wert" names its Stichtag; absolute values keep the plain header
    values = data.map_values(ref, f, "Budget")
    assert theme.display_table(values, ["partner_name", "map_value"]).columns[1] == \
        f"Wert, € je Einwohner (Stand {german(chosen[2022])})"
    absolute = data.map_values(ref, data.Filters(year=2022, year_from=2021, year_to=2025), "Budget")
    assert theme.display_table(absolute, ["partner_name", "map_value"]).columns[1] == "Wert"


@pytest.mark.parametrize("year", (2022, 2024))
def test_presentation_source_lines_name_the_stichtag_the_values_use(store, year):
    from aqb.analysis.catalogue import build_view

    con, chosen, _ = store
    for view_id in ("pro_kopf", "heatmap"):
        view = build_view(con, view_id, year=year, include_demo=True)
        days = sorted({d for y, d in chosen.items() if y == year}) if view_id == "pro_kopf" else \
            sorted({d for y, d in chosen.items() if year - 6 <= y <= year})
        span = german(days[0]) if len(days) == 1 else f"{german(days[0])} bis {german(days[-1])}"
        assert f"Stichtag {span}" in view.source_line, (view_id, view.source_line)
        assert "31.12.2019" not in view.source_line or days[0] == date(2019, 12, 31)
