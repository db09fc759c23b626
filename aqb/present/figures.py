"""The Plotly renderer of the one figure layer: every chart of the dashboard and presentation mode (no Streamlit).

Each chart is a ChartView (aqb.analysis.chart_views, built by one function from one frame);
``view_figure`` draws it — for the dashboard pages (``projector=False``), presentation mode and as
the image slide decks embed where no native chart fits. The PowerPoint (aqb.present.slides) and
PDF (aqb.present.pdf_charts) renderers draw the same views; colours, demo marks and value texts of
all three come from aqb.present.chart_style.

Figures are assembled as plain trace and layout dicts and turned into a ``go.Figure`` once, without
Plotly's per-property validation: building them step by step (add_bar, update_layout) costs 10–20 ms
per chart, which a dashboard that should answer a click at once cannot afford. The tests rebuild
every figure with validation switched on, so a misspelt property still fails there.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aqb import fmt
from aqb.analysis.chart_views import EURO, EURO_CENTS, MILLION_EURO, PERCENT, ChartView, Series
from aqb.present import chart_style, escape, theme

VALIDATE = False

# A small light template: Plotly's stock templates are large, re-validated for every figure and
# sent to the browser with every chart.
_AXIS = {"gridcolor": "#E5E5E5", "linecolor": "#BBBBBB", "zerolinecolor": "#BBBBBB", "automargin": True}
TEMPLATE = {"layout": {
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": list(theme.MEASURE_TYPE_COLOURS.values()),
    "xaxis": _AXIS, "yaxis": _AXIS, "hovermode": "closest",
}}


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def figure(traces: list[dict], layout: dict | None = None, *, height: int = theme.CHART_HEIGHT,
           legend: bool = True) -> go.Figure:
    """The one way figures are made: German separators, large fonts, the light template."""
    base = {
        "template": TEMPLATE,
        "separators": ",.",
        "font": {"size": theme.FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif"},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        "hoverlabel": {"font": {"size": theme.FONT_SIZE}},
    }
    merged = _merge(base, layout or {})
    for key, axis in merged.items():  # plotly.js 3 reads axis titles only as {"text": ...}
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict) and "title" in axis:
            title = axis.pop("title")
            if title is not None:
                axis["title"] = title if isinstance(title, dict) else {"text": title}
    merged = escape.plotly_layout({k: v for k, v in merged.items() if v != {}})
    # Labels come from documents: Plotly's HTML subset (<a href>, <b>, <br>) must show as text.
    return go.Figure(data=[escape.plotly_trace(t) for t in traces], layout=merged, _validate=VALIDATE)


def mark_demo(fig: go.Figure) -> go.Figure:
    """Put the demo marking into the figure's title, so a screenshot or PNG export still carries it."""
    fig.layout.title = {"text": f"<b>{theme.DEMO_LABEL}</b>", "x": 0.99, "xanchor": "right", "y": 0.99,
                        "yanchor": "top", "font": {"color": "#B35900", "size": theme.FONT_SIZE}}
    fig.layout.margin.t = max(fig.layout.margin.t or 40, 90)
    return fig


def empty_figure(message: str) -> go.Figure:
    return figure([], {
        "annotations": [{"text": message, "showarrow": False, "font": {"size": theme.FONT_SIZE + 2}}],
        "xaxis": {"visible": False}, "yaxis": {"visible": False},
    }, height=220, legend=False)


def money_unit(max_eur: float | None) -> tuple[float, str]:
    """Divisor and axis title for euro axes: 'Mio. €' or 'Tsd. €' instead of SI suffixes like 25M."""
    return chart_style.money_unit([max_eur])


def _pad_range(values, share: float = 0.18) -> list[float]:
    """Axis range with room for the value labels written outside the bars."""
    finite = [float(v) for v in values if v is not None and pd.notna(v)]
    high = max(finite + [0.0])
    low = min(finite + [0.0])
    span = (high - low) or 1.0
    return [low - (span * share if low < 0 else 0), high + span * share]


YEAR_AXIS = {"dtick": 1, "tickformat": "d"}


