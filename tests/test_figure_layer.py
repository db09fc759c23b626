"""The figure layer: one ChartView drawn alike by Plotly, python-pptx and reportlab; its craft rules; page headlines."""

from __future__ import annotations

import pandas as pd

from aqb.analysis.chart_views import slope_view
from aqb.present import headlines
from aqb.present.figures import spread_labels, view_figure

NNBSP = "\u202f"


def test_end_labels_of_the_slope_chart_do_not_overlap():
    ys = [10.0, 10.1, 10.2, 50.0]
    placed = spread_labels(ys, 0, 100, 440, gap_px=20)
    gap = 100 * 20 / 440
    ordered = sorted(placed)
    assert all(b - a >= gap - 1e-9 for a, b in zip(ordered, ordered[1:]))
    assert placed[0] == 10.0 and placed[3] == 50.0  # labels with room stay at their points
    top = spread_labels([99.0, 99.5, 100.0], 0, 100, 440)
    assert max(top) <= 105.0 + 1e-9  # pushed back inside the padded axis, not off the chart


def test_slope_figure_uses_the_spread_positions():
    comparison = pd.DataFrame({
        "partner_name": ["A", "B", "C"], "regierungsbezirk": ["Kassel"] * 3, "is_demo": [False] * 3,
        "value_a": [100_000.0, 100_000.0, 200_000.0], "value_b": [500_000.0, 501_000.0, 502_000.0],
        "change_value": [400_000.0, 401_000.0, 302_000.0],
    })
    fig = view_figure(slope_view(comparison, 2019, 2025, per_inhabitant=False), projector=False)
    labels = fig.data[-1]
    assert list(labels.text) == ["A", "B", "C"]
    ys = sorted(labels.y)
    assert all(b - a > 10 for a, b in zip(ys, ys[1:]))  # 1.000 € apart in the data, readable apart on screen


def test_overview_headline_states_the_finding_in_numbers():
    ranking = pd.DataFrame({"partner_name": ["Kassel", "Fulda"], "budget_cents": [2_600_000_00, 1_000_000_00],
                            "budget_per_inhabitant_eur": [4.37, 9.8]})
    row = {"agreements_count": 26, "budget_cents": 27_450_000_00}
    prev = {"agreements_count": 26, "budget_cents": 26_900_000_00}
    assert headlines.overview(2025, row, prev, ranking) == (
        f"2025: 26 Vereinbarungen über zusammen 27,5 Mio. € (+2,0{NNBSP}% zu 2024); "
        "größtes Budget: Kassel (2,6 Mio. €).")
    one = {"agreements_count": 1, "budget_cents": 1_011_410_00}
    assert headlines.overview(2025, one, None, ranking.head(1)) == "2025: 1 Vereinbarung über zusammen 1,0 Mio. €."
    assert headlines.overview(2025, None, None, ranking) == "Für 2025 liegt in der Auswahl keine Zielvereinbarung vor."


def test_other_headlines():
    history = pd.DataFrame({"agreement_year": [2025], "budget_cents": [1_011_410_00],
                            "budget_per_inhabitant_eur": [7.7634], "hessen_per_inhabitant_eur": [6.5],
                            "hessen_agreements_count": [26]})
    assert headlines.partner("Offenbach am Main", 2025, history) == (
        "Offenbach am Main erhält 2025 1.011.410 € – 7,76 € je Einwohner, 1,26 € über dem Hessen-Durchschnitt.")
    alone = history.assign(hessen_agreements_count=1)  # no comparison over fewer than 3 values
    assert headlines.partner("Offenbach am Main", 2025, alone) == (
        "Offenbach am Main erhält 2025 1.011.410 € – 7,76 € je Einwohner.")
    mix = pd.DataFrame({"measure_type_label": ["Qualifizierung", "Ausbildung", "Qualifizierung"],
                        "project_count": [5, 4, 3]})
    assert headlines.measure_types(2025, mix) == (
        f"2025: Qualifizierung ist die häufigste Maßnahmenart – 8 von 12 Projekten (66,7{NNBSP}%).")
    counts = pd.DataFrame({"agreement_year": [2024, 2025], "project_count": [1, 0]})
    assert headlines.projects_found(counts, "Coaching") == "1 Projekt mit „Coaching“ in der Auswahl, die meisten 2024 (1)."
    coverage = pd.DataFrame({"coverage_status": ["agreement"] + ["demo"] * 181})
    assert headlines.coverage(coverage) == (
        "1 von 182 Partner-Jahren ist durch eine amtliche Zielvereinbarung belegt, 181 nur durch Demodaten.")


# ---------------------------------------------------------------------------------------------
# One ChartView, three renderers: Plotly (screen, presentation), python-pptx (deck), reportlab (PDF)

