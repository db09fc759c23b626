"""Slide decks: 16:9, titles, native charts with German number formats, source lines, demo marking."""

from __future__ import annotations

import os

from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL
from pptx.util import Inches

from aqb.analysis.briefing import load_briefing
from aqb.cli import main
from aqb.present import theme
from aqb.present.slides import ImageRenderer, briefing_deck, deck_bytes
from aqb.store.write import open_reader
from aqb.analysis.catalogue import build_view, for_meeting
from briefing_fixtures import OFFENBACH, built, built_data  # noqa: F401

DEMO = "Demodaten — nicht amtlich"


@pytest.fixture
def con(built):
    connection = open_reader(built)
    yield connection
    connection.close()


def shapes_text(slide) -> dict[str, str]:
    return {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}


def all_text(slide) -> str:
    parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    for shape in slide.shapes:
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


def test_view_deck(con):
    views = [build_view(con, v, year=2025, include_demo=True) for v in ("gesamt", "rangfolge", "pro_kopf", "mix")]
    prs = Presentation(BytesIO(deck_bytes(views, title="AQB Hessen 2025", subtitle="Test")))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    slides = list(prs.slides)
    assert len(slides) == 5
    assert [shapes_text(s)["Titel"] for s in slides] == [
        "AQB Hessen 2025", "AQB-Budget Hessen 2019–2025", "Budget je Gebietskörperschaft 2025",
        "Budget je Einwohner 2025", "Projekte nach Maßnahmenart 2025"]
    for slide, view in zip(slides[1:], views):
        texts = shapes_text(slide)
        assert texts["Quelle"] == view.source_line and texts["Quelle"].startswith("Quelle: ")
        assert " · Stand: " in texts["Quelle"]
        assert texts["Demodaten"] == DEMO  # demo rows contribute to every one of these
    gesamt, rangfolge, pro_kopf, mix = (charts(s)[0] for s in slides[1:])
    assert gesamt.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert [s.name for s in gesamt.plots[0].series] == ["amtliche Vereinbarungen", DEMO]
    assert gesamt.value_axis.tick_labels.number_format == '#,##0.0,, "Mio. €"'
    assert rangfolge.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert rangfolge.value_axis.tick_labels.number_format == '#,##0 "€"'
    assert rangfolge.plots[0].data_labels.number_format == '#,##0 "€"'
    names = list(rangfolge.plots[0].categories)
    values = list(rangfolge.plots[0].series[0].values)
    assert len(names) == 26 and values == sorted(values, reverse=True)
    assert values[names.index("Offenbach am Main")] == 1_011_410
    assert pro_kopf.value_axis.tick_labels.number_format == '#,##0.00 "€"'
    assert mix.chart_type == XL_CHART_TYPE.BAR_CLUSTERED  # readable on a projector, unlike a doughnut

    def fill(point) -> str:
        return str(point.format.fill.fore_color.rgb)

    def hex_of(colour: str, lighter: bool = False) -> str:
        return (theme.demo_colour(colour) if lighter else colour).lstrip("#").upper()

    # Maßnahmenart colours are the dashboard's (one theme), demo points the lighter shade of them.
    mix_view = views[3]
    assert [fill(p) for p in mix.plots[0].series[0].points] == [
        hex_of(theme.colour_for(k), d) for k, d in zip(mix_view.category_keys, mix_view.series[0].demo_points)]
    # The real Offenbach bar in full Regierungsbezirk colour, a demo bar lighter.
    points = rangfolge.plots[0].series[0].points
    keys = views[1].category_keys
    i = names.index("Offenbach am Main")
    j = next(k for k, n in enumerate(names) if n != "Offenbach am Main")
    assert fill(points[i]) == hex_of(theme.colour_for(keys[i])) == hex_of(theme.bezirk_colour("Darmstadt"))
    assert fill(points[j]) == hex_of(theme.colour_for(keys[j]), lighter=True)


def test_official_deck_has_no_demo(con):
    views = [build_view(con, v, year=2025, include_demo=False) for v in ("gesamt", "rangfolge", "abfluss")]
    # Regression: the sum of Offenbach alone was titled "AQB-Budget Hessen 2025".
    assert views[0].title == "Summe der vorliegenden Vereinbarungen 2025"
    assert views[0].note == "Vorliegende Vereinbarungen: 2025: 1 von 26 Gebietskörperschaften"
    # Regression: one-bar slides and an empty slide; now one coverage slide takes their place.
    shown = for_meeting(con, views, year=2025, include_demo=False)
    assert [v.view_id for v in shown] == ["abdeckung"]
    prs = Presentation(BytesIO(deck_bytes(shown, title="AQB Hessen 2025", subtitle="nur amtliche Quellen")))
    text = "\n".join(all_text(s) for s in prs.slides)
    assert "Demodaten" not in text
    slides = list(prs.slides)
    assert len(slides) == 2
    assert shapes_text(slides[1])["Titel"] == "Datenlage 2025: amtlich 1 von 26 Vereinbarungen"
    assert shapes_text(slides[1])["Hinweis"] == (
        "Ausgelassen, weil sie keinen oder nur einen Wert zeigen würden: Summe der vorliegenden Vereinbarungen 2025, "
        "Budget je Gebietskörperschaft 2025, Mittelabfluss und Teilnehmende 2025.")
    coverage = charts(slides[1])[0]
    years = list(coverage.plots[0].categories)
    assert years[-1] == "2025"
    real, missing = (list(s.values) for s in coverage.plots[0].series)
    assert (real[-1], missing[-1]) == (1, 25) and sum(real) == 1


