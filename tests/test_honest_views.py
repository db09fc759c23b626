"""Honest views: one provenance rule on the pages, no silent truncation on „Projekte“, the real agreement looks real."""

from __future__ import annotations

import json
from datetime import date

from streamlit.testing.v1 import AppTest

from aqb.analysis import provenance
from aqb.fmt import number
from dashboard_fixtures import DASHBOARD, built_store, key_figures, statement, store_env  # noqa: F401


def app(page: str | None = None, **url) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text(element) -> str:
    return element.value.replace("\\", "")


def test_a_year_without_agreement_is_a_dash_not_a_crash():
    """Found by the filter property test: kreisfreie Städte, official, 2022–2025 has years with NA budgets."""
    import pandas as pd

    from aqb import fmt

    assert [fmt.euro_short(v) for v in (pd.NA, float("nan"), None)] == ["–", "–", "–"]
    assert fmt.per_inhabitant(pd.NA) == "–"


def test_the_one_rule():
    assert [provenance.provenance_of(r, d) for r, d in [(1, 0), (0, 2), (1, 2), (0, 0)]] == [
        "vereinbarung", "demo", "gemischt", None]
    assert [provenance.is_demo_derived(r, d) for r, d in [(1, 0), (0, 2), (1, 2)]] == [False, True, True]
    assert provenance.mark("1,2 Mio. €", True) == "1,2 Mio. € *" and provenance.mark("–", True) == "–"
    assert provenance.page_statement(1, 26, 2025, demo_shown=True) == (
        "amtlich: 1 von 26 Vereinbarungen 2025; übrige Werte: Demodaten (mit * markiert, nicht amtlich)")
    assert provenance.official_badge(date(2025, 8, 11), "zv.txt") == "amtlich · unterzeichnet am 11.8.2025 · Quelle: zv.txt"


def test_real_agreement_page_says_amtlich_and_has_no_demo_banner(store_env):
    """Regression: the Offenbach page opened under 6 demo banners and never said „amtlich“."""
    at = app("pages/gebietskoerperschaft.py", partner="Offenbach am Main")
    assert not at.warning
    shown = "\n".join(text(m) for m in at.markdown)
    assert "amtlich · unterzeichnet am 11.8.2025 · Quelle: zielvereinbarung_2025_offenbach_am_main.txt" in shown
    metrics = {m.label: m.value for m in key_figures(at)}
    assert metrics["Budget 2025"] == "1.011.410 €"  # real: never marked because its comparison is demo
    per_inhabitant = next(m for m in key_figures(at) if m.label == "€ je Einwohner (Stand 31.12.2019)")
    assert not per_inhabitant.value.endswith("*")
    assert per_inhabitant.delta.endswith("zum Hessen-Durchschnitt *")  # the demo comparison carries the mark


def test_a_demo_agreement_says_so_in_one_literal_line(store_env):
    """Regression: the line began with the demo mark "* ", which Markdown drew as a list bullet without the mark."""
    at = app("pages/gebietskoerperschaft.py", partner="Bergstraße")
    badges = [h.value for h in at.get("html") if 'data-testid="aqb-demo-badge"' in h.value]
    line = '<div data-testid="aqb-demo-badge"><p class="aqb-quiet">* Demodaten — nicht amtlich — {} ist ein erzeugtes Beispiel.</p></div>'
    assert badges == [line.format("die Vereinbarung 2025"), line.format("dieses Dokument")]  # key figures, source
    assert not at.warning


def test_overview_has_one_statement_instead_of_banners(store_env):
    at = app()
    assert not at.warning
    assert statement(at) == "Amtlich: 1 von 26 Vereinbarungen 2025; übrige Werte: Demodaten (mit * markiert, nicht amtlich)."


def test_project_chart_and_downloads_cover_every_hit(store_env):
    """Regression: the chart and the CSV were built from the first 1.000 of 1.339 hits (2019 had no bar)."""
    total = store_env.value("select count(*) from projects")
    per_year = dict(store_env.rows("select a.agreement_year, count(*) from projects join agreements a "
                                   "using (agreement_id) group by 1"))
    assert total > 1000
    at = app("pages/projekte.py")
    assert text(at.markdown[0]).startswith(f"{number(total)} Projekte (2019–2025)")
    bars = [t for t in json.loads(at.get("plotly_chart")[0].proto.spec)["data"] if t.get("type") == "bar"]
    shown: dict[int, int] = {}
    for trace in bars:
        for x, y in zip(trace["x"], trace["y"]):
            shown[int(x)] = shown.get(int(x), 0) + int(y)
    assert shown == per_year and shown[2019] > 0
    assert f"Angezeigt: die ersten 1.000 von {number(total)} Zeilen; die Downloads enthalten alle." in [
        text(c) for c in at.caption]
    # what the download buttons read on click: every hit of the same search
    from aqb.app import frames as data
    from aqb.settings import Settings

    store = data.current_store(Settings.from_env())
    everything = data.query(store, "project_search", row_limit=None, search_text="", partner_ags_list=[],
                            year_from=2019, year_to=2025, measure_type_codes=[], include_demo=True,
                            regierungsbezirke=[], partner_kinds=[])
    assert len(everything) == total
