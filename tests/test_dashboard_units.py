"""Pure parts of the dashboard: table formats, comparisons, tile layout, boundary files, figures that validate."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import pytest

from aqb.analysis import chart_views as cv
from aqb.present import figures
from aqb.present import theme
from aqb.present import tilemap
from aqb.app import frames as data
from aqb.errors import AqbError
from aqb.present.export import people_csv_bytes
from aqb.present.people_export import people_frame
from aqb.reference import load_partners
from aqb.settings import PROJECT_ROOT
from aqb.app.ui import export_frame, partner_link
from dashboard_fixtures import built_store, store_env  # noqa: F401

REFERENCE = PROJECT_ROOT / "data" / "reference"


def test_display_table_formats_german():
    frame = pd.DataFrame({
        "agreement_year": [2025, 2024], "partner_name": ["Offenbach am Main", "Kassel"],
        "budget_cents": pd.array([101141000, None], dtype="Int64"), "budget_per_inhabitant_eur": [7.7634, None],
        "project_share": [0.4286, 0.0], "provenance": ["vereinbarung", "demo"], "signed_date": [pd.Timestamp("2025-08-06"), None],
    })
    assert theme.display_table(frame).to_dict("list") == {
        "Jahr": ["2025", "2024"],
        "Gebietskörperschaft": ["Offenbach am Main", "Kassel"],
        "Budget": ["1.011.410 €", "–"],
        "€ je Einwohner": ["7,76 €", "–"],
        "Anteil": ["42,9\u202f%", "0,0\u202f%"],
        "Herkunft": ["Zielvereinbarung", "Demodaten — nicht amtlich"],
        "Datum": ["6.8.2025", "–"],
    }


def test_export_frame_is_for_people_with_exact_cents_beside():
    frame = pd.DataFrame({"partner_name": ["Offenbach am Main"], "budget_cents": [101141001],
                          "budget_per_inhabitant_eur": [7.763441], "change_status": ["continued"],
                          "provenance": ["vereinbarung"], "is_demo": [False], "link": ["gebietskoerperschaft?jahr=2025"]})
    out, columns = people_frame(export_frame(frame, ["partner_name", "budget_cents", "budget_per_inhabitant_eur",
                                                     "change_status", "is_demo", "link"]), base_url="https://aqb.example/")
    assert out.to_dict("records") == [{
        "Gebietskörperschaft": "Offenbach am Main", "Budget (€)": 1011410.01, "Budget (Cent, exakt)": 101141001,
        "€ je Einwohner": 7.76, "gegenüber Vorjahr": "fortgeführt", "aus Demodaten": "nein",
        "Vereinbarung": "https://aqb.example/gebietskoerperschaft?jahr=2025", "Herkunft": "Zielvereinbarung"}]
    assert people_csv_bytes(out, columns).decode("utf-8-sig").splitlines() == [
        "Gebietskörperschaft;Budget (€);Budget (Cent, exakt);€ je Einwohner;gegenüber Vorjahr;aus Demodaten;Vereinbarung;Herkunft",
        "Offenbach am Main;1011410,01;101141001;7,76;fortgeführt;nein;https://aqb.example/gebietskoerperschaft?jahr=2025;"
        "Zielvereinbarung"]


def test_year_comparison_whole_frame():
    frame = pd.DataFrame({
        "agreement_year": [2024, 2024, 2025, 2025, 2025],
        "partner_ags": ["06413", "06611", "06413", "06611", "06412"],
        "partner_name": ["Offenbach am Main", "Kassel", "Offenbach am Main", "Kassel", "Frankfurt am Main"],
        "partner_kind": ["kreisfreie Stadt"] * 5, "regierungsbezirk": ["Darmstadt", "Kassel", "Darmstadt", "Kassel", "Darmstadt"],
        "has_agreement": [True, True, True, True, True], "is_demo": [True, True, False, True, True],
        "budget_cents": [98000000, 130000000, 101141000, 120000000, 250000000],
        "budget_per_inhabitant_eur": [0.0] * 5,
    })
    out = data.year_comparison(frame, 2024, 2025, False)
    assert out[["partner_name", "change_cents", "value_a", "value_b", "change_value", "provenance"]].values.tolist() == [
        ["Kassel", -10000000, 1300000.0, 1200000.0, -100000.0, "demo"],
        ["Offenbach am Main", 3141000, 980000.0, 1011410.0, 31410.0, "demo"],
    ]
    assert out["change_ratio"].round(4).tolist() == [-0.0769, 0.0321]


def test_tile_layout_places_every_partner_once():
    layout = tilemap.load_layout(tilemap.layout_path(REFERENCE))
    # A partner with two periods (Main-Kinzig-Kreis before and after Hanau left it) has one tile.
    assert sorted(layout["ags"]) == sorted({p.ags for p in load_partners(REFERENCE)})
    assert not layout[["row", "col"]].duplicated().any()


def _square(x: float, y: float) -> list:
    return [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]]


def test_boundaries_merge_per_ags_and_drop_other_states(tmp_path):
    path = tmp_path / "kreise.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"RS": "064130000000"}, "geometry": {"type": "Polygon", "coordinates": _square(8.7, 50.1)}},
        {"type": "Feature", "properties": {"RS": "064130000000"}, "geometry": {"type": "Polygon", "coordinates": _square(8.8, 50.1)}},
        {"type": "Feature", "properties": {"RS": "091620000000"}, "geometry": {"type": "Polygon", "coordinates": _square(11.5, 48.1)}},
    ]}), encoding="utf-8")
    assert tilemap.load_boundaries(path, {"06413", "06412"}) == {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"aqb_ags": "06413"},
         "geometry": {"type": "MultiPolygon", "coordinates": [_square(8.7, 50.1), _square(8.8, 50.1)]}}]}


@pytest.mark.parametrize(("content", "message"), [
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"AGS": "06413"},
      "geometry": {"type": "Polygon", "coordinates": _square(480000.0, 5550000.0)}}]},
     "kreise.geojson: Koordinaten sind nicht Länge/Breite (WGS84). Umrechnen, z. B. "
     "`ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`."),
    ({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"NAME": "x"}, "geometry": None}]},
     "kreise.geojson: keine Eigenschaft mit AGS der Gebietskörperschaften "
     "(AGS, ags, AGS_0, ARS, RS, rs, krs_code, KRS, id)."),
])
def test_unusable_boundary_files_are_refused(tmp_path, content, message):
    path = tmp_path / "kreise.geojson"
    path.write_text(json.dumps(content), encoding="utf-8")
    with pytest.raises(AqbError) as err:
        tilemap.load_boundaries(path, {"06413"})
    assert str(err.value) == message


def test_partner_link_carries_partner_and_year():
    assert partner_link("Groß-Gerau", 2024) == "gebietskoerperschaft?partner=Gro%C3%9F-Gerau&jahr=2024"


def _validated(fig: go.Figure) -> go.Figure:
    """Rebuild with Plotly's validation on: a misspelt property fails here, not silently in the browser.

    The unvalidated spec must equal the validated one: validation may not have to coerce anything
    (e.g. an axis title given as a plain string, which plotly.js 3 ignores).
    """
    raw = fig.to_dict()
    checked = go.Figure(raw)
    strip = lambda spec: {**spec, "layout": {k: v for k, v in spec["layout"].items() if k != "template"}}  # noqa: E731
    assert strip(json.loads(checked.to_json())) == strip(json.loads(fig.to_json()))
    return checked


def test_every_figure_validates_on_the_store(store_env):
    store = data.current_store()
    f = data.Filters(year=2025, year_from=2019, year_to=2025)
    options = data.options(store, True)
    ov = data.overview(store, f, options.years)
    partner = options.partners[options.partners["partner_ags"] == "06413"].iloc[0].to_dict()
    profile = data.partner_profile(store, f, partner)
    frame = data.partner_years(store, f, 2019, 2025)
    comparison = data.year_comparison(frame, 2019, 2025, False)
    coverage = data.query(store, "coverage_matrix", include_demo=True, year_from=2019, year_to=2025)
    rows = profile.budget_rows
    views = [
        cv.total_by_year_view(ov.totals, ov.published_statewide),
        cv.total_by_year_view(ov.totals, ov.published_statewide, per_inhabitant=True),
        cv.ranking_view(ov.ranking, per_inhabitant=False), cv.ranking_view(ov.ranking, per_inhabitant=True, average=4.2),
        cv.measure_mix_view(ov.mix),
        cv.history_view(rows, "Offenbach am Main", "06413", published=rows.dropna(subset=["amount_cents"])),
        cv.history_view(rows, "Offenbach am Main", "06413", per_inhabitant=True),
        cv.per_inhabitant_comparison_view(profile.history, "Offenbach am Main"),
        cv.partner_projects_view(profile.projects),
        cv.partner_year_heatmap_view(frame, per_inhabitant=False), cv.partner_year_heatmap_view(frame, per_inhabitant=True),
        cv.changes_view(comparison, per_inhabitant=False), cv.slope_view(comparison, 2019, 2025, per_inhabitant=False),
        cv.measures_by_partner_view(data.measures_by_partner(store, f, 2025, 2025)),
        cv.measure_share_view(data.measure_mix(store, f, 2019, 2025)),
        cv.measure_years_matrix_view(data.measures_by_partner(store, f, 2019, 2025)),
        cv.coverage_matrix_view(coverage, theme.COVERAGE_LABELS),
    ]
    built = [figures.view_figure(v, projector=False) for v in views] + [
        figures.empty_figure("Keine Treffer"),
        figures.mark_demo(figures.view_figure(cv.ranking_view(ov.ranking.iloc[0:0], per_inhabitant=False))),
    ]
    values = data.map_values(store, f, "Budget")
    layout = tilemap.load_layout(tilemap.layout_path(REFERENCE))
    built.append(tilemap.tile_figure(values, layout, str, tilemap.scale_for(values["map_value"], "Euro", False)))
    for fig in built:
        assert _validated(fig).layout.separators == ",."


def test_change_summary():
    from aqb.app.ui import change_summary

    frame = pd.DataFrame({"change_status": ["new", "continued", "continued", "ended"]})
    assert change_summary(frame, 2025) == "1 neu · 2 fortgeführt · 1 beendet (Vergleich mit 2024)."
    first = pd.DataFrame({"change_status": ["no_previous_year"] * 9})
    assert change_summary(first, 2025) == "9 kein Vorjahr im Bestand."
    assert change_summary(first.iloc[0:0], 2019) == "Keine Projekte für 2019 im Bestand."