@pytest.mark.slow  # starts Chromium (Kaleido)
# Skips only on a developer machine without Chromium; in CI (env CI set) a missing browser fails.
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"),
                    reason="Debian-Chromium für Kaleido fehlt")
def test_heatmap_becomes_a_high_resolution_image(con):
    view = build_view(con, "heatmap", year=2025, include_demo=True)
    try:
        prs = Presentation(BytesIO(deck_bytes([view], title="t", subtitle="s")))
    finally:
        ImageRenderer.stop()
    slide = list(prs.slides)[1]
    pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1 and not charts(slide)
    width, height = pictures[0].image.size
    assert width >= 3000 and pictures[0].image.content_type == "image/png"
    assert shapes_text(slide)["Hinweis"] == f"* = {DEMO}"


def test_briefing_deck(con):
    b = load_briefing(con, OFFENBACH, 2025, include_demo=True)
    prs = Presentation(BytesIO(briefing_deck(b)))
    slides = list(prs.slides)
    assert [shapes_text(s)["Titel"] for s in slides] == [
        "Gesprächsunterlage Offenbach am Main 2025", "Budget Offenbach am Main im Zeitverlauf",
        "Projekte 2025 nach Maßnahmenart", "Vergleich: kreisfreie Städte im Regierungsbezirk Darmstadt",
        "Umsetzungsstand (Stand 30.9.2025)", "Offene Punkte und Quellen"]
    for slide in slides:
        assert shapes_text(slide)["Quelle"].startswith("Quelle: ") and "Stand: " in shapes_text(slide)["Quelle"]
        assert shapes_text(slide)["Demodaten"] == DEMO
    key_table = next(s.table for s in slides[0].shapes if s.has_table)
    rows = [[c.text for c in r.cells] for r in key_table.rows]
    assert rows[0] == ["Kennzahl", "Wert"] and ["Budget 2025", "1.011.410 €"] in rows and ["€ je Einwohner (Stand 31.12.2019)", "7,76 €"] in rows
    history = charts(slides[1])[0]
    assert history.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert list(history.plots[0].categories)[-1] == "2025" and list(history.plots[0].series[0].values)[-1] == 1_011_410
    assert history.plots[0].data_labels.number_format == '#,##0 "€"'
    assert charts(slides[4])[0].value_axis.tick_labels.number_format == "0 %"
    assert "Unterzeichnet (Ministerium): Wiesbaden, 6.8.2025 – Heike Hofmann, Staatsministerin" in all_text(slides[5])

    official = Presentation(BytesIO(briefing_deck(load_briefing(con, OFFENBACH, 2025, include_demo=False))))
    assert "Demodaten" not in "\n".join(all_text(s) for s in official.slides)
    assert all("Demodaten" not in shapes_text(s) for s in official.slides)


def test_slides_command(built, tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    assert main(["slides", "--year", "2025", "--charts", "gesamt,rangfolge,entwicklung", "--partner", "06413",
                 "--official", "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: 2 Folien (16:9).\n"  # three one-bar views -> one coverage slide
    prs = Presentation(str(out))
    assert shapes_text(list(prs.slides)[1])["Titel"] == "Datenlage 2025: amtlich 1 von 26 Vereinbarungen"
    assert main(["slides", "--year", "2025", "--charts", "gesamt,karte", "--out", str(out)]) == 2
    assert "Unbekannte Ansicht(en) karte" in capsys.readouterr().err


def test_every_catalogue_view_draws_in_the_theme(con):
    """One figure layer: presentation mode draws each catalogue view with view_figure, validated by Plotly."""
    import plotly.graph_objects as go

    from aqb.analysis.catalogue import VIEW_IDS
    from aqb.present.figures import view_figure

    for view_id in VIEW_IDS:
        view = build_view(con, view_id, year=2025, include_demo=True, partner_ags="06413")
        fig = view_figure(view, height=700)
        checked = go.Figure(fig.to_dict())  # raises on a misspelt property
        assert checked.layout.separators == ",." and checked.layout.height == 700
        if view_id == "mix":  # bars in the Maßnahmenart colours of the dashboard, not a doughnut
            assert checked.data[0].type == "bar"
            assert list(checked.data[0].marker.color) == [  # demo points in the lighter shade of their colour
                theme.demo_colour(theme.colour_for(k)) if d else theme.colour_for(k)
                for k, d in zip(view.category_keys, view.series[0].demo_points)]
        if view_id == "rangfolge":
            # one trace per Regierungsbezirk (its legend entry), as on the Überblick
            darmstadt = next(t for t in checked.data if t.name == "RB Darmstadt")
            offenbach = list(darmstadt.y).index("Offenbach am Main")
            assert darmstadt.text[offenbach] == "1,0 Mio. €"  # German short money, never "1.011.41"
            assert darmstadt.marker.color[offenbach] == theme.bezirk_colour("Darmstadt")  # real: full colour
            demo = dict(zip(view.categories, view.series[0].demo_points))
            for trace in checked.data:
                for name, text, colour in zip(trace.y, trace.text, trace.marker.color):
                    assert text.endswith("*") == demo[name]
                    bezirk = trace.name.removeprefix("RB ")
                    assert colour == (theme.demo_colour(theme.bezirk_colour(bezirk)) if demo[name]
                                      else theme.bezirk_colour(bezirk))