def spread_labels(ys: list[float], low: float, high: float, plot_px: int, gap_px: int = 20) -> list[float]:
    """Label positions at least ``gap_px`` apart on a ``plot_px`` high axis from ``low`` to ``high``, near their points.

    End labels of lines that end close together (slope chart) would otherwise print over each other.
    """
    if not ys:
        return []
    span = (high - low) or 1.0
    gap = span * gap_px / max(plot_px, 1)
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [0.0] * len(ys)
    previous = None
    for i in order:  # push each label up far enough from the one below it
        y = ys[i] if previous is None else max(ys[i], previous + gap)
        placed[i] = previous = y
    overshoot = placed[order[-1]] - (high + span * 0.05)
    if overshoot > 0:  # then shift the stack down again as far as the axis allows
        placed = [y - min(overshoot, max(0.0, placed[order[0]] - (low - span * 0.05))) for y in placed]
    return placed


# ---------------------------------------------------------------------------------------------
# Chart views (aqb.analysis.chart_views): every chart of dashboard, presentation mode and deck images

DEMO_STAR = chart_style.DEMO_STAR
DEMO_OPACITY = theme.DEMO_OPACITY  # demo points: the same colour, lighter (theme.demo_colour), with a star
_SYMBOLS = ("circle", "square", "diamond", "triangle-up")


def _hover(text: str) -> str:
    # Hover texts carry document text (partner and project names): escaped line by line, joined by <br>.
    return "<br>".join(escape.plotly(line) for line in str(text).split("\n"))


def _view_scale(view: ChartView, values: list) -> tuple[float, str, dict]:
    """(divisor, axis title, axis dict) for the value axis of a view."""
    finite = [abs(v) for v in values if v is not None and pd.notna(v)]
    if view.number_format in (EURO, MILLION_EURO):
        divisor, unit = money_unit(max(finite + [0]))
        label = view.value_label
        return divisor, unit if label in (None, "Euro") else f"{label} ({unit})", {}
    if view.number_format == PERCENT:
        return 0.01, f"{view.value_label or 'Anteil'} (%)", {"ticksuffix": fmt.PERCENT_SUFFIX}
    if view.number_format == EURO_CENTS:
        return 1.0, view.value_label or "€", {"tickformat": ",.2f"}
    return 1.0, view.value_label or "", {"tickformat": ",d"}


def view_figure(view: ChartView, *, projector: bool = True, height: int | None = None) -> go.Figure:
    """The Plotly figure of a ChartView (aqb.analysis.chart_views) in the shared theme.

    Value labels are German texts from aqb.fmt (never a d3 format cut at the edge); the value axis
    leaves room for them; demo points are lighter and starred (aqb.present.chart_style). ``projector``
    uses the large fonts of presentation mode (dashboard pages pass False); ``height`` fits the figure to a slide.
    """
    size = 20 if projector else theme.FONT_SIZE
    if view.is_empty:
        return empty_figure(view.empty_text or "Keine Daten.")
    draw = {"heatmap": _view_heatmap, "line": _view_lines, "area_share": _view_area, "slope": _view_slope}
    fig = draw.get(view.kind, _view_bars)(view, size, projector)
    if height:
        fig.layout.height = height
    return fig


def _category_x(view: ChartView, offset: float = 0.0) -> list:
    return [int(c) + offset for c in view.categories] if view.year_axis else list(view.categories)