import ast  # noqa: E402
import html  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.enum.dml import MSO_FILL  # noqa: E402
from reportlab.graphics import renderPDF  # noqa: E402

from aqb.analysis.catalogue import build_view  # noqa: E402
from aqb.analysis.chart_views import history_view  # noqa: E402
from aqb.fmt import per_inhabitant_label  # noqa: E402
from aqb.present import theme  # noqa: E402
from aqb.present.pdf_charts import drawn_series, view_drawing  # noqa: E402
from aqb.present.slides import add_native_chart  # noqa: E402
from aqb.settings import PROJECT_ROOT  # noqa: E402
from aqb.store.write import open_reader  # noqa: E402
from briefing_fixtures import built, built_data  # noqa: E402, F401

PARTNER_YEAR = ("join partners p on p.partner_ags = a.partner_ags "
                "and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)")


@pytest.fixture
def con(built):  # noqa: F811
    connection = open_reader(built)
    yield connection
    connection.close()


def _unit(title: str) -> float:
    """Chart units per value of the view, read off the axis title the reader sees."""
    return 1e6 if "Mio. €" in title else 1e3 if "Tsd. €" in title else 0.01 if "(%)" in title else 1.0


def plotly_cells(view) -> dict:
    """{(series, category): (value, fill, starred)} as the Plotly figure draws them."""
    fig = view_figure(view, projector=False)
    horizontal = view.kind in ("bar", "clustered_bar", "stacked_bar")
    unit = _unit((fig.layout.xaxis if horizontal else fig.layout.yaxis).title.text)
    single = len([s for s in view.series if s.mark == "bar"]) == 1
    cells = {}
    for trace in fig.data:
        if trace.type != "bar":
            continue
        cats, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        texts = trace.text if trace.text is not None else [None] * len(cats)
        name = view.series[0].name if single else html.unescape(trace.name)  # legend names are escaped for Plotly
        for cat, value, colour, text in zip(cats, values, trace.marker.color, texts):
            cat = str(int(cat)) if isinstance(cat, (int, float)) else html.unescape(cat)  # a year axis is numeric
            cells[(name, cat)] = (None if value is None else value * unit, colour.upper(),
                                       None if text is None else text.endswith("*"))
    return cells


def pptx_cells(view) -> dict:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    chart = add_native_chart(slide, view, 0, 0, 8_000_000, 5_000_000)
    cells = {}
    for plotted in chart.plots[0].series:
        series_fill = plotted.format.fill
        default = str(series_fill.fore_color.rgb) if series_fill.type == MSO_FILL.SOLID else None
        for i, (cat, value) in enumerate(zip(chart.plots[0].categories, plotted.values)):
            fill = plotted.points[i].format.fill
            colour = str(fill.fore_color.rgb) if fill.type == MSO_FILL.SOLID else default
            cells[(plotted.name, str(cat))] = (value, f"#{colour}", None)
    return cells


def pdf_cells(view) -> dict:
    drawing = view_drawing(view, 500)
    assert renderPDF.drawToString(drawing).startswith(b"%PDF")  # it really draws
    chart = drawing.contents[0]
    cells = {}
    for j, s in enumerate(drawn_series(view)):
        for i, label in enumerate(chart.categoryAxis.categoryNames):
            colour = "#" + chart.bars[(j, i)].fillColor.hexval()[2:].upper()
            value = chart.data[j][i]
            cells[(s.name, label.removesuffix(" *"))] = (value if value else None, colour, label.endswith(" *"))
    return cells


def expected_colour(key: str, demo: bool) -> str:
    kind, _, number = key.partition(":")  # 'series:1': the theme's palette by position
    colour = theme.SERIES_COLOURS[int(number)] if kind == "series" else theme.colour_for(key)
    return (theme.demo_colour(colour) if demo else colour).upper()


def assert_same_chart(view, expected: dict, *, starred_categories: bool = True) -> None:
    """``expected``: {(series, category): (value, colour key, is_demo)} computed from the store by SQL."""
    screen, deck, paper = plotly_cells(view), pptx_cells(view), pdf_cells(view)
    for out in (screen, deck, paper):
        assert set(out) == set(expected)
    for cell, (value, key, demo) in expected.items():
        colour = expected_colour(key, demo)
        for name, out in (("plotly", screen), ("pptx", deck), ("pdf", paper)):
            shown, fill, star = out[cell]
            assert shown == pytest.approx(value, rel=1e-6, abs=1e-9), (name, cell)
            assert fill == colour, (name, cell)
        if screen[cell][2] is not None:  # stacked bars carry no per-bar text on screen
            assert screen[cell][2] == demo, cell
        if starred_categories:
            assert paper[cell][2] == demo, cell
    # the order of the categories is one, too
    order = list(dict.fromkeys(c for _, c in expected))
    assert list(dict.fromkeys(c for _, c in pdf_cells(view))) == order


