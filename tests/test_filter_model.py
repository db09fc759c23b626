"""One filter model: random filter combinations, every KPI and chart total of each analysis page against the store.

Hypothesis draws the sidebar (Jahr, Zeitraum, Regierungsbezirk, Art, Maßnahmenart, nur amtliche Quellen); the
app runs through AppTest on the real store; the expected figures come from plain SQL on the snapshot file,
written independently of queries/*.sql.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, Phase, given, settings as hsettings, strategies as st
from streamlit.testing.v1 import AppTest

from aqb.fmt import euro_from_cents, number
from dashboard_fixtures import DASHBOARD, built_store, store_env  # noqa: F401
from dashboard_fixtures import key_figures, statement as statement_of

YEARS = (2019, 2025)
BEZIRKE = ["Darmstadt", "Gießen", "Kassel"]
KINDS = {"alle": None, "Landkreise": "Landkreis", "kreisfreie Städte": "kreisfreie Stadt"}
UNITS = (100, 100_000, 100_000_000)  # cents per chart unit: €, Tsd. €, Mio. €

selections = st.fixed_dictionaries({
    "year": st.integers(*YEARS),
    "span": st.tuples(st.integers(*YEARS), st.integers(*YEARS)).map(lambda t: tuple(sorted(t))),
    "bezirke": st.lists(st.sampled_from(BEZIRKE), unique=True, max_size=2),
    "kind": st.sampled_from(list(KINDS)),
    "codes": st.lists(st.integers(1, 4), unique=True, max_size=2),
    "official": st.booleans(),
})


# --- the store's answer, in plain SQL -------------------------------------------------------------

def _where(sel: dict) -> tuple[str, dict]:
    clauses = ["coalesce(p.valid_from, date '0001-01-01') <= make_date(y.agreement_year, 12, 31)",
               "coalesce(p.valid_to, date '9999-12-31') >= make_date(y.agreement_year, 1, 1)"]
    params: dict = {}
    if sel["bezirke"]:
        clauses.append("list_contains($bezirke, p.regierungsbezirk)")
        params["bezirke"] = sel["bezirke"]
    if KINDS[sel["kind"]]:
        clauses.append("p.partner_kind = $kind")
        params["kind"] = KINDS[sel["kind"]]
    return " and ".join(clauses), params


def truth(store, sel: dict, year_from: int, year_to: int) -> dict[int, dict]:
    """Per year: partners valid in the selection, agreements, signed, budget, projects of the chosen types."""
    where, params = _where(sel)
    demo = "" if not sel["official"] else "and not a.is_demo"
    codes = "and list_contains($codes, pr.measure_type_code)" if sel["codes"] else ""
    if sel["codes"]:
        params["codes"] = sel["codes"]
    rows = store.rows(f"""
        with y as (select unnest(range($y0, $y1 + 1)) as agreement_year),
        py as (select y.agreement_year, p.partner_ags from y join partners p on true where {where}),
        ag as (select a.* from agreements a join py using (partner_ags, agreement_year) where true {demo}),
        pc as (select pr.agreement_id, count(*) as n from projects pr join ag using (agreement_id)
               where true {codes} group by pr.agreement_id)
        select py.agreement_year,
               count(distinct py.partner_ags),
               count(distinct ag.agreement_id) filter (where ag.agreement_id is not null),
               count(distinct ag.agreement_id) filter (where ag.status in ('unterzeichnet', 'veroeffentlicht')),
               coalesce(sum(ag.budget_cents), 0),
               coalesce(sum(pc.n), 0),
               count(distinct ag.agreement_id) filter (where not ag.is_demo)
        from py
        left join ag using (partner_ags, agreement_year)
        left join pc using (agreement_id)
        group by py.agreement_year order by 1
    """, {"y0": year_from, "y1": year_to, **params})
    found = {int(r[0]): {"partners": r[1], "agreements": r[2], "signed": r[3], "budget": int(r[4]),
                         "projects": int(r[5]), "real": r[6]} for r in rows}
    empty = {"partners": 0, "agreements": 0, "signed": 0, "budget": 0, "projects": 0, "real": 0}
    return {y: found.get(y, empty) for y in range(year_from, year_to + 1)}  # a selection may hold no partner


# --- what the app shows ----------------------------------------------------------------------------

def _app(sel: dict) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.run()
    at.selectbox(key="jahr").set_value(sel["year"])
    at.select_slider(key="zeitraum").set_value(sel["span"])
    at.multiselect(key="bezirk").set_value(sel["bezirke"])
    at.radio(key="art").set_value(sel["kind"])
    at.multiselect(key="massnahmenart").set_value(sel["codes"])
    at.toggle(key="amtlich").set_value(sel["official"])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _text(element) -> str:
    return element.value.replace("\\", "")  # shown text without the Markdown escapes of document text


def _plain(value: str) -> str:
    return value.removesuffix(" *")  # the quiet demo mark is not part of the number


def _numbers(values) -> list[float]:
    return [v for v in values or [] if isinstance(v, (int, float))]


def _same_money(shown_units: float, cents: int) -> bool:
    """A chart value in €, Tsd. € or Mio. € equals the store's cents (up to the chart's rounding)."""
    if cents == 0:
        return abs(shown_units) < 1e-9
    return any(abs(shown_units * unit - cents) <= max(unit / 200, 1) for unit in UNITS)


def check_overview(at: AppTest, sel: dict, years: dict, year_truth: dict) -> None:
    shown = {m.label: _plain(m.value) for m in key_figures(at)}
    total = next(v for k, v in shown.items() if "umme" in k)
    assert total == (euro_from_cents(year_truth["budget"]) if year_truth["agreements"] else "–"), shown
    signed = f"{year_truth['signed']} von {year_truth['partners']}" if year_truth["partners"] else "–"
    assert shown["Vereinbarungen unterzeichnet"] == signed  # "–": the selection holds no partner (RB Gießen, Städte)
    expected_projects = number(year_truth["projects"]) if year_truth["agreements"] else "–"
    assert shown["Projekte"] == expected_projects, (shown, year_truth)
    figures = _charts(at)
    if any(t["agreements"] for t in years.values()):
        bars = [t for t in figures[0]["data"] if t.get("type") == "bar"]
        per_year: dict[int, float] = {}
        for trace in bars:
            for x, y in zip(trace["x"], trace["y"]):
                if isinstance(y, (int, float)):
                    per_year[int(x)] = per_year.get(int(x), 0) + y
        for year, t in years.items():
            assert _same_money(per_year.get(year, 0), t["budget"]), (year, per_year, t)
    mix = [_text(m) for m in at.markdown if "Projekte nach Maßnahmenart" in _text(m)]
    assert mix and mix[0].startswith(f"{number(year_truth['projects'])} Projekte"), (mix, year_truth)


def check_measures(at: AppTest, year_truth: dict) -> None:
    # The page opens with the shares over the years; the chart per partner of the chosen year is the second.
    per_partner = _text(at.markdown[1])
    assert per_partner.startswith(f"{number(year_truth['projects'])} Projekte"), (per_partner, year_truth)
    if year_truth["projects"]:
        bars = [t for t in _charts(at)[1]["data"] if t.get("type") == "bar"]
        assert round(sum(sum(_numbers(t.get("x"))) for t in bars)) == year_truth["projects"]


def check_map(at: AppTest, year_truth: dict) -> None:
    summary = _text(at.markdown[0])
    assert f"{year_truth['agreements']} von {year_truth['partners']} Gebietskörperschaften" in summary, summary
    budget = euro_from_cents(year_truth["budget"]) if year_truth["agreements"] else "–"
    assert f"Summe der Budgets {budget}" in summary, summary
    tiles = [v for trace in _charts(at)[0]["data"] if trace.get("type") == "heatmap" and trace.get("z")
             for row in trace["z"][:] for v in row if isinstance(v, (int, float))]
    assert _same_money(sum(tiles), year_truth["budget"]), (tiles, year_truth)


def check_heatmap(at: AppTest, years: dict) -> None:
    with_agreement = sum(t["agreements"] for t in years.values())
    partner_years = sum(t["partners"] for t in years.values())
    # The page opens with the biggest changes; the heatmap of every partner-year follows.
    summary = next(_text(m) for m in at.markdown if "Partner-Jahren mit Vereinbarung" in _text(m))
    assert summary.startswith(
        f"{number(with_agreement)} von {number(partner_years)} Partner-Jahren mit Vereinbarung"), summary
    if with_agreement:
        grid = next(t for c in _charts(at) for t in c["data"] if t.get("type") == "heatmap")
        for year, t in years.items():
            if str(year) in [str(x) for x in grid["x"]]:
                column = [str(x) for x in grid["x"]].index(str(year))
                cells = [row[column] for row in grid["z"] if isinstance(row[column], (int, float))]
                assert _same_money(sum(cells), t["budget"]), (year, cells, t)


def check_projects(at: AppTest, years: dict) -> None:
    found = sum(t["projects"] for t in years.values())
    summary = _text(at.markdown[0])
    assert re.match(rf"{re.escape(number(found))} Projekte?\b", summary), (summary, found)
    if found:
        bars = [t for t in _charts(at)[0]["data"] if t.get("type") == "bar"]
        per_year: dict[int, int] = {}
        for trace in bars:
            for x, y in zip(trace["x"], trace["y"]):
                if y is not None:  # no segment: that Maßnahmenart has no project in that year
                    per_year[int(x)] = per_year.get(int(x), 0) + int(y)
        assert per_year == {y: t["projects"] for y, t in years.items() if t["projects"]}


def check_coverage(at: AppTest, sel: dict, years: dict, year_truth: dict) -> None:
    statement = statement_of(at)
    assert statement.startswith(f"Amtlich: {year_truth['real']} von {year_truth['partners']} Vereinbarungen "
                                f"{sel['year']}"), statement
    if sel["official"]:
        real = sum(t["real"] for t in years.values())
        partner_years = sum(t["partners"] for t in years.values())
        assert f"{number(real)} von {number(partner_years)} Partner-Jahren" in statement, statement


# Each example runs six pages; shrinking a failure would rerun them hundreds of times, so the raw example is reported.
@hsettings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
           suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sel=selections)
def test_every_figure_honours_every_filter(store_env, sel):
    years = truth(store_env, sel, *sel["span"])
    year_truth = truth(store_env, sel, sel["year"], sel["year"])[sel["year"]]
    at = _app(sel)
    check_coverage(at, sel, years, year_truth)
    check_overview(at, sel, years, year_truth)
    check_measures(_page(at, "pages/massnahmenarten.py"), year_truth)
    check_map(_page(at, "pages/karte.py"), year_truth)
    check_heatmap(_page(at, "pages/jahresvergleich.py"), years)
    check_projects(_page(at, "pages/projekte.py"), years)


def test_kpi_and_chart_agree_under_a_measure_filter(store_env):
    """Regression: Maßnahmenart = Qualifizierung, the KPI said 40 (all types) beside a chart of 18."""
    sel = {"year": 2025, "span": (2019, 2025), "bezirke": [], "kind": "alle", "codes": [3], "official": False}
    year_truth = truth(store_env, sel, 2025, 2025)[2025]
    all_types = truth(store_env, {**sel, "codes": []}, 2025, 2025)[2025]
    assert year_truth["projects"] < all_types["projects"]
    at = _app(sel)
    assert _plain(next(m.value for m in key_figures(at) if m.label == "Projekte")) == number(year_truth["projects"])
    check_overview(at, sel, truth(store_env, sel, 2019, 2025), year_truth)


def test_coverage_sentence_honours_regierungsbezirk(store_env):
    """Regression: '1 von 182 Partner-Jahren' where the selection (RB Kassel) has 0 of 49."""
    sel = {"year": 2025, "span": (2019, 2025), "bezirke": ["Kassel"], "kind": "alle", "codes": [], "official": True}
    years = truth(store_env, sel, 2019, 2025)
    partner_years = sum(t["partners"] for t in years.values())
    at = _app(sel)
    assert (f"0 von {partner_years} Partner-Jahren (2019–2025, RB Kassel) sind durch eine amtliche "
            "Zielvereinbarung belegt") in statement_of(at)