def _view_bars(view: ChartView, size: int, projector: bool) -> go.Figure:
    horizontal = view.kind in ("bar", "clustered_bar", "stacked_bar", "doughnut")
    stacked = view.kind in ("stacked_column", "stacked_bar")
    bars = [s for s in view.series if s.mark == "bar" and any(v is not None for v in s.values)]
    marks = [s for s in view.series if s.mark == "markers"]
    n = len(view.categories)
    totals = [sum(s.values[j] or 0 for s in bars) for j in range(n)]
    values_all = (totals if stacked else [v for s in bars for v in s.values]) + [v for s in marks for v in s.values]
    divisor, unit, axis_extra = _view_scale(view, values_all)
    positions = _category_x(view)
    traces = []
    for index, s in enumerate(view.series):
        if s not in bars:
            continue
        groups = [(None, list(range(n)))]
        if view.legend and len(bars) == 1 and view.category_keys:  # colours mean something: one legend entry each
            groups = [(label, [i for i in range(n) if view.category_keys[i] == key]) for key, label in view.legend.items()]
        for legend_name, points in groups:
            if not points:
                continue
            scaled = [None if s.values[i] is None else s.values[i] / divisor for i in points]
            trace = {
                "type": "bar", "name": legend_name or s.name, "cliponaxis": False,
                "marker": {"color": [chart_style.point_colour(view, s, index, i) for i in points]},
                "customdata": [[_hover(s.hover[i] if s.hover else f"{view.categories[i]}: "
                                       f"{chart_style.point_label(view, s, i)}")] for i in points],
                "hovertemplate": "%{customdata[0]}<extra></extra>",
            }
            cats = [positions[i] for i in points]
            trace.update({"orientation": "h", "y": cats, "x": scaled} if horizontal else {"x": cats, "y": scaled})
            if not stacked:
                trace.update({"text": [chart_style.point_label(view, s, i) for i in points], "textposition": "outside",
                              "textfont": {"size": size - 2}})
            traces.append(trace)
    if stacked:  # the sum above each stack, starred when demo rows are in it (the bars carry no text)
        sums = [t / divisor for t in totals]
        starred = [any(chart_style.is_demo(s, j) and s.values[j] for s in bars) for j in range(n)]
        traces.append({"type": "scatter", "mode": "text", "showlegend": False, "hoverinfo": "skip", "cliponaxis": False,
                       "textfont": {"size": size - 2},
                       **({"x": sums, "y": positions, "textposition": "middle right"} if horizontal
                          else {"x": positions, "y": sums, "textposition": "top center"}),
                       "text": [chart_style.value_text(t, view.number_format) + (DEMO_STAR if d else "") if t else ""
                                for t, d in zip(totals, starred)]})
    for j, s in enumerate(marks):
        keep = [i for i in range(n) if s.values[i] is not None]
        traces.append({
            "type": "scatter", "mode": "markers", "name": s.name,
            "x": [_category_x(view, s.offset)[i] for i in keep], "y": [s.values[i] / divisor for i in keep],
            "marker": {"symbol": "diamond", "size": 14, "color": theme.colour_for(s.colour_key, j),
                       "line": {"color": "white", "width": 1}},
            "customdata": [[_hover(s.hover[i]) if s.hover else ""] for i in keep],
            "hovertemplate": "%{customdata[0]}<extra></extra>",
        })
    scaled_all = [v / divisor for v in values_all if v is not None]
    value_axis = {"title": unit, "range": _pad_range(scaled_all, 0.28 if horizontal else 0.15), **axis_extra}
    category_axis = {"title": None, **(YEAR_AXIS if view.year_axis else {"type": "category"})}
    if horizontal:
        category_axis.update({"categoryorder": "array", "categoryarray": list(view.categories), "autorange": "reversed",
                              "tickfont": {"size": size - (4 if n > 15 else 0)}})
        layout = {"xaxis": value_axis, "yaxis": category_axis}
        row = 30 if projector else 28
        natural = max(420 if projector else theme.CHART_HEIGHT, (row if len(bars) == 1 or stacked else 44) * n + 140)
    else:
        layout = {"xaxis": category_axis, "yaxis": value_axis}
        natural = 560 if projector else theme.CHART_HEIGHT
    if view.reference is not None:
        value, label = view.reference
        layout["shapes"] = [{"type": "line", "x0": value, "x1": value, "yref": "paper", "y0": 0, "y1": 1,
                             "line": {"dash": "dash", "color": theme.HESSEN_COLOUR}}]
        layout["annotations"] = [{"x": value, "yref": "paper", "y": 1, "yanchor": "bottom", "showarrow": False,
                                  "text": escape.plotly(label)}]
    legend = len(traces) - (1 if stacked else 0) > 1
    layout.update({"barmode": "stack" if stacked else "group", "font": {"size": size},
                   "margin": {"l": 10, "r": 30, "t": 50 if legend or view.reference else 20, "b": 10},
                   "hoverlabel": {"font": {"size": size}}})
    return figure(traces, layout, height=natural, legend=legend)