def test_ranking_is_the_same_chart_on_screen_in_the_deck_and_in_the_pdf(con):
    rows = con.execute(f"""
        select p.partner_name, p.regierungsbezirk, a.budget_cents, a.is_demo
        from agreements a {PARTNER_YEAR}
        where a.agreement_year = 2025
        order by a.budget_cents desc, p.partner_name""").fetchall()
    view = build_view(con, "rangfolge", year=2025, include_demo=True)
    expected = {("Budget", name): (cents / 100, f"bezirk:{bezirk}", demo) for name, bezirk, cents, demo in rows}
    assert len(expected) == 26 and any(not d for *_, d in expected.values())  # the real Offenbach among demo rows
    assert_same_chart(view, expected)
    assert view.categories == [r[0] for r in rows]


def test_stacked_projects_are_the_same_chart_everywhere(con):
    rows = con.execute("""
        select a.agreement_year, pr.measure_type_code, count(*), bool_or(a.is_demo)
        from projects pr join agreements a using (agreement_id)
        where a.agreement_year <= 2025
        group by all""").fetchall()
    labels = dict(con.execute("select measure_type_code, measure_type_label from measure_types").fetchall())
    view = build_view(con, "mix_entwicklung", year=2025, include_demo=True)
    expected = {(labels[code], str(year)): (n, f"measure:{code}", demo) for year, code, n, demo in rows}
    assert_same_chart(view, expected, starred_categories=False)


def test_partner_history_with_the_year_highlighted_is_the_same_chart_everywhere(con):
    rows = con.execute("""
        select agreement_year, budget_cents, is_demo from agreements
        where partner_ags = '06413' order by agreement_year""").fetchall()
    history = con.execute("""
        select agreement_year, budget_cents, is_demo, status_date from agreements
        where partner_ags = '06413' order by agreement_year""").df()
    view = history_view(history, "Offenbach am Main", "06413", highlight_year=2025)
    expected = {("Zielvereinbarung", str(y)): (cents / 100, "highlight" if y == 2025 else "budget", demo)
                for y, cents, demo in rows}
    assert not expected[("Zielvereinbarung", "2025")][2]  # the real agreement: full colour, no star
    assert_same_chart(view, expected)


def test_mittelabfluss_is_the_same_clustered_chart_everywhere(con):
    rows = con.execute("""
        select p.partner_name, sum(s.spent_cents) / sum(s.approved_cents),
            sum(s.participants) filter (where s.planned_places is not null) / nullif(sum(s.planned_places), 0),
            bool_or(s.is_demo or coalesce(a.is_demo, false))
        from implementation_status s
        left join agreements a on a.partner_ags = s.partner_ags and a.agreement_year = s.agreement_year
        join latest_partners() p on p.partner_ags = s.partner_ags
        where s.agreement_year = 2025
        group by p.partner_name
        order by 2 desc, 1""").fetchall()
    view = build_view(con, "abfluss", year=2025, include_demo=True)
    spent, places = (s.name for s in view.series)
    expected = {}
    for name, spent_ratio, participant_ratio, demo in rows:
        expected[(spent, name)] = (round(spent_ratio, 4), "series:0", demo)
        if participant_ratio is not None:
            expected[(places, name)] = (round(participant_ratio, 4), "series:1", demo)
    assert len(rows) >= 20
    assert_same_chart(view, expected)


def test_per_capita_titles_name_the_stichtag(con):
    day = con.execute("select distinct population_stichtag from population_in_years(2025, 2025)").fetchall()
    assert len(day) == 1
    title = per_inhabitant_label([day[0][0]])
    assert "Stand 31.12." in title
    pro_kopf = build_view(con, "pro_kopf", year=2025, include_demo=True)
    ranking = view_figure(pro_kopf, projector=False)
    assert ranking.layout.xaxis.title.text == title
    assert title in [getattr(shape, "text", None) for shape in view_drawing(pro_kopf, 500).contents]  # the PDF too
    heat = view_figure(build_view(con, "heatmap", year=2025, include_demo=True), projector=False)
    days = [d for (d,) in con.execute("select distinct population_stichtag from population_in_years(2019, 2025)"
                                      ).fetchall()]
    assert heat.data[0].colorbar.title.text == per_inhabitant_label(days)
    # and the values are budget / inhabitants of that Stichtag
    rows = dict(con.execute("""
        select p.partner_name, round(a.budget_cents / 100.0 / po.population, 2)
        from agreements a join partners p on p.partner_ags = a.partner_ags
            and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)
        join population_in_years(2025, 2025) po on po.partner_ags = a.partner_ags and po.agreement_year = 2025
        where a.agreement_year = 2025""").fetchall())
    shown = {y: x for trace in ranking.data for y, x in zip(trace.y, trace.x)}
    assert shown == pytest.approx(rows)


