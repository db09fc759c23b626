"""What every chart renderer (Plotly, python-pptx, reportlab) takes from one place: colours, demo marks, value texts.

A ChartView (aqb.analysis.chart_views) names colour keys and demo points; this module turns them
into the theme colour of each point (demo points in the lighter shade of theme.demo_colour, never a
pattern fill), the "*" beside demo values and the German value texts of aqb.fmt.
"""

from __future__ import annotations

import pandas as pd

from aqb import fmt
from aqb.analysis.chart_views import COUNT, EURO, EURO_CENTS, MILLION_EURO, PERCENT, ChartView, Series
from aqb.present import theme

DEMO_STAR = "*"


def value_text(value, number_format: str) -> str:
    """The German text of one chart value in the view's number format ('' for a missing value)."""
    if value is None or pd.isna(value):
        return ""
    if number_format in (EURO, MILLION_EURO):
        return fmt.euro_short(float(value) * 100)
    if number_format == EURO_CENTS:
        return fmt.per_inhabitant(float(value), unit="€")
    if number_format == PERCENT:
        return fmt.percent(float(value), 0)
    if number_format == COUNT:
        return fmt.number(value)
    return fmt.number(value, 2)


def is_demo(series: Series, i: int) -> bool:
    return i < len(series.demo_points) and bool(series.demo_points[i])


def point_label(view: ChartView, series: Series, i: int) -> str:
    """The value text written at point ``i`` (the series' own label if it has one), starred when it rests on demo rows."""
    value = series.values[i] if i < len(series.values) else None
    if value is None:
        return ""
    text = series.labels[i] if series.labels else value_text(value, view.number_format)
    return text + (DEMO_STAR if is_demo(series, i) else "")


def series_colour(series: Series, index: int) -> str:
    return theme.colour_for(series.colour_key, index)


def point_key(view: ChartView, series: Series, i: int) -> str | None:
    """The colour key of one point: its own, else its category's (single-series charts), else the series'."""
    if series.point_keys and i < len(series.point_keys):
        return series.point_keys[i]
    if view.category_keys is not None and len(view.series) == 1 and i < len(view.category_keys):
        return view.category_keys[i]
    return series.colour_key


def point_colour(view: ChartView, series: Series, index: int, i: int) -> str:
    """The fill of point ``i`` of the ``index``-th series: theme colour, lighter for demo points."""
    key = point_key(view, series, i)
    colour = theme.colour_for(key, index if key == series.colour_key else i)
    return theme.demo_colour(colour) if is_demo(series, i) else colour


def category_label(view: ChartView, i: int) -> str:
    """A category as written on the axis; starred when every series' point there rests on demo rows (PDF)."""
    name = view.categories[i]
    points = [s for s in view.series if i < len(s.values) and s.values[i] is not None]
    return name + (" " + DEMO_STAR if points and all(is_demo(s, i) for s in points) else "")


def money_unit(values) -> tuple[float, str]:
    """Divisor and unit for a euro axis: 'Mio. €' or 'Tsd. €' instead of SI suffixes like 25M."""
    finite = [abs(float(v)) for v in values if v is not None and not pd.isna(v)]
    return (1_000_000.0, "Mio. €") if max(finite + [0.0]) >= 1_000_000 else (1_000.0, "Tsd. €")


def axis_text(view: ChartView, values):
    """The tick text function of a value axis: euro ticks in one unit ('0,5 Mio. €', '1,0 Mio. €'), else value_text."""
    if view.number_format in (EURO, MILLION_EURO):
        divisor, unit = money_unit(values)
        digits = 1 if divisor == 1_000_000 else 0
        return lambda v: f"{fmt.number(v / divisor, digits)} {unit}"
    return lambda v: value_text(v, view.number_format)


def axis_title(view: ChartView) -> str:
    """A value axis title worth writing (not the bare 'Euro' the tick texts already say)."""
    return "" if view.value_label in (None, "", "Euro") else view.value_label