def _view_lines(view: ChartView, size: int, projector: bool) -> go.Figure:
    traces = []
    for index, s in enumerate(view.series):
        colour = chart_style.series_colour(s, index)
        traces.append({
            "type": "scatter", "x": _category_x(view), "y": list(s.values), "name": s.name, "mode": "lines+markers",
            "line": {"color": colour, "dash": s.dash, "width": 3},
            "marker": {"symbol": _SYMBOLS[index % len(_SYMBOLS)], "size": 10,
                       "color": [chart_style.point_colour(view, s, index, i) for i in range(len(s.values))]},
            "customdata": [[_hover(h)] for h in (s.hover or [chart_style.point_label(view, s, i)
                                                             for i in range(len(s.values))])],
            "hovertemplate": "%{customdata[0]}<extra>" + escape.plotly(s.name) + "</extra>",
        })
    _, unit, axis_extra = _view_scale(view, [])
    top = [v for s in view.series for v in s.values if v is not None]
    return figure(traces, {"xaxis": YEAR_AXIS if view.year_axis else {"type": "category"},
                           "yaxis": {"title": unit, "range": _pad_range([max(top + [0])], 0.1), **axis_extra},
                           "font": {"size": size}, "hoverlabel": {"font": {"size": size}}},
                  height=560 if projector else theme.CHART_HEIGHT)


def _view_area(view: ChartView, size: int, projector: bool) -> go.Figure:
    traces = [{
        "type": "scatter", "x": _category_x(view), "y": [None if v is None else v * 100 for v in s.values],
        "name": s.name, "mode": "lines", "stackgroup": "share", "line": {"color": chart_style.series_colour(s, i), "width": 1},
        "customdata": [[_hover(h)] for h in (s.hover or [""] * len(s.values))],
        "hovertemplate": "%{customdata[0]}<extra>" + escape.plotly(s.name) + "</extra>",
    } for i, s in enumerate(view.series)]
    years = [int(c) for c in view.categories] if view.year_axis else list(range(len(view.categories)))
    return figure(traces, {
        "xaxis": {**YEAR_AXIS, "range": [min(years) - 0.15, max(years) + 0.15]},
        "yaxis": {"title": f"{view.value_label or 'Anteil'} (%)", "range": [0, 100], "ticksuffix": fmt.PERCENT_SUFFIX},
        "font": {"size": size}, "hoverlabel": {"font": {"size": size}},
    }, height=560 if projector else theme.CHART_HEIGHT)


def _view_slope(view: ChartView, size: int, projector: bool) -> go.Figure:
    """Lines of one Regierungsbezirk (and provenance) share a trace, separated by gaps: a trace per
    partner makes the browser draw noticeably slower once there are dozens of them."""
    values_all = [v for s in view.series for v in s.values if v is not None]
    divisor, unit, axis_extra = _view_scale(view, values_all)
    a, b = view.categories
    groups: dict[tuple, list[Series]] = {}
    for s in view.series:
        groups.setdefault((s.colour_key, s.has_demo), []).append(s)
    traces = []
    for (key, is_demo), members in sorted(groups.items(), key=lambda item: (str(item[0][0]), item[0][1])):
        x, y, hover = [], [], []
        for s in members:
            x += [a, b, None]
            y += [None if v is None else v / divisor for v in s.values] + [None]
            hover += [[_hover(h)] for h in (s.hover or ["", ""])] + [[""]]
        name = (view.legend or {}).get(key, key or "")
        colour = theme.colour_for(key)
        traces.append({
            "type": "scatter", "x": x, "y": y, "mode": "lines+markers", "connectgaps": False,
            "name": name + (" (Demodaten)" if is_demo else ""), "legendgroup": name,
            "line": {"color": theme.demo_colour(colour) if is_demo else colour, "width": 2,
                     "dash": "dot" if is_demo else "solid"},
            "customdata": hover, "hovertemplate": "%{customdata[0]}<extra></extra>",
        })
    height = 560
    labelled = [s for s in view.series if s.name in set(view.labelled or [])]
    low, high = min(v / divisor for v in values_all), max(v / divisor for v in values_all)
    traces.append({
        "type": "scatter", "x": [b] * len(labelled), "mode": "text", "text": [s.name for s in labelled],
        "y": spread_labels([(s.values[1] or 0) / divisor for s in labelled], low, high, height - 120),
        "textposition": "middle right", "showlegend": False, "hoverinfo": "skip", "cliponaxis": False,
    })
    return figure(traces, {"xaxis": {"title": None, "type": "category", "range": [-0.15, 1.15]},
                           "yaxis": {"title": unit, "range": [low - (high - low) * 0.05, high + (high - low) * 0.05],
                                     **axis_extra},
                           "margin": {"r": 190}, "font": {"size": size}}, height=height)