def test_briefing_pdf_draws_its_charts_through_the_figure_layer(built, tmp_path):  # noqa: F811
    from aqb.analysis.briefing import load_briefing
    from aqb.present.briefing_pdf import briefing_pdf

    connection = open_reader(built)
    try:
        b = load_briefing(connection, "06413", 2025, include_demo=True)
    finally:
        connection.close()
    path = tmp_path / "unterlage.pdf"
    path.write_bytes(briefing_pdf(b))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # bar labels are the German short money texts of aqb.fmt, as on screen: the 2025 bar of the real agreement
    assert "1,0 Mio. €" in text
    # the Umsetzungsstand chart now has both series of the screen and the deck
    assert "Mittelabfluss (ausgezahlt / bewilligt)" in text and "Teilnehmende / geplante Plätze" in text


PLOTLY_MODULES = ("plotly.graph_objects", "plotly.express", "plotly.subplots", "plotly.graph_objs")


def _figure_calls(path: Path) -> list[str]:
    """Calls into Plotly's figure-building modules in one file (a type hint ``go.Figure`` is no call)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases, names = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name.startswith(PLOTLY_MODULES)}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PLOTLY_MODULES + ("plotly",)):
            if node.module == "plotly":
                aliases |= {a.asname or a.name for a in node.names if a.name in ("graph_objects", "express")}
            else:
                names |= {a.asname or a.name for a in node.names}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        while isinstance(func, ast.Attribute):
            func = func.value
        if isinstance(func, ast.Name) and (func.id in aliases or (func.id in names and func is node.func)):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_pages_and_app_build_no_plotly_figure_themselves(tmp_path):
    """Every figure comes from aqb.present (view_figure, the tile map): pages and app helpers only show it."""
    files = [PROJECT_ROOT / "dashboard.py", *sorted((PROJECT_ROOT / "pages").glob("*.py")),
             *sorted((PROJECT_ROOT / "aqb" / "app").glob("*.py")), *sorted((PROJECT_ROOT / "aqb" / "analysis").glob("*.py"))]
    assert len(files) > 20
    assert [call for path in files for call in _figure_calls(path)] == []
    # the check itself finds a figure built the forbidden way
    probe = tmp_path / "probe.py"
    probe.write_text("import plotly.graph_objects as go\nfrom plotly.express import bar\n"
                     "def f() -> go.Figure:\n    return go.Figure(data=[go.Bar(x=[1])])\nbar([1])\n", encoding="utf-8")
    assert sorted(_figure_calls(probe)) == ["probe.py:4", "probe.py:4", "probe.py:5"]


def test_two_year_charts_name_both_stichtage():
    from datetime import date

    from aqb.analysis.chart_views import changes_view

    comparison = pd.DataFrame({
        "partner_name": ["A", "B"], "regierungsbezirk": ["Kassel", "Gießen"], "is_demo": [False, True],
        "value_a": [4.0, 5.0], "value_b": [4.5, 4.0], "change_value": [0.5, -1.0], "change_ratio": [0.125, -0.2],
        "population_stichtag_a": [date(2019, 12, 31)] * 2, "population_stichtag_b": [date(2023, 12, 31)] * 2,
    })
    span = "€ je Einwohner (Stand 31.12.2019 bis 31.12.2023, je Jahr ein Stichtag)"
    bars = view_figure(changes_view(comparison, per_inhabitant=True), projector=False)
    assert bars.layout.xaxis.title.text == f"Veränderung – {span}"
    assert [list(t.text) for t in bars.data if t.type == "bar"] == [[f"+0,50 € (+12,5{NNBSP}%)",
                                                                    f"−1,00 € (−20,0{NNBSP}%)*"]]
    lines = view_figure(slope_view(comparison, 2019, 2023, per_inhabitant=True), projector=False)
    assert lines.layout.yaxis.title.text == span


def test_pdf_chart_texts_print_in_the_pdf_font(con):
    """Regression: Liberation Sans has no narrow no-break space, so every '55 %' of a PDF chart showed a box."""
    from reportlab.pdfbase import pdfmetrics

    from aqb.present import briefing_pdf

    briefing_pdf._register_fonts()
    glyphs = pdfmetrics.getFont(briefing_pdf.FONT).face.charToGlyph
    view = build_view(con, "abfluss", year=2025, include_demo=True)
    chart = view_drawing(view, 500, font=briefing_pdf.FONT).contents[0]
    texts = [t for row in chart.barLabelArray for t in row] + list(chart.categoryAxis.categoryNames)
    texts += [chart.valueAxis.labelTextFormat(v) for v in (0, 0.5, 1.0)]
    assert "55\u00a0%*" in texts or any(t.endswith("\u00a0%") for t in texts)  # the percentages are there
    assert sorted({c for t in texts for c in t if ord(c) not in glyphs}) == []
