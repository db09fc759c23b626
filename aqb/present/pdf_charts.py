"""ChartView → reportlab ``Drawing``: the PDF renderer of the one figure layer (bar and column kinds).

Colours, the lighter demo shade, the "*" beside demo values and the German value texts come from
aqb.present.chart_style, as in the Plotly figures and the PowerPoint charts of the same view.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm

from aqb.analysis.chart_views import ChartView
from aqb.present import chart_style, theme

KINDS = ("column", "stacked_column", "bar", "clustered_bar", "stacked_bar")


def colour(hex_colour: str) -> colors.Color:
    r, g, b = theme.rgb(hex_colour)
    return colors.Color(r / 255, g / 255, b / 255)


def printable(text: str) -> str:
    """``text`` with the glyphs the PDF font lacks replaced (charts, paragraphs, tables and footer alike).

    Liberation Sans (the PDF's first font) has no narrow no-break space, which aqb.fmt puts before "%":
    a plain no-break space keeps "55 %" together and prints.
    """
    return text.replace("\u202f", "\u00a0")


def drawn_series(view: ChartView) -> list:
    """The bar series in the order reportlab gets them: a horizontal chart drawn top-down (reverseDirection)
    also turns each group upside down, so clustered series go in reversed to read as on screen."""
    series = [s for s in view.series if s.mark == "bar"]
    return series[::-1] if view.kind == "clustered_bar" else series


def view_drawing(view: ChartView, width: float, *, font: str = "Helvetica", height: float | None = None,
                 value_max: float | None = None) -> Drawing:
    """The view as a reportlab bar or column chart ``width`` points wide; raises ValueError for other kinds."""
    if view.kind not in KINDS:
        raise ValueError(f"Diagrammart {view.kind!r} gibt es im PDF nicht.")
    horizontal = view.kind in ("bar", "clustered_bar", "stacked_bar")
    stacked = view.kind in ("stacked_column", "stacked_bar")
    series = drawn_series(view)
    n = len(view.categories)
    legend = len(series) > 1
    if horizontal:
        row = 0.55 * cm * (len(series) if not stacked else 1)
        height = height or row * n + (1.6 if legend else 1.0) * cm
        chart = HorizontalBarChart()
        chart.x, chart.y = 6.2 * cm, (1.2 if legend else 0.6) * cm
        chart.width, chart.height = width - 8.2 * cm, height - chart.y - 0.3 * cm
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.reverseDirection = 1  # first category on top, as on screen and in the deck
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    else:
        height = height or 5.2 * cm
        chart = VerticalBarChart()
        chart.x, chart.y = 2.3 * cm, (1.4 if legend else 0.8) * cm
        chart.width, chart.height = width - 2.8 * cm, height - chart.y - 0.6 * cm
        chart.barLabels.nudge = 7
    if stacked:
        chart.categoryAxis.style = "stacked"
    chart.data = [[v if v is not None else 0 for v in s.values] for s in series]
    chart.categoryAxis.categoryNames = [printable(chart_style.category_label(view, i)) for i in range(n)]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5 if horizontal else 8
    chart.valueAxis.labels.fontSize = 7
    tick = chart_style.axis_text(view, [v for s in series for v in s.values])
    chart.valueAxis.labelTextFormat = lambda v: printable(tick(v))
    chart.valueAxis.valueMin = 0
    if value_max:
        chart.valueAxis.valueMax = value_max
    if not stacked:
        chart.barLabelFormat = "values"
        chart.barLabelArray = [[printable(chart_style.point_label(view, s, i)) for i in range(n)] for s in series]
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 7
    chart.bars.strokeColor = None
    position = {id(s): k for k, s in enumerate(view.series)}  # colours follow the view's series order
    for j, s in enumerate(series):
        chart.bars[j].fillColor = colour(chart_style.series_colour(s, position[id(s)]))
        for i in range(n):
            chart.bars[(j, i)].fillColor = colour(chart_style.point_colour(view, s, position[id(s)], i))
    title = chart_style.axis_title(view)
    drawing = Drawing(width, height + (0.45 * cm if title else 0))
    drawing.add(chart)
    if title:  # the value axis' title above the plot (a per-capita chart names its Stichtag here)
        drawing.add(String(chart.x, chart.y + chart.height + 0.25 * cm, printable(title), fontName=font, fontSize=7.5,
                           fillColor=colour(theme.MUTED_COLOUR)))
    if legend:
        key = Legend()
        key.x, key.y, key.alignment = chart.x, 0.35 * cm, "right"
        key.fontName, key.fontSize, key.columnMaximum, key.dx, key.dy = font, 7.5, 1, 8, 8
        key.colorNamePairs = [(colour(chart_style.series_colour(s, position[id(s)])), printable(s.name))
                              for s in sorted(series, key=lambda s: position[id(s)])]
        drawing.add(key)
    return drawing