def _coverage_scale(keys: list[str]) -> list:
    scale, n = [], len(keys)
    for i, key in enumerate(keys):
        colour = theme.colour_for(key)
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def _view_heatmap(view: ChartView, size: int, projector: bool) -> go.Figure:
    m = view.matrix
    money = view.number_format in (EURO, MILLION_EURO)  # cells in Tsd. €: comparable numbers side by side
    z = [[None if v is None else (v / 1000 if money else v) for v in row] for row in m["z"]]
    if m.get("text") is not None:
        base = m["text"]
    else:
        digits = 0 if money else 2
        base = [["–" if v is None else fmt.number(v, digits) for v in row] for row in z]
    text = [[t + (DEMO_STAR if d and v is not None and t else "") for t, v, d in zip(trow, zrow, drow)]
            for trow, zrow, drow in zip(base, z, m["demo"])]
    unit = view.value_label or ""
    hover = m.get("hover") or [[f"{y}, {x}: {t} {unit}".rstrip() for x, t in zip(m["x"], row)]
                               for y, row in zip(m["y"], text)]
    trace = {
        "type": "heatmap", "z": z, "x": list(m["x"]), "y": list(m["y"]), "text": text, "texttemplate": "%{text}",
        "textfont": {"size": max(size - 6, 11)}, "xgap": 2, "ygap": 2,
        "customdata": [[_hover(h) for h in row] for row in hover], "hovertemplate": "%{customdata}<extra></extra>",
    }
    traces = [trace]
    scale = m.get("scale", "sequential")
    if scale == "coverage":
        keys = list(view.legend or {})
        trace.update({"colorscale": _coverage_scale(keys), "zmin": m["zmin"], "zmax": m["zmax"], "showscale": False})
        traces += [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": label,
                    "marker": {"symbol": "square", "size": 14, "color": theme.colour_for(key)}}
                   for key, label in (view.legend or {}).items()]
    elif scale == "share":
        trace.update({"colorscale": theme.SHARE_SCALE, "zmin": m.get("zmin", 0), "zmax": m.get("zmax", 1),
                      "showscale": False})
    else:
        trace.update({"colorscale": theme.SEQUENTIAL_SCALE,
                      "colorbar": {"title": {"text": unit}, "tickformat": ",.0f" if money else ",.2f"}})
    rows = len(m["y"])
    legend = scale == "coverage"
    layout = {
        "xaxis": {"side": "top", "type": "category", "title": None},
        "yaxis": {"autorange": "reversed", "title": None, "tickfont": {"size": size - (4 if rows > 15 else 0)}},
        "font": {"size": size}, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    }
    if legend:
        layout["legend"] = {"y": -0.02, "yanchor": "top"}
    natural = max(500, 30 * rows + 140) if projector else max(theme.CHART_HEIGHT, 26 * rows + (160 if legend else 120))
    return figure(traces, layout, height=natural, legend=legend)
