"""The Streamlit app on a real store: every page renders, shown values equal the store, filters and URL work."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from aqb.fmt import euro_from_cents
from dashboard_fixtures import DASHBOARD, PAGES, built_store, empty_env, key_figures, statement, store_env  # noqa: F401

REAL_SENTENCE = ("Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025 Haushaltsmittel in Höhe von insgesamt "
                 "1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung.")


def app(page: str | None = None, **url) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    if page and page != "pages/ueberblick.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The page's key figures and the st.metric of its sections (Umsetzungsstand), label → value as shown."""
    # The quiet demo mark " *" is the provenance rule's (tests/test_honest_views.py), not part of the value.
    return {m.label: m.value.removesuffix(" *") for m in [*key_figures(at), *at.metric]}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def shown(text: str) -> str:
    """What a reader sees of Markdown source: document text reaches Streamlit backslash-escaped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def markdown(at: AppTest) -> list[str]:
    return [shown(m.value) for m in at.markdown]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_on_the_built_store(store_env, page):
    at = app(page)
    assert [t.value for t in at.title] == [PAGES[page]]
    assert not at.error


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_explains_an_empty_store(empty_env, page):
    at = app(page)
    assert [t.value for t in at.title] == [PAGES[page]]
    assert [i.value[:33] for i in at.info] == ["Noch kein Datenbestand vorhanden."]
    assert not at.get("plotly_chart")


def test_overview_metrics_equal_the_store(store_env):
    at = app()
    total = store_env.value("select sum(budget_cents) from agreements where agreement_year = 2025")
    projects = store_env.value("select count(*) from projects join agreements using (agreement_id) "
                               "where agreement_year = 2025")
    previous = store_env.value("select sum(budget_cents) from agreements where agreement_year = 2024")
    change = f"{'+' if total > previous else '−'}{abs(total / previous - 1) * 100:.1f}\u202f%".replace(".", ",")
    assert metrics(at) == {  # demo-derived values carry the quiet mark of the one provenance rule
        "Landessumme 2025": euro_from_cents(total),
        "Vereinbarungen unterzeichnet": "26 von 26",
        "Projekte": f"{projects}",
        "Veränderung zu 2024": change,
    }
    assert f"26 Vereinbarungen, zusammen {euro_from_cents(total)}." in markdown(at)  # ranking sums to the total
    assert not at.warning  # one statement per page instead of a banner per block
    assert statement(at) == ("Amtlich: 1 von 26 Vereinbarungen 2025; übrige Werte: Demodaten "
                                   "(mit * markiert, nicht amtlich).")


def test_changing_year_and_region_updates_the_metrics(store_env):
    at = app()
    at.selectbox(key="jahr").set_value(2023).run()
    total = store_env.value("select sum(budget_cents) from agreements where agreement_year = 2023")
    assert metrics(at)["Landessumme 2023"] == euro_from_cents(total)
    at.multiselect(key="bezirk").set_value(["Kassel"]).run()
    kassel = store_env.value(
        "select sum(a.budget_cents) from agreements a join partners p using (partner_ags) "
        "where a.agreement_year = 2023 and p.regierungsbezirk = 'Kassel'")
    count = store_env.value("select count(*) from partners where regierungsbezirk = 'Kassel'")
    assert metrics(at)["Summe der Auswahl 2023"] == euro_from_cents(kassel)
    assert metrics(at)["Vereinbarungen unterzeichnet"] == f"{count} von {count}"
    assert f"{count} Vereinbarungen, zusammen {euro_from_cents(kassel)}." in markdown(at)


def test_official_only_shows_how_little_is_left(store_env):
    at = app()
    at.toggle(key="amtlich").set_value(True).run()
    assert metrics(at) == {
        "Summe der vorliegenden Vereinbarungen 2025": "1.011.410 €",
        "Vereinbarungen unterzeichnet": "1 von 26",
        "Projekte": "9",
        "Veränderung zu 2024": "–",
    }
    assert statement(at) == (
        "Amtlich: 1 von 26 Vereinbarungen 2025; nur amtliche Quellen — Werte ohne amtliche Vereinbarung bleiben leer. "
        "1 von 182 Partner-Jahren (2019–2025) sind durch eine amtliche Zielvereinbarung belegt.")
    assert not at.warning  # nothing demo left to mark
    ranking = charts(at)[1]
    assert [list(t["y"]) for t in ranking["data"]] == [["Offenbach am Main"]]


def test_per_inhabitant_uses_population_2019(store_env):
    at = app(darstellung="je Einwohner", amtlich="true")
    # 1.011.410 € / 130.280: 31.12.2019 is the latest Stichtag all 26 partners have (issue 15)
    assert metrics(at)["€ je Einwohner 2025 (Stand 31.12.2019)"] == "7,76 €"


def test_url_reopens_the_same_view(store_env):
    at = app("pages/gebietskoerperschaft.py", partner="Frankfurt am Main", jahr="2023")
    assert at.selectbox(key="partner").value == "Frankfurt am Main"
    budget = store_env.value("select budget_cents from agreements where partner_ags = '06412' and agreement_year = 2023")
    assert metrics(at)["Budget 2023"] == euro_from_cents(budget)


def test_partner_page_shows_source_sentence_and_signatures(store_env):
    at = app("pages/gebietskoerperschaft.py", partner="Offenbach am Main")
    shown = metrics(at)
    assert (shown["Budget 2025"], shown["€ je Einwohner (Stand 31.12.2019)"], shown["Projekte"]) == (
        "1.011.410 €", "7,76 €", "9")
    assert f"> {REAL_SENTENCE}" in markdown(at)
    assert ("Ministerium: Heike Hofmann (Staatsministerin), Wiesbaden, 6.8.2025; Gebietskörperschaft: "
            "Martin Wilhelm (Stadtrat/Stadtkämmerer), Offenbach am Main, 11.8.2025") in markdown(at)
    assert "Originaldokument herunterladen" in [b.proto.label for b in at.get("download_button")]
    at.selectbox(key="partner").set_value("Kassel").run()
    budget = store_env.value("select budget_cents from agreements where partner_ags = '06611' and agreement_year = 2025")
    assert metrics(at)["Budget 2025"] == euro_from_cents(budget)


def test_partner_page_names_a_missing_year(store_env):
    at = app("pages/gebietskoerperschaft.py", partner="Kassel", amtlich="true")
    assert [w.value for w in at.warning] == [
        "Für Kassel liegt für 2025 keine Zielvereinbarung im Bestand vor (amtliche Quellen). Jahre mit Vereinbarung: keine."]
    published = charts(at)[0]
    assert [t["name"] for t in published["data"]] == ["veröffentlicht (Presse/Gremien)"]


def test_map_reconciles_with_the_statewide_total(store_env):
    at = app("pages/karte.py", jahr="2024")
    total = store_env.value("select sum(budget_cents) from agreements where agreement_year = 2024")
    summary = [m for m in markdown(at) if m.startswith("Budget 2024")][0]
    assert f"Summe der Budgets {euro_from_cents(total)}." in summary
    tiles = charts(at)[0]
    assert [t["type"] for t in tiles["data"]] == ["heatmap", "heatmap"]
    values = [v for row in tiles["data"][1]["z"] for v in row if v is not None]
    assert round(sum(values) * 100) == total and len(values) == 26


def test_year_comparison_between_range_ends(store_env):
    at = app("pages/jahresvergleich.py")
    at.select_slider(key="zeitraum").set_range(2023, 2025).run()
    # Message first: the biggest changes (top ten) open the page, the 26-row heatmap follows.
    assert [s.value for s in at.header if s.value != "Filter"] == [
        "Größte Veränderungen 2023 → 2025 (Budget)", "Budget je Gebietskörperschaft und Jahr",
        "Steigungsdiagramm 2023 → 2025"]
    assert len(charts(at)[0]["data"][0]["y"]) == 10
    heat = charts(at)[1]["data"][0]
    assert list(heat["x"]) == ["2023", "2024", "2025"] and len(heat["y"]) == 26


def test_project_search_links_to_the_agreement(store_env):
    at = app("pages/projekte.py", suche="Coaching", amtlich="true")
    assert "2 Projekte mit „Coaching“ (2019–2025)." in markdown(at)
    # The table under the chart is an accessible HTML table; each hit names the agreement's page.
    table = "".join(h.proto.body for h in at.get("html"))
    assert table.count("gebietskoerperschaft?partner=Offenbach+am+Main&amp;jahr=2025") == 2


def test_sources_page_lists_quality_notes(store_env):
    at = app("pages/daten_quellen.py", amtlich="true")
    assert metrics(at)["Vereinbarungen amtlich"] == "1"
    assert "182 Partner-Jahre: 1 Zielvereinbarung (amtlich) · 0 nur Demodaten · 5 nur veröffentlichter Betrag · " \
           "176 fehlt." in markdown(at)


def test_broken_boundary_file_falls_back_to_tiles(store_env, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    shutil.copytree(store_env.data_dir / "reference", data_dir / "reference")
    (data_dir / "geo").mkdir()
    (data_dir / "geo" / "kreise.geojson").write_text("{kein json", encoding="utf-8")
    monkeypatch.setenv("AQB_DATA_DIR", str(data_dir))
    at = app("pages/karte.py")
    assert at.warning[0].value.startswith("Grenzdatei nicht verwendbar (kreise.geojson: keine lesbare GeoJSON-Datei")
    assert [t["type"] for t in charts(at)[0]["data"]] == ["heatmap", "heatmap"]


def test_choropleth_from_a_boundary_file(store_env, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    shutil.copytree(store_env.data_dir / "reference", data_dir / "reference")
    (data_dir / "geo").mkdir()
    square = lambda x, y: [[[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]]  # noqa: E731
    (data_dir / "geo" / "kreise.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"AGS": "06413000", "GEN": "Offenbach"},
         "geometry": {"type": "Polygon", "coordinates": square(8.7, 50.1)}},
        {"type": "Feature", "properties": {"AGS": "06412000", "GEN": "Frankfurt"},
         "geometry": {"type": "Polygon", "coordinates": square(8.5, 50.1)}},
        {"type": "Feature", "properties": {"AGS": "09162000", "GEN": "München"},
         "geometry": {"type": "Polygon", "coordinates": square(11.5, 48.1)}},
    ]}), encoding="utf-8")
    monkeypatch.setenv("AQB_DATA_DIR", str(data_dir))
    at = app("pages/karte.py")
    figure = charts(at)[0]
    assert [t["type"] for t in figure["data"]] == ["choropleth", "scattergeo"]
    assert sorted(figure["data"][0]["locations"]) == ["06412", "06413"]
    assert figure["layout"]["geo"]["fitbounds"] == "locations"


def test_demo_layer_switched_off(store_env, monkeypatch):
    monkeypatch.setenv("AQB_DEMO", "0")
    at = app()
    assert metrics(at)["Vereinbarungen unterzeichnet"] == "1 von 26"
    assert metrics(at)["Summe der vorliegenden Vereinbarungen 2025"] == "1.011.410 €"
    assert not at.toggle and not at.warning
    assert [s.value for s in at.sidebar.caption][0] == (
        "Demodaten sind ausgeschaltet (AQB_DEMO=0 bzw. öffentlicher Modus): es zählen nur amtliche Quellen.")


def test_public_mode_shows_only_published_agreements(store_env, monkeypatch):
    monkeypatch.setenv("AQB_PUBLIC", "1")
    at = app()
    published = store_env.value("select count(*) from agreements where status = 'veroeffentlicht'")
    if published == 0:
        assert [i.value for i in at.info] == ["Öffentlicher Modus: noch keine veröffentlichte Zielvereinbarung im Bestand."]
    else:
        assert metrics(at)["Vereinbarungen unterzeichnet"].startswith(str(published))


@pytest.mark.parametrize("url", [{}, {"bezirk": "Gießen", "jahr": "2022"}, {"amtlich": "true"}])
def test_total_reconciles_across_pages(store_env, url):
    year = int(url.get("jahr", 2025))
    where = "a.agreement_year = $y" + (" and p.regierungsbezirk = 'Gießen'" if "bezirk" in url else "") + (
        " and not a.is_demo" if "amtlich" in url else "")
    total = store_env.value(f"select coalesce(sum(a.budget_cents), 0) from agreements a join partners p on "
                            f"p.partner_ags = a.partner_ags and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year) "
                            f"where {where}", {"y": year})
    projects = store_env.value(f"select count(*) from projects join agreements a using (agreement_id) join partners p "
                               f"on p.partner_ags = a.partner_ags and is_valid_in_year(p.valid_from, p.valid_to, "
                               f"a.agreement_year) where {where}", {"y": year})
    overview = app(**url)
    shown = {k: v.removesuffix(" *") for k, v in metrics(overview).items()}  # the demo mark is not part of the value
    assert [v for k, v in shown.items() if "umme" in k] == [euro_from_cents(total)]  # (Landes)summe
    assert shown["Projekte"] == str(projects)
    karte = app("pages/karte.py", **url)
    tiles = [v for row in charts(karte)[0]["data"][1]["z"] for v in row if v is not None]
    assert round(sum(tiles) * 100) == total
    heat = app("pages/jahresvergleich.py", **url)
    grid = next(t for c in charts(heat) for t in c["data"] if t.get("type") == "heatmap")  # after the top changes
    column = list(grid["x"]).index(str(year))
    assert round(sum(r[column] for r in grid["z"] if r[column] is not None) * 100_000) == total
    mix = app("pages/massnahmenarten.py", **url)
    assert markdown(mix)[1].startswith(f"{projects} Projekte")  # the chart per partner, after the shares


def test_partner_page_shows_the_umsetzungsstand(store_env):
    from aqb.fmt import percent

    at = app("pages/gebietskoerperschaft.py", partner="Frankfurt am Main")
    spent, approved = (store_env.value(f"select sum({c}) from implementation_status where partner_ags = '06412' "
                                       "and agreement_year = 2025") for c in ("spent_cents", "approved_cents"))
    assert metrics(at)["Mittelabfluss"] == percent(spent / approved, 0)
    assert "Umsetzungsstand 2025" in [h.value for h in at.subheader]


@pytest.mark.parametrize("page", ["pages/ueberblick.py", "pages/gebietskoerperschaft.py"])
def test_metric_arrows_follow_the_sign_of_the_delta(store_env, page):
    # Streamlit's "auto" arrow knew only the ASCII hyphen: beside the true minus it drew "↑ −0,48 €".
    at = app(page=page)
    deltas = [(m.delta, m.arrow) for m in key_figures(at) if m.delta]
    assert deltas  # the page shows at least one change
    for delta, arrow in deltas:
        assert arrow == ("↓" if delta.startswith("\u2212") else "↑" if delta.startswith("+") else ""), (delta, arrow)
