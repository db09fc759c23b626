"""The one figure layer: every chart of dashboard, presentation mode, slide decks and briefings (Plotly, no Streamlit).

Dashboard figures take a DataFrame; catalogue views (aqb.analysis.catalogue) are drawn by
``view_figure``, the same figure slide decks embed as an image where no native chart fits. Colours,
fonts and labels come from aqb.present.theme and aqb.fmt only.

Figures are assembled as plain trace and layout dicts and turned into a ``go.Figure`` once, without
Plotly's per-property validation: building them step by step (add_bar, update_layout) costs 10–20 ms
per chart, which a dashboard that should answer a click at once cannot afford. The tests rebuild
every figure with validation switched on, so a misspelt property still fails there.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from aqb.present import escape
from aqb import fmt
from aqb.analysis.catalogue import COUNT, EURO, EURO_CENTS, MILLION_EURO, PERCENT
from aqb.present import theme

MAX_BARS = 60  # more bars are unreadable on a projector; the table below the chart has every row
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
    if max_eur is not None and pd.notna(max_eur) and abs(max_eur) >= 1_000_000:
        return 1_000_000.0, "Mio. €"
    return 1_000.0, "Tsd. €"


def _pad_range(values, share: float = 0.18) -> list[float]:
    """Axis range with room for the value labels written outside the bars."""
    finite = [float(v) for v in values if v is not None and pd.notna(v)]
    high = max(finite + [0.0])
    low = min(finite + [0.0])
    span = (high - low) or 1.0
    return [low - (span * share if low < 0 else 0), high + span * share]


def _list(values) -> list:
    return [None if (not isinstance(v, str) and pd.isna(v)) else v for v in pd.Series(values).tolist()]


def _value_text(value, per_inhabitant: bool) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{fmt.number(value, 2)} €" if per_inhabitant else theme.euro_short(value * 100)


def _patterns(is_demo) -> list[str]:
    return [theme.DEMO_PATTERN if bool(d) else "" for d in is_demo]


YEAR_AXIS = {"dtick": 1, "tickformat": "d"}


def total_by_year_figure(totals: pd.DataFrame, published: pd.DataFrame, per_inhabitant: bool) -> go.Figure:
    """Sum per year: amtlich and demo parts stacked (demo hatched); published statewide AQB as markers."""
    if totals.empty or totals["agreements_count"].sum() == 0:
        return empty_figure("Keine Vereinbarungen im gewählten Zeitraum")
    years = totals["agreement_year"].astype(int).tolist()
    if per_inhabitant:
        values = _list(totals["budget_per_inhabitant_eur"])
        traces = [{
            "type": "bar", "x": years, "y": values, "name": "€ je Einwohner",
            "marker": {"color": theme.PARTNER_COLOUR, "pattern": {"shape": _patterns(totals["demo_agreements_count"] > 0)}},
            "text": [_value_text(v, True) for v in values], "textposition": "outside", "cliponaxis": False,
            "customdata": [[fmt.number(v, 2) if v is not None else "–", int(a), int(n)] for v, a, n in zip(
                values, totals["agreements_count"], totals["partners_valid_count"])],
            "hovertemplate": "%{x}: %{customdata[0]} € je Einwohner<br>%{customdata[1]} von %{customdata[2]} "
                             "Vereinbarungen<extra></extra>",
        }]
        return figure(traces, {"xaxis": YEAR_AXIS, "yaxis": {"title": per_capita_unit(totals),
                                                             "range": _pad_range(values, 0.15)}})
    divisor, unit = money_unit(totals["budget_cents"].max() / 100)
    traces = []
    for column, name, is_demo in (("real_budget_cents", "Zielvereinbarungen (amtlich)", False),
                                  ("demo_budget_cents", theme.DEMO_LABEL, True)):
        cents = totals[column]
        if cents.sum() == 0:
            continue
        traces.append({
            "type": "bar", "x": years, "y": (cents / 100 / divisor).tolist(), "name": name,
            "marker": {"color": theme.PARTNER_COLOUR, "opacity": theme.DEMO_OPACITY if is_demo else 1.0,
                       "pattern": {"shape": theme.DEMO_PATTERN if is_demo else ""}},
            "customdata": [[fmt.euro_from_cents(int(v))] for v in cents],
            "hovertemplate": "%{x}: %{customdata[0]}<extra>" + name + "</extra>",
        })
    heights = _list(totals["budget_cents"] / 100 / divisor)
    traces.append({"type": "scatter", "x": years, "y": heights, "mode": "text", "showlegend": False,
                   "hoverinfo": "skip", "text": [theme.euro_short(v) for v in totals["budget_cents"]],
                   "textposition": "top center"})
    if not published.empty:
        traces.append({
            "type": "scatter", "x": (published["agreement_year"] + 0.45).tolist(),
            "y": (published["amount_cents"] / 100 / divisor).tolist(), "mode": "markers",
            "name": f"{theme.PUBLISHED_LABEL}, Landessumme",
            "marker": {"symbol": "diamond", "size": 14, "color": theme.PUBLISHED_COLOUR},
            "customdata": [[fmt.euro_from_cents(int(a)), p, u, int(y)] for a, p, u, y in zip(
                published["amount_cents"], published["amount_precision"], published["source_url"],
                published["agreement_year"])],
            "hovertemplate": "%{customdata[3]}: %{customdata[0]} (%{customdata[1]})<br>%{customdata[2]}"
                             "<extra>veröffentlicht</extra>",
        })
    return figure(traces, {"barmode": "stack", "xaxis": YEAR_AXIS,
                           "yaxis": {"title": unit, "range": _pad_range(heights, 0.12)}})


def ranking_figure(ranking: pd.DataFrame, per_inhabitant: bool, average: float | None = None) -> go.Figure:
    """Horizontal bars, biggest on top, coloured by Regierungsbezirk; demo bars hatched."""
    if ranking.empty:
        return empty_figure("Keine Vereinbarung für die Auswahl")
    shown = ranking.head(MAX_BARS)
    column = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    divisor, unit = (1.0, per_capita_unit(shown)) if per_inhabitant else money_unit(shown[column].max() / 100)
    values = (shown[column] if per_inhabitant else shown[column] / 100) / divisor
    traces = []
    for bezirk, part in shown.assign(_value=values).groupby("regierungsbezirk", sort=True):
        traces.append({
            "type": "bar", "y": part["partner_name"].tolist(), "x": part["_value"].tolist(), "orientation": "h",
            "name": f"RB {bezirk}",
            "marker": {"color": theme.bezirk_colour(bezirk), "pattern": {"shape": _patterns(part["is_demo"])}},
            "text": [_value_text(v * divisor, per_inhabitant) for v in part["_value"]], "textposition": "outside",
            "cliponaxis": False,
            "customdata": [[fmt.euro_from_cents(int(c)), fmt.number(p, 2), theme.PROVENANCE_LABELS.get(pr, pr)]
                           for c, p, pr in zip(part["budget_cents"], part["budget_per_inhabitant_eur"], part["provenance"])],
            "hovertemplate": "<b>%{y}</b><br>%{customdata[0]} · %{customdata[1]} € je Einwohner<br>%{customdata[2]}"
                             "<extra></extra>",
        })
    layout = {
        "yaxis": {"categoryorder": "array", "categoryarray": shown["partner_name"].tolist()[::-1], "title": None},
        "xaxis": {"title": unit, "range": _pad_range(values)},
    }
    if per_inhabitant and average is not None and pd.notna(average):
        layout["shapes"] = [{"type": "line", "x0": average, "x1": average, "yref": "paper", "y0": 0, "y1": 1,
                             "line": {"dash": "dash", "color": theme.HESSEN_COLOUR}}]
        layout["annotations"] = [{"x": average, "yref": "paper", "y": 1, "yanchor": "bottom", "showarrow": False,
                                  "text": f"Durchschnitt {fmt.number(average, 2)} €"}]
    return figure(traces, layout, height=max(theme.CHART_HEIGHT, 28 * len(shown) + 120))


def measure_mix_figure(mix: pd.DataFrame) -> go.Figure:
    """Projects per Maßnahmenart (one year): bars with count and share."""
    if mix.empty or mix["project_count"].sum() == 0:
        return empty_figure("Keine Projekte für die Auswahl")
    traces = [{
        "type": "bar", "y": [row.measure_type_label], "x": [int(row.project_count)], "orientation": "h",
        "name": row.measure_type_label, "showlegend": False, "cliponaxis": False, "textposition": "outside",
        "marker": {"color": theme.measure_colour(row.measure_type_code),
                   "pattern": {"shape": theme.DEMO_PATTERN if row.demo_project_count else ""}},
        "text": [f"{fmt.number(row.project_count)} "
                 f"({fmt.percent(row.project_share) if pd.notna(row.project_share) else '–'})"],
        "hovertemplate": "%{y}: %{x} Projekte<extra></extra>",
    } for row in mix.itertuples()]
    return figure(traces, {
        "yaxis": {"categoryorder": "array", "categoryarray": mix["measure_type_label"].tolist()[::-1], "title": None},
        "xaxis": {"title": "Projekte", "range": _pad_range(mix["project_count"], 0.25)},
    }, height=320, legend=False)


def per_capita_unit(frame: pd.DataFrame) -> str:
    """The per-capita axis title with the Stichtag(e) of the frame's rows (queries return population_stichtag)."""
    if "population_stichtag" not in frame:
        return "€ je Einwohner"
    return fmt.per_inhabitant_label(frame["population_stichtag"])


def partner_budget_figure(budget_rows: pd.DataFrame, per_inhabitant: bool) -> go.Figure:
    """One partner's budget per year (demo hatched) and published amounts as separate markers."""
    rows = budget_rows.dropna(subset=["budget_cents"])
    pub = budget_rows.dropna(subset=["amount_cents"])
    if rows.empty and pub.empty:
        return empty_figure("Keine Beträge im Bestand")
    highest = max(rows["budget_cents"].max() if len(rows) else 0, pub["amount_cents"].max() if len(pub) else 0)
    divisor, unit = (1.0, "€ je Einwohner") if per_inhabitant else money_unit(highest / 100)
    traces, tops = [], [0.0]
    if not rows.empty:
        values = (rows["budget_per_inhabitant_eur"] if per_inhabitant else rows["budget_cents"] / 100) / divisor
        tops += values.tolist()
        traces.append({
            "type": "bar", "x": rows["agreement_year"].astype(int).tolist(), "y": values.tolist(),
            "name": "Zielvereinbarung", "textposition": "outside", "cliponaxis": False,
            "marker": {"color": theme.PARTNER_COLOUR, "pattern": {"shape": _patterns(rows["is_demo"])}},
            "text": [_value_text(v * divisor, per_inhabitant) for v in values],
            "customdata": [[fmt.euro_from_cents(int(c)), theme.PROVENANCE_LABELS.get(p, p)]
                           for c, p in zip(rows["budget_cents"], rows["provenance"])],
            "hovertemplate": "%{x}: %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        })
    if not pub.empty and not per_inhabitant:
        tops += (pub["amount_cents"] / 100 / divisor).tolist()
        traces.append({
            "type": "scatter", "x": (pub["agreement_year"].astype(int) + 0.45).tolist(),
            "y": (pub["amount_cents"] / 100 / divisor).tolist(), "mode": "markers", "name": theme.PUBLISHED_LABEL,
            "marker": {"symbol": "diamond", "size": 15, "color": theme.PUBLISHED_COLOUR,
                       "line": {"color": "white", "width": 1}},
            "customdata": [[fmt.euro_from_cents(int(a)), p, u, int(y)] for a, p, u, y in zip(
                pub["amount_cents"], pub["amount_precision"], pub["source_url"], pub["agreement_year"])],
            "hovertemplate": "%{customdata[3]}: %{customdata[0]} (%{customdata[1]})<br>%{customdata[2]}"
                             "<extra>veröffentlicht</extra>",
        })
    return figure(traces, {"xaxis": YEAR_AXIS, "yaxis": {"title": unit, "range": _pad_range(tops, 0.15)}})


def per_inhabitant_comparison_figure(history: pd.DataFrame, partner_name: str) -> go.Figure:
    """€ je Einwohner of the partner against the Hessen average and its peers."""
    if history.empty:
        return empty_figure("Keine Vereinbarungen im Bestand")
    years = history["agreement_year"].astype(int).tolist()
    series = (
        ("budget_per_inhabitant_eur", partner_name, theme.PARTNER_COLOUR, "solid", "circle"),
        ("hessen_per_inhabitant_eur", "Hessen-Durchschnitt", theme.HESSEN_COLOUR, "dash", "square"),
        ("peers_per_inhabitant_eur", "gleiche Art im Regierungsbezirk", theme.PEERS_COLOUR, "dot", "diamond"),
    )
    traces = []
    for column, name, colour, dash, symbol in series:
        if history[column].notna().any():
            values = _list(history[column])
            traces.append({
                "type": "scatter", "x": years, "y": values, "name": name, "mode": "lines+markers",
                "line": {"color": colour, "dash": dash, "width": 3}, "marker": {"symbol": symbol, "size": 10},
                "customdata": [[fmt.number(v, 2) if v is not None else "–"] for v in values],
                "hovertemplate": "%{x}: %{customdata[0]} € je Einwohner<extra>" + name + "</extra>",
            })
    top = history[[s[0] for s in series]].max().max()
    return figure(traces, {"xaxis": YEAR_AXIS, "yaxis": {"title": per_capita_unit(history),
                                                         "range": _pad_range([top], 0.1)}})


def partner_projects_figure(projects: pd.DataFrame, measure_types: pd.DataFrame) -> go.Figure:
    """Projects per year, stacked by Maßnahmenart (ended projects are not counted)."""
    current = projects[projects["change_status"] != "ended"]
    if current.empty:
        return empty_figure("Keine Projekte im Bestand")
    counts = current.groupby(["agreement_year", "measure_type_code"]).size().rename("n").reset_index()
    demo_years = set(current.loc[current["is_demo"], "agreement_year"])
    traces = []
    for mt in measure_types.itertuples():
        part = counts[counts["measure_type_code"] == mt.measure_type_code]
        if part.empty:
            continue
        traces.append({
            "type": "bar", "x": part["agreement_year"].astype(int).tolist(), "y": part["n"].tolist(),
            "name": mt.measure_type_label,
            "marker": {"color": theme.measure_colour(mt.measure_type_code),
                       "pattern": {"shape": [theme.DEMO_PATTERN if y in demo_years else "" for y in part["agreement_year"]]}},
            "hovertemplate": "%{x}: %{y} Projekte<extra>" + mt.measure_type_label + "</extra>",
        })
    return figure(traces, {"barmode": "stack", "xaxis": YEAR_AXIS,
                           "yaxis": {"title": "Projekte", "rangemode": "tozero", "dtick": 2}})


def _top_partners(frame: pd.DataFrame, value: pd.Series) -> pd.Index:
    """At most MAX_BARS partners (by the given value) for crowded matrices; the table keeps all."""
    return value.sort_values(ascending=False, na_position="last").head(MAX_BARS).index


def heatmap_figure(frame: pd.DataFrame, per_inhabitant: bool) -> go.Figure:
    """Partner x year; cell text is the value, a star marks demo values."""
    if not frame["has_agreement"].any():
        return empty_figure("Keine Vereinbarungen im gewählten Zeitraum")
    column = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    values = frame.pivot(index="partner_name", columns="agreement_year", values=column).astype(float)
    if not per_inhabitant:
        values = values / 100_000  # Tsd. €
    demo = frame.pivot(index="partner_name", columns="agreement_year", values="is_demo").fillna(False)
    last = values.columns.max()
    keep = _top_partners(values, values[last].fillna(values.max(axis=1)))
    values, demo = values.loc[keep][::-1], demo.loc[keep][::-1]
    digits = 2 if per_inhabitant else 0
    text = [[("–" if pd.isna(v) else fmt.number(v, digits)) + ("*" if d and pd.notna(v) else "")
             for v, d in zip(values.loc[p], demo.loc[p])] for p in values.index]
    trace = {
        "type": "heatmap", "z": [_list(values.loc[p]) for p in values.index],
        "x": [str(int(c)) for c in values.columns], "y": values.index.tolist(), "text": text,
        "texttemplate": "%{text}", "colorscale": theme.SEQUENTIAL_SCALE, "xgap": 2, "ygap": 2,
        "colorbar": {"title": {"text": "€ je Einw." if per_inhabitant else "Tsd. €"},
                     "tickformat": ",.2f" if per_inhabitant else ",.0f"},
        "hovertemplate": "%{y}, %{x}: %{text}" + (" € je Einwohner" if per_inhabitant else " Tsd. €") + "<extra></extra>",
    }
    return figure([trace], {"xaxis": {"side": "top", "type": "category", "title": None}, "yaxis": {"title": None}},
                  height=max(theme.CHART_HEIGHT, 26 * len(values) + 120), legend=False)


def changes_figure(comparison: pd.DataFrame, per_inhabitant: bool) -> go.Figure:
    """Change between the two years per partner, biggest first; increases blue, decreases red."""
    if comparison.empty:
        return empty_figure("Keine Partner mit Vereinbarung in beiden Jahren")
    shown = comparison.head(MAX_BARS)
    divisor, unit = (1.0, "€ je Einwohner") if per_inhabitant else money_unit(shown["change_value"].abs().max())
    trace = {
        "type": "bar", "y": shown["partner_name"].tolist(), "x": (shown["change_value"] / divisor).tolist(),
        "orientation": "h", "textposition": "outside", "cliponaxis": False,
        "marker": {"color": ["#2166AC" if v >= 0 else "#B2182B" for v in shown["change_value"]],
                   "pattern": {"shape": _patterns(shown["is_demo"])}},
        "text": [(f"{fmt.number(v, 2)} €" if per_inhabitant else theme.euro_short(v * 100))
                 + f" ({fmt.percent(r, signed=True)})" for v, r in zip(shown["change_value"], shown["change_ratio"])],
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return figure([trace], {
        "yaxis": {"categoryorder": "array", "categoryarray": shown.sort_values("change_value")["partner_name"].tolist(),
                  "title": None},
        "xaxis": {"title": f"Veränderung ({unit})", "zeroline": True,
                  "range": _pad_range(shown["change_value"] / divisor, 0.35)},
    }, height=max(theme.CHART_HEIGHT, 28 * len(shown) + 120), legend=False)


def slope_figure(comparison: pd.DataFrame, year_a: int, year_b: int, per_inhabitant: bool,
                 label_top: int = 8) -> go.Figure:
    """One line per partner from year A to year B, coloured by Regierungsbezirk; the biggest movers labelled.

    Lines of one Regierungsbezirk (and provenance) share a trace, separated by gaps: a trace per
    partner makes the browser draw noticeably slower once there are dozens of them.
    """
    if comparison.empty:
        return empty_figure("Keine Partner mit Vereinbarung in beiden Jahren")
    divisor, unit = (1.0, "€ je Einwohner") if per_inhabitant else money_unit(comparison[["value_a", "value_b"]].max().max())
    a, b = str(year_a), str(year_b)
    traces = []
    for (bezirk, is_demo), part in comparison.groupby(["regierungsbezirk", "is_demo"], sort=True):
        x, y, hover = [], [], []
        for row in part.itertuples():
            x += [a, b, None]
            y += [row.value_a / divisor, row.value_b / divisor, None]
            hover += [f"<b>{row.partner_name}</b> {a}: {_value_text(row.value_a, per_inhabitant)}",
                      f"<b>{row.partner_name}</b> {b}: {_value_text(row.value_b, per_inhabitant)}", ""]
        traces.append({
            "type": "scatter", "x": x, "y": y, "mode": "lines+markers", "connectgaps": False,
            "name": f"RB {bezirk}" + (" (Demodaten)" if is_demo else ""), "legendgroup": bezirk,
            "line": {"color": theme.bezirk_colour(bezirk), "width": 2, "dash": "dot" if is_demo else "solid"},
            "text": hover, "hovertemplate": "%{text}<extra></extra>",
        })
    height = 560
    top = comparison.head(label_top)
    values = pd.concat([comparison["value_a"], comparison["value_b"]]) / divisor
    low, high = float(values.min()), float(values.max())
    traces.append({
        "type": "scatter", "x": [b] * len(top), "mode": "text", "text": top["partner_name"].tolist(),
        "y": spread_labels((top["value_b"] / divisor).tolist(), low, high, height - 120),
        "textposition": "middle right", "showlegend": False, "hoverinfo": "skip", "cliponaxis": False,
    })
    return figure(traces, {"xaxis": {"title": None, "type": "category", "range": [-0.15, 1.15]},
                           "yaxis": {"title": unit, "range": [low - (high - low) * 0.05, high + (high - low) * 0.05]},
                           "margin": {"r": 190}}, height=height)


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


def measures_by_partner_figure(frame: pd.DataFrame) -> go.Figure:
    """Projects per partner, stacked by Maßnahmenart (partners with most projects on top)."""
    if frame.empty or frame["project_count"].sum() == 0:
        return empty_figure("Keine Projekte für die Auswahl")
    totals = frame.groupby("partner_name")["project_count"].sum().sort_values().tail(MAX_BARS)
    traces = []
    for (code, label_), part in frame[frame["partner_name"].isin(totals.index)].groupby(
            ["measure_type_code", "measure_type_label"]):
        traces.append({
            "type": "bar", "y": part["partner_name"].tolist(), "x": part["project_count"].tolist(),
            "orientation": "h", "name": label_,
            "marker": {"color": theme.measure_colour(code), "pattern": {"shape": _patterns(part["demo_project_count"] > 0)}},
            "hovertemplate": "%{y}: %{x} Projekte<extra>" + label_ + "</extra>",
        })
    return figure(traces, {"barmode": "stack", "xaxis": {"title": "Projekte"},
                           "yaxis": {"categoryorder": "array", "categoryarray": totals.index.tolist(), "title": None}},
                  height=max(theme.CHART_HEIGHT, 26 * len(totals) + 120))


def measure_share_figure(mix: pd.DataFrame) -> go.Figure:
    """Share of each Maßnahmenart in all projects per year (stacked to 100 %)."""
    if mix.empty or mix["project_count"].sum() == 0:
        return empty_figure("Keine Projekte im gewählten Zeitraum")
    traces = []
    for (code, label_), part in mix.groupby(["measure_type_code", "measure_type_label"]):
        traces.append({
            "type": "scatter", "x": part["agreement_year"].astype(int).tolist(), "y": _list(part["project_share"] * 100),
            "name": label_, "mode": "lines", "stackgroup": "share", "line": {"color": theme.measure_colour(code), "width": 1},
            "customdata": [[fmt.percent(s) if pd.notna(s) else "–", int(n)] for s, n in zip(part["project_share"], part["project_count"])],
            "hovertemplate": "%{x}: %{customdata[0]} (%{customdata[1]} Projekte)<extra>" + label_ + "</extra>",
        })
    years = mix["agreement_year"].astype(int)
    return figure(traces, {
        "xaxis": {**YEAR_AXIS, "range": [int(years.min()) - 0.15, int(years.max()) + 0.15]},
        "yaxis": {"title": "Anteil an allen Projekten (%)", "range": [0, 100], "ticksuffix": fmt.PERCENT_SUFFIX},
    })


def measure_years_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Partner x Maßnahmenart: in how many years (of those with an agreement) the type was funded."""
    if frame.empty or frame["agreement_years_count"].sum() == 0:
        return empty_figure("Keine Vereinbarungen im gewählten Zeitraum")
    z = frame.pivot(index="partner_name", columns="measure_type_label", values="years_with_projects")
    of = frame.groupby("partner_name")["agreement_years_count"].max()
    labels = frame.drop_duplicates("measure_type_code").sort_values("measure_type_code")["measure_type_label"].tolist()
    keep = sorted(_top_partners(z, frame.groupby("partner_name")["project_count"].sum()), reverse=True)
    z = z[labels].loc[keep]
    share = z.div(of.reindex(z.index).where(of.reindex(z.index) > 0), axis=0)
    trace = {
        "type": "heatmap", "z": [_list(share.loc[p]) for p in z.index], "x": labels, "y": z.index.tolist(),
        "text": [[f"{int(v)} von {int(of[p])}" for v in z.loc[p]] for p in z.index], "texttemplate": "%{text}",
        "colorscale": theme.SHARE_SCALE, "zmin": 0, "zmax": 1, "xgap": 2, "ygap": 2, "showscale": False,
        "hovertemplate": "%{y} – %{x}: in %{text} Jahren<extra></extra>",
    }
    return figure([trace], {"xaxis": {"side": "top", "title": None}, "yaxis": {"title": None}},
                  height=max(theme.CHART_HEIGHT, 26 * len(z) + 120), legend=False)


def coverage_figure(coverage: pd.DataFrame) -> go.Figure:
    """Partner x year coloured by what the store holds (amtlich, demo, only published, missing)."""
    if coverage.empty:
        return empty_figure("Keine Partner im gewählten Zeitraum")
    codes = list(theme.COVERAGE_COLOURS)
    index = {c: i for i, c in enumerate(codes)}
    grid = coverage.pivot(index="partner_name", columns="agreement_year", values="coverage_status")
    grid = grid.loc[sorted(grid.index)[:MAX_BARS][::-1]]  # alphabetical from the top; the table has every row
    n = len(codes)
    scale = []
    for i, code in enumerate(codes):
        scale += [[i / n, theme.COVERAGE_COLOURS[code]], [(i + 1) / n, theme.COVERAGE_COLOURS[code]]]
    traces = [{
        "type": "heatmap", "z": [[index.get(c) for c in grid.loc[p]] for p in grid.index],
        "x": [str(int(c)) for c in grid.columns], "y": grid.index.tolist(), "zmin": -0.5, "zmax": n - 0.5,
        "colorscale": scale, "xgap": 2, "ygap": 2, "showscale": False,
        "customdata": [["" if pd.isna(c) else theme.COVERAGE_LABELS[c] for c in grid.loc[p]] for p in grid.index],
        "hovertemplate": "%{y}, %{x}: %{customdata}<extra></extra>",
    }]
    traces += [{"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": theme.COVERAGE_LABELS[code],
                "marker": {"symbol": "square", "size": 14, "color": theme.COVERAGE_COLOURS[code]}} for code in codes]
    return figure(traces, {"xaxis": {"side": "top", "type": "category", "title": None}, "yaxis": {"title": None},
                           "legend": {"y": -0.02, "yanchor": "top"}},
                  height=max(theme.CHART_HEIGHT, 24 * len(grid) + 160))


def search_hits_figure(counts: pd.DataFrame) -> go.Figure:
    """Matching projects per year, stacked by Maßnahmenart, from the SQL counts over all hits (project_search_counts)."""
    if counts.empty:
        return empty_figure("Keine Treffer")
    traces = [{
        "type": "bar", "x": part["agreement_year"].astype(int).tolist(), "y": part["project_count"].tolist(), "name": label_,
        "marker": {"color": theme.measure_colour(code)}, "hovertemplate": "%{x}: %{y} Treffer<extra>" + label_ + "</extra>",
    } for (code, label_), part in counts.groupby(["measure_type_code", "measure_type_label"])]
    return figure(traces, {"barmode": "stack", "xaxis": YEAR_AXIS, "yaxis": {"title": "Treffer"}}, height=340)


# ---------------------------------------------------------------------------------------------
# Catalogue views (presentation mode, slide-deck images, Umsetzungsstand and briefing pages)

DEMO_STAR = "*"
DEMO_OPACITY = theme.DEMO_OPACITY  # demo points: the same colour, lighter, with a star — no pattern fill to draw


def _view_value_text(value, number_format: str) -> str:
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


def _view_scale(view, values: list) -> tuple[float, str, dict]:
    """(divisor, axis title, axis dict) for the value axis of a view."""
    from aqb.analysis.catalogue import EURO, EURO_CENTS, MILLION_EURO, PERCENT

    if view.number_format in (EURO, MILLION_EURO):
        divisor, unit = money_unit(max([abs(v) for v in values if v is not None and pd.notna(v)] + [0]))
        return divisor, unit, {}
    if view.number_format == PERCENT:
        return 0.01, "Anteil (%)", {"ticksuffix": fmt.PERCENT_SUFFIX}
    if view.number_format == EURO_CENTS:
        return 1.0, view.value_label or "€", {"tickformat": ",.2f"}
    return 1.0, view.value_label or "", {"tickformat": ",d"}


def view_figure(view, *, projector: bool = True, height: int | None = None) -> go.Figure:
    """The Plotly figure of a catalogue view (aqb.analysis.catalogue.ChartView) in the shared theme.

    Value labels are German texts from aqb.fmt (never a d3 format cut at the edge); the value axis
    leaves room for them; demo points are lighter and starred. ``projector`` uses the large fonts of
    presentation mode; ``height`` fits the figure to a slide.
    """
    size = 20 if projector else theme.FONT_SIZE - 2
    if view.is_empty:
        return empty_figure(view.empty_text or "Keine Daten.")
    if view.kind == "heatmap":
        return _view_heatmap(view, size, height)
    horizontal = view.kind in ("bar", "clustered_bar", "doughnut")
    stacked = view.kind == "stacked_column"
    values_all = [v for s in view.series for v in s.values]
    if stacked:
        totals = [sum(v or 0 for v in vals) for vals in zip(*[s.values for s in view.series])]
        values_all = totals
    divisor, unit, axis_extra = _view_scale(view, values_all)
    per_category = view.category_keys is not None and len(view.series) == 1
    traces = []
    for i, s in enumerate(view.series):
        colour = theme.colour_for(s.colour_key, i)
        colours = [theme.colour_for(k, j) for j, k in enumerate(view.category_keys)] if per_category else colour
        scaled = [None if v is None or pd.isna(v) else v / divisor for v in s.values]
        demo = list(s.demo_points) + [False] * (len(scaled) - len(s.demo_points))
        labels = [_view_value_text(v, view.number_format) + (DEMO_STAR if d and v is not None else "")
                  for v, d in zip(s.values, demo)]
        trace = {
            "type": "bar", "name": s.name, "cliponaxis": False,
            "marker": {"color": colours, "opacity": [DEMO_OPACITY if d else 1.0 for d in demo] if not stacked
                       else (DEMO_OPACITY if all(demo) and demo else 1.0)},
            "customdata": [[t] for t in labels], "hovertemplate": "%{" + ("y" if horizontal else "x") + "}: "
            "%{customdata[0]}<extra>" + s.name + "</extra>",
        }
        if horizontal:
            trace.update({"orientation": "h", "y": view.categories, "x": scaled})
        else:
            trace.update({"x": view.categories, "y": scaled})
        if not stacked:
            trace.update({"text": labels, "textposition": "outside", "textfont": {"size": size - 2}})
        traces.append(trace)
    if stacked:
        traces.append({"type": "scatter", "mode": "text", "x": view.categories,
                       "y": [t / divisor for t in totals], "showlegend": False, "hoverinfo": "skip",
                       "cliponaxis": False, "textposition": "top center", "textfont": {"size": size - 2},
                       "text": [_view_value_text(t, view.number_format)
                                + (DEMO_STAR if any(s.demo_points[j] for s in view.series if j < len(s.demo_points)
                                                    and s.values[j]) else "") for j, t in enumerate(totals)]})
    value_axis = {"title": unit, "range": _pad_range([v / divisor for v in values_all if v is not None],
                                                     0.28 if horizontal else 0.15), **axis_extra}
    category_axis = {"title": None, "type": "category"}
    n = len(view.categories)
    if horizontal:
        category_axis.update({"autorange": "reversed", "tickfont": {"size": size - (4 if n > 15 else 0)}})
        layout = {"xaxis": value_axis, "yaxis": category_axis}
        natural = max(420, (30 if len(view.series) == 1 else 44) * n + 140)
    else:
        layout = {"xaxis": category_axis, "yaxis": value_axis}
        natural = 560
    layout.update({"barmode": "stack" if stacked else "group", "font": {"size": size},
                   "margin": {"l": 10, "r": 30, "t": 50 if len(view.series) > 1 else 20, "b": 10},
                   "hoverlabel": {"font": {"size": size}}})
    return figure(traces, layout, height=height or natural, legend=len(view.series) > 1)


def _view_heatmap(view, size: int, height: int | None) -> go.Figure:
    m = view.matrix
    text = [[("–" if v is None else fmt.number(v, 2)) + (DEMO_STAR if d and v is not None else "")
             for v, d in zip(row, drow)] for row, drow in zip(m["z"], m["demo"])]
    trace = {
        "type": "heatmap", "z": m["z"], "x": m["x"], "y": m["y"], "text": text, "texttemplate": "%{text}",
        "textfont": {"size": max(size - 6, 11)}, "colorscale": theme.SEQUENTIAL_SCALE, "xgap": 2, "ygap": 2,
        "colorbar": {"title": {"text": "€ je Einw."}, "tickformat": ",.2f"},
        "hovertemplate": "%{y}, %{x}: %{text} € je Einwohner<extra></extra>",
    }
    rows = len(m["y"])
    return figure([trace], {
        "xaxis": {"side": "top", "type": "category", "title": None},
        "yaxis": {"autorange": "reversed", "title": None, "tickfont": {"size": size - (4 if rows > 15 else 0)}},
        "font": {"size": size}, "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    }, height=height or max(500, 30 * rows + 140), legend=False)
