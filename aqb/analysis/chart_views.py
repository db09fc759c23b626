"""Chart specs: one ``ChartView`` per chart of every output, built by one function from one frame.

A ``ChartView`` is chart-library neutral — categories, series, an Excel number format, German
hover and value texts, colour *keys* (``'measure:2'``, ``'bezirk:Kassel'``; aqb.present.theme turns
them into colours) and which points rest on demo rows. The renderers in aqb.present draw it: Plotly
(aqb.present.figures.view_figure) for the dashboard and presentation mode, python-pptx
(aqb.present.slides) and reportlab (aqb.present.pdf_charts). Where the dashboard and the catalogue
(aqb.analysis.catalogue) show the same chart, both call the same builder here with their frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from aqb import fmt

EURO = '#,##0 "€"'
EURO_CENTS = '#,##0.00 "€"'
MILLION_EURO = '#,##0.0,, "Mio. €"'
PERCENT = "0 %"
COUNT = "#,##0"
DEMO_MARK = "Demodaten — nicht amtlich"
MAX_BARS = 60  # more bars are unreadable on a projector; the table below the chart has every row
PUBLISHED_LABEL = "veröffentlicht (Presse/Gremien)"
PROVENANCE_TEXT = {"vereinbarung": "Zielvereinbarung", "demo": DEMO_MARK, "gemischt": "gemischt (amtlich + Demo)"}


@dataclass
class Series:
    name: str
    values: list[float | None]
    demo_points: list[bool]
    colour_key: str | None = None  # theme.colour_for: 'measure:2', 'budget', … (None: by position)
    hover: list[str] | None = None  # one German text per point, lines separated by "\n"
    labels: list[str] | None = None  # value texts at the points (default: the number format's text)
    mark: str = "bar"  # in a column chart: bar, or 'markers' drawn beside the bars (published amounts)
    offset: float = 0.0  # markers: shift along a year axis, so they stand beside their year's bar
    dash: str = "solid"  # line charts: solid | dash | dot
    point_keys: list[str] | None = None  # a colour key per point (e.g. the highlighted partner)

    @property
    def has_demo(self) -> bool:
        return any(self.demo_points)


@dataclass
class ChartView:
    view_id: str
    title: str
    # column | bar | stacked_column | stacked_bar | clustered_bar | line | slope | area_share | doughnut | heatmap
    kind: str
    categories: list[str]
    series: list[Series]
    number_format: str
    source_line: str
    has_demo: bool
    note: str | None = None
    value_label: str | None = None  # value axis (or colour bar) title, e.g. "Euro", "€ je Einwohner (Stand …)"
    matrix: dict | None = field(default=None)  # heatmap: x, y, z, demo (same shape as z); optional text, hover, scale
    empty_text: str | None = None
    category_keys: list[str] | None = None  # one colour key per category (single-series charts)
    legend: dict[str, str] | None = None  # colour key -> legend entry, when colours of categories mean something
    reference: tuple[float, str] | None = None  # a line across the value axis (Hessen average) and its label
    year_axis: bool = False  # categories are years: markers may stand beside them
    labelled: list[str] | None = None  # slope charts: the series named at their end

    @property
    def is_empty(self) -> bool:
        if self.kind == "heatmap":
            return not self.matrix or not self.matrix["y"]
        return not self.categories or all(v is None for s in self.series for v in s.values)


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _euro(cents) -> float | None:
    # Chart values only (display); sums and comparisons stay in integer cents.
    return None if cents is None or pd.isna(cents) else int(cents) / 100


def _provenance(row: dict) -> str:
    code = row.get("provenance") or ("demo" if row.get("is_demo") else "vereinbarung")
    return PROVENANCE_TEXT.get(code, code)


def per_capita_label(frame: pd.DataFrame) -> str:
    """'€ je Einwohner (Stand 31.12.2019)' with the Stichtag(e) of the frame's rows (queries return population_stichtag;
    a comparison of two years carries population_stichtag_a and _b)."""
    columns = [c for c in ("population_stichtag", "population_stichtag_a", "population_stichtag_b") if c in frame]
    return fmt.per_inhabitant_label([d for c in columns for d in frame[c]])


def _money(cents) -> str:
    return "–" if cents is None or pd.isna(cents) else fmt.euro_from_cents(int(cents))


def _per_head(value) -> str:
    return "–" if value is None or pd.isna(value) else fmt.per_inhabitant(float(value), unit="€ je Einwohner")


# --------------------------------------------------------------------------------------------
# Totals over the years


def published_series(published: pd.DataFrame, years: list[int], name: str = PUBLISHED_LABEL) -> Series | None:
    """Published amounts (press, committees) as markers beside the bars of their year — never added in."""
    if published is None or published.empty:
        return None
    by_year = {int(r["agreement_year"]): r for r in published.to_dict("records")}
    if not any(y in by_year for y in years):
        return None
    values, hover = [], []
    for y in years:
        r = by_year.get(y)
        values.append(_euro(r["amount_cents"]) if r is not None else None)
        hover.append(f"{y}: {_money(r['amount_cents'])} ({r['amount_precision']})\n{r['source_url']}" if r is not None
                     else "")
    return Series(name, values, [False] * len(years), "published", hover=hover, mark="markers", offset=0.45)


def total_by_year_view(totals: pd.DataFrame, published: pd.DataFrame | None = None, *, per_inhabitant: bool = False,
                       view_id: str = "gesamt", title: str = "", source_line: str = "") -> ChartView:
    """Sum per year: amtlich and demo parts stacked; published statewide amounts as markers beside them.

    ``totals`` has one row per year (queries budget_total_by_year or presentation_budget_by_year).
    """
    years = [int(y) for y in totals["agreement_year"]]
    categories = [str(y) for y in years]
    empty = "Keine Vereinbarungen im gewählten Zeitraum" if totals.empty or totals["agreements_count"].sum() == 0 else None
    rows = totals.to_dict("records")
    coverage = [f"{int(r['agreements_count'])} von {int(r['partners_valid_count'])} Vereinbarungen"
                if pd.notna(r.get("partners_valid_count")) else f"{int(r['agreements_count'])} Vereinbarungen"
                for r in rows]
    if per_inhabitant:
        demo = [bool(r["demo_agreements_count"]) for r in rows]
        values = [_num(r["budget_per_inhabitant_eur"]) for r in rows]
        return ChartView(
            view_id, title, "column", categories,
            [Series("€ je Einwohner", values, demo, "budget",
                    hover=[f"{y}: {_per_head(v)}\n{c}" for y, v, c in zip(years, values, coverage)])],
            EURO_CENTS, source_line, has_demo=any(demo), value_label=per_capita_label(totals), year_axis=True,
            empty_text=empty)
    series = [Series("amtliche Vereinbarungen", [_euro(v) or None for v in totals["real_budget_cents"]],
                     [False] * len(rows), "budget",
                     hover=[f"{y}: {_money(v)} (amtlich)\n{c}" for y, v, c in zip(years, totals["real_budget_cents"],
                                                                                  coverage)])]
    if totals["demo_budget_cents"].sum() > 0:
        series.append(Series(DEMO_MARK, [_euro(v) or None for v in totals["demo_budget_cents"]], [True] * len(rows),
                             "budget", hover=[f"{y}: {_money(v)} ({DEMO_MARK})"
                                              for y, v in zip(years, totals["demo_budget_cents"])]))
    marks = published_series(published, years, f"{PUBLISHED_LABEL}, Landessumme")
    if marks is not None:
        series.append(marks)
    return ChartView(view_id, title, "stacked_column", categories, series, MILLION_EURO, source_line,
                     has_demo=bool(totals["demo_agreements_count"].sum()), value_label="Euro", year_axis=True,
                     empty_text=empty)


def history_view(history: pd.DataFrame, partner_name: str, partner_ags: str, *, published: pd.DataFrame | None = None,
                 per_inhabitant: bool = False, highlight_year: int | None = None, source_line: str = "") -> ChartView:
    """One partner's budget per year (briefing, presentation, deck, partner page); published amounts as markers.

    ``history`` has one row per year with an agreement: agreement_year, budget_cents, is_demo, status_date
    (and budget_per_inhabitant_eur, population_stichtag for the per-capita view).
    """
    rows = history.dropna(subset=["budget_cents"]) if len(history) else history
    years = [int(y) for y in rows["agreement_year"]]
    pub_years = [] if published is None or per_inhabitant else [int(y) for y in published["agreement_year"]]
    all_years = sorted(set(years) | set(pub_years))
    by_year = {int(r["agreement_year"]): r for r in rows.to_dict("records")}
    demo = [bool(by_year[y]["is_demo"]) if y in by_year else False for y in all_years]
    if per_inhabitant:
        values = [_num(by_year[y]["budget_per_inhabitant_eur"]) if y in by_year else None for y in all_years]
        number_format, unit, name = EURO_CENTS, per_capita_label(rows), "€ je Einwohner"
    else:
        values = [_euro(by_year[y]["budget_cents"]) if y in by_year else None for y in all_years]
        number_format, unit, name = EURO, "Euro", "Zielvereinbarung"
    hover = [f"{y}: {_money(by_year[y]['budget_cents'])}\n{_provenance(by_year[y])}" if y in by_year else ""
             for y in all_years]
    keys = [("highlight" if y == highlight_year else "budget") for y in all_years] if highlight_year else None
    series = [Series(name, values, demo, "budget", hover=hover, point_keys=keys)]
    marks = None if per_inhabitant else published_series(published, all_years)
    if marks is not None:
        series.append(marks)
    if not source_line and "status_date" in rows:
        source_line = (f"Quelle: Zielvereinbarungen AQB {fmt.years_text(years)} "
                       f"({fmt.documents_text(len(rows), sum(bool(d) for d in rows['is_demo']))}) · "
                       f"Stand: {_stand(rows['status_date'])}")
    return ChartView(
        "entwicklung", f"Budget {partner_name} {fmt.years_text(years)}".strip(), "column", [str(y) for y in all_years],
        series, number_format, source_line, has_demo=any(demo), value_label=unit, year_axis=True,
        empty_text=None if all_years else f"Keine Vereinbarungen für {partner_name} ({partner_ags}) im Bestand.",
    )


def _stand(values) -> str:
    dates = [v.date() if isinstance(v, pd.Timestamp) else v for v in values if v is not None and not pd.isna(v)]
    return fmt.german_date(max(dates)) if dates else "–"


def per_inhabitant_comparison_view(history: pd.DataFrame, partner_name: str) -> ChartView:
    """€ je Einwohner of one partner against the Hessen average and its peers, per year (lines)."""
    years = [int(y) for y in history["agreement_year"]]
    series = []
    for column, name, key, dash in (
        ("budget_per_inhabitant_eur", partner_name, "budget", "solid"),
        ("hessen_per_inhabitant_eur", "Hessen-Durchschnitt", "hessen", "dash"),
        ("peers_per_inhabitant_eur", "gleiche Art im Regierungsbezirk", "peers", "dot"),
    ):
        if column in history and history[column].notna().any():
            values = [_num(v) for v in history[column]]
            demo = [bool(d) for d in history["is_demo"]] if column == "budget_per_inhabitant_eur" else [
                bool(d) for d in history.get(column.replace("_per_inhabitant_eur", "_demo_count"),
                                             pd.Series([0] * len(history)))]
            series.append(Series(name, values, demo, key, dash=dash,
                                 hover=[f"{y}: {_per_head(v)}" + (" *" if d else "") for y, v, d in zip(years, values, demo)]))
    return ChartView("je_einwohner", "€ je Einwohner im Vergleich", "line", [str(y) for y in years], series, EURO_CENTS,
                     "", has_demo=any(s.has_demo for s in series), value_label=per_capita_label(history),
                     year_axis=True, empty_text="Keine Vereinbarungen im Bestand")


# --------------------------------------------------------------------------------------------
# Partners of one year


def ranking_view(frame: pd.DataFrame, *, per_inhabitant: bool, average: float | None = None, view_id: str = "rangfolge",
                 title: str = "", source_line: str = "") -> ChartView:
    """Partners of one year, biggest on top, coloured by Regierungsbezirk (rows: partner_name, regierungsbezirk,
    budget_cents, budget_per_inhabitant_eur, is_demo; population_stichtag names the per-capita Stichtag)."""
    column = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    shown = frame.sort_values([column, "partner_name"], ascending=[False, True]).head(MAX_BARS)
    rows = shown.to_dict("records")
    demo = [bool(r["is_demo"]) for r in rows]
    values = ([round(float(r[column]), 2) if pd.notna(r[column]) else None for r in rows] if per_inhabitant
              else [_euro(r[column]) for r in rows])
    hover = [f"{r['partner_name']}\n{_money(r['budget_cents'])} · {_per_head(r['budget_per_inhabitant_eur'])}\n"
             f"{_provenance(r)}" for r in rows]
    bezirke = sorted({r["regierungsbezirk"] for r in rows})
    reference = None
    if per_inhabitant and average is not None and pd.notna(average):
        reference = (float(average), f"Durchschnitt {fmt.number(average, 2)} €")
    return ChartView(
        view_id, title, "bar", [r["partner_name"] for r in rows],
        [Series("€ je Einwohner" if per_inhabitant else "Budget", values, demo, "budget", hover=hover)],
        EURO_CENTS if per_inhabitant else EURO, source_line, has_demo=any(demo),
        value_label=per_capita_label(shown) if per_inhabitant else "Euro",
        empty_text="Keine Vereinbarung für die Auswahl", category_keys=[f"bezirk:{r['regierungsbezirk']}" for r in rows],
        legend={f"bezirk:{b}": f"RB {b}" for b in bezirke}, reference=reference,
    )


def peers_view(peers: pd.DataFrame) -> ChartView:
    """A briefing's comparison group: € je Einwohner per partner, the partner itself highlighted."""
    rows = peers.to_dict("records")
    return ChartView(
        "peers", "", "bar", [r["partner_name"] for r in rows],
        [Series("€ je Einwohner", [round(float(r["budget_per_inhabitant_eur"]), 2) for r in rows],
                [bool(r["is_demo"]) for r in rows], "budget",
                point_keys=["highlight" if r["is_self"] else "budget" for r in rows])],
        EURO_CENTS, "", has_demo=any(bool(r["is_demo"]) for r in rows), value_label=per_capita_label(peers))


# --------------------------------------------------------------------------------------------
# Projects by Maßnahmenart


def measure_mix_view(mix: pd.DataFrame, *, view_id: str = "mix", title: str = "", source_line: str = "",
                     note: str | None = None) -> ChartView:
    """Projects per Maßnahmenart in one year, with their share (rows: measure_type_code, measure_type_label,
    project_count, demo_project_count, optional project_share)."""
    total = int(mix["project_count"].sum()) if len(mix) else 0
    rows = mix.to_dict("records")
    counts = [int(r["project_count"]) for r in rows]
    shares = [r["project_share"] if "project_share" in r else (c / total if total else None)
              for r, c in zip(rows, counts)]
    labels = [f"{fmt.number(c)} ({fmt.percent(s) if s is not None and pd.notna(s) else '–'})"
              for c, s in zip(counts, shares)]
    return ChartView(
        view_id, title, "bar", [r["measure_type_label"] for r in rows],
        [Series("Projekte", counts, [bool(r.get("demo_project_count", r.get("is_demo"))) for r in rows], labels=labels,
                hover=[f"{r['measure_type_label']}: {fmt.count(c, 'Projekt', 'Projekte')}" for r, c in zip(rows, counts)])],
        COUNT, source_line, has_demo=any(bool(r.get("demo_project_count", r.get("is_demo"))) for r in rows),
        value_label="Projekte", note=note, empty_text=None if total else "Keine Projekte für die Auswahl",
        category_keys=[f"measure:{int(r['measure_type_code'])}" for r in rows],
    )


def _stacked_counts(frame: pd.DataFrame, category: str, categories: list, demo_column: str) -> list[Series]:
    series = []
    for (code, label), part in frame.groupby(["measure_type_code", "measure_type_label"], sort=True):
        by_cat = {r[category]: r for r in part.to_dict("records")}
        values = [int(by_cat[c]["project_count"]) if c in by_cat and by_cat[c]["project_count"] else None
                  for c in categories]
        demo = [bool(by_cat[c][demo_column]) if c in by_cat else False for c in categories]
        series.append(Series(label, values, demo, f"measure:{int(code)}",
                             hover=[f"{c}: {fmt.count(v, 'Projekt', 'Projekte')}" if v else "" for c, v in
                                    zip(categories, values)]))
    return series


def measure_years_view(frame: pd.DataFrame, *, view_id: str = "mix_entwicklung", title: str = "",
                       source_line: str = "", empty_text: str = "Keine Projekte im gewählten Zeitraum") -> ChartView:
    """Projects per year stacked by Maßnahmenart (rows per year × type: agreement_year, measure_type_code,
    measure_type_label, project_count, demo_project_count)."""
    years = sorted({int(y) for y in frame["agreement_year"]})
    frame = frame.assign(agreement_year=frame["agreement_year"].astype(int))
    series = _stacked_counts(frame, "agreement_year", years, "demo_project_count")
    return ChartView(view_id, title, "stacked_column", [str(y) for y in years], series, COUNT, source_line,
                     has_demo=bool(frame["demo_project_count"].sum()) if len(frame) else False,
                     value_label="Projekte", year_axis=True, empty_text=empty_text)


def partner_projects_view(projects: pd.DataFrame) -> ChartView:
    """One partner's running projects per year stacked by Maßnahmenart (one row per project)."""
    current = projects[projects["change_status"] != "ended"]
    counts = (current.groupby(["agreement_year", "measure_type_code", "measure_type_label"])
              .agg(project_count=("is_demo", "size"), demo_project_count=("is_demo", "sum")).reset_index())
    return measure_years_view(counts, view_id="partner_projekte", empty_text="Keine Projekte im Bestand")


def search_hits_view(counts: pd.DataFrame) -> ChartView:
    """Matching projects per year stacked by Maßnahmenart, from the SQL counts over all hits."""
    view = measure_years_view(counts, view_id="projekte", empty_text="Keine Treffer")
    view.value_label = "Treffer"
    return view


def measures_by_partner_view(frame: pd.DataFrame) -> ChartView:
    """Projects per partner stacked by Maßnahmenart, the partners with most projects on top."""
    totals = frame.groupby("partner_name")["project_count"].sum().sort_values(ascending=False, kind="stable")
    partners = totals[totals > 0].head(MAX_BARS).index.tolist()
    series = _stacked_counts(frame[frame["partner_name"].isin(partners)], "partner_name", partners, "demo_project_count")
    return ChartView("art_partner", "", "stacked_bar", partners, series, COUNT, "",
                     has_demo=bool(frame["demo_project_count"].sum()) if len(frame) else False,
                     value_label="Projekte", empty_text="Keine Projekte für die Auswahl")


def measure_share_view(mix: pd.DataFrame) -> ChartView:
    """Share of each Maßnahmenart in all projects per year (stacked to 100 %)."""
    years = sorted({int(y) for y in mix["agreement_year"]})
    series = []
    for (code, label), part in mix.groupby(["measure_type_code", "measure_type_label"], sort=True):
        by_year = {int(r["agreement_year"]): r for r in part.to_dict("records")}
        values = [_num(by_year[y]["project_share"]) if y in by_year else None for y in years]
        series.append(Series(label, values, [bool(by_year[y]["demo_project_count"]) if y in by_year else False
                                             for y in years], f"measure:{int(code)}",
                             hover=[f"{y}: {fmt.percent(v) if v is not None else '–'} "
                                    f"({fmt.count(int(by_year[y]['project_count']) if y in by_year else 0, 'Projekt', 'Projekte')})"
                                    for y, v in zip(years, values)]))
    empty = None if len(mix) and mix["project_count"].sum() else "Keine Projekte im gewählten Zeitraum"
    return ChartView("art_anteile", "", "area_share", [str(y) for y in years], series, PERCENT, "",
                     has_demo=bool(mix["demo_project_count"].sum()) if len(mix) else False,
                     value_label="Anteil an allen Projekten", year_axis=True, empty_text=empty)


# --------------------------------------------------------------------------------------------
# Matrices


def _top(values: pd.Series) -> list:
    """At most MAX_BARS rows (by the given value) for crowded matrices; the table keeps all."""
    return values.sort_values(ascending=False, na_position="last", kind="stable").head(MAX_BARS).index.tolist()


def partner_year_heatmap_view(frame: pd.DataFrame, *, per_inhabitant: bool, view_id: str = "heatmap", title: str = "",
                              source_line: str = "") -> ChartView:
    """Partner × year: the budget (Tsd. €) or € je Einwohner per cell, the biggest of the last year on top.

    ``frame`` has a row per partner-year (partner_name, agreement_year, budget_cents, budget_per_inhabitant_eur,
    is_demo; rows without an agreement may carry has_agreement = false).
    """
    if "has_agreement" in frame:
        frame = frame[frame["has_agreement"].astype(bool)]
    column = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    years = sorted({int(y) for y in frame["agreement_year"]})
    values = frame.pivot_table(index="partner_name", columns="agreement_year", values=column, aggfunc="first")
    values = values.astype(float) if len(values) else values
    if not per_inhabitant:
        values = values / 100
    partners = _top(values[values.columns.max()].fillna(values.max(axis=1))) if len(values) else []
    cells = {(r["partner_name"], int(r["agreement_year"])): r for r in frame.to_dict("records")}
    z = [[(round(float(values.loc[p, y]), 2) if pd.notna(values.loc[p, y]) else None) if y in values.columns else None
          for y in years] for p in partners]
    demo = [[bool(cells[(p, y)]["is_demo"]) if (p, y) in cells else False for y in years] for p in partners]
    return ChartView(
        view_id, title, "heatmap", [str(y) for y in years], [], EURO_CENTS if per_inhabitant else EURO, source_line,
        has_demo=any(any(row) for row in demo), value_label=per_capita_label(frame) if per_inhabitant else "Tsd. €",
        matrix={"x": [str(y) for y in years], "y": partners, "z": z, "demo": demo, "scale": "sequential"},
        empty_text="Keine Vereinbarungen im gewählten Zeitraum",
    )


def measure_years_matrix_view(frame: pd.DataFrame) -> ChartView:
    """Partner × Maßnahmenart: in how many of its years with an agreement the type was funded (share as colour)."""
    if frame.empty or frame["agreement_years_count"].sum() == 0:
        return ChartView("art_wer", "", "heatmap", [], [], PERCENT, "", has_demo=False,
                         matrix={"x": [], "y": [], "z": [], "demo": []},
                         empty_text="Keine Vereinbarungen im gewählten Zeitraum")
    labels = frame.drop_duplicates("measure_type_code").sort_values("measure_type_code")["measure_type_label"].tolist()
    grid = frame.pivot(index="partner_name", columns="measure_type_label", values="years_with_projects")
    of = frame.groupby("partner_name")["agreement_years_count"].max()
    partners = sorted(_top(frame.groupby("partner_name")["project_count"].sum()))
    z, text, demo = [], [], []
    demo_cells = frame.assign(_d=(frame["demo_project_count"] > 0) | (frame.get("demo_agreement_years_count", 0) > 0))
    demo_cells = demo_cells.pivot(index="partner_name", columns="measure_type_label", values="_d")
    for p in partners:
        n = int(of[p])
        years = [int(grid.loc[p, m]) if pd.notna(grid.loc[p, m]) else 0 for m in labels]
        z.append([(y / n if n else None) for y in years])
        text.append([f"{y} von {n}" for y in years])
        demo.append([bool(demo_cells.loc[p, m]) if pd.notna(demo_cells.loc[p, m]) else False for m in labels])
    return ChartView(
        "art_wer", "", "heatmap", labels, [], PERCENT, "", has_demo=any(any(r) for r in demo),
        matrix={"x": labels, "y": partners, "z": z, "demo": demo, "text": text, "scale": "share", "zmin": 0, "zmax": 1,
                "hover": [[f"{p} – {m}: in {t} Jahren" for m, t in zip(labels, row)] for p, row in zip(partners, text)]},
        empty_text="Keine Vereinbarungen im gewählten Zeitraum",
    )


COVERAGE_ORDER = ("agreement", "demo", "published_only", "missing")
COVERAGE_TEXT = {"agreement": "Zielvereinbarung (amtlich)", "demo": "nur Demodaten",
                 "published_only": "nur veröffentlichter Betrag", "missing": "fehlt"}


def coverage_matrix_view(coverage: pd.DataFrame, labels: dict[str, str] | None = None) -> ChartView:
    """Partner × year coloured by what the store holds (amtlich, demo, only published, missing)."""
    labels = labels or COVERAGE_TEXT
    years = sorted({int(y) for y in coverage["agreement_year"]})
    partners = sorted(set(coverage["partner_name"]))[:MAX_BARS]  # alphabetical; the table has every row
    status = {(r["partner_name"], int(r["agreement_year"])): r["coverage_status"] for r in coverage.to_dict("records")}
    index = {c: i for i, c in enumerate(COVERAGE_ORDER)}
    z = [[index.get(status.get((p, y))) for y in years] for p in partners]
    hover = [[f"{p}, {y}: {labels.get(status.get((p, y)), '')}" for y in years] for p in partners]
    demo = [[status.get((p, y)) == "demo" for y in years] for p in partners]
    return ChartView(
        "abdeckung", "", "heatmap", [str(y) for y in years], [], COUNT, "", has_demo=False,
        matrix={"x": [str(y) for y in years], "y": partners, "z": z, "demo": demo, "hover": hover,
                "text": [["" for _ in years] for _ in partners], "scale": "coverage", "zmin": -0.5,
                "zmax": len(COVERAGE_ORDER) - 0.5},
        legend={f"coverage:{c}": labels[c] for c in COVERAGE_ORDER},
        empty_text="Keine Partner im gewählten Zeitraum",
    )


def coverage_by_year_view(coverage: pd.DataFrame, labels: dict[str, str] | None = None) -> ChartView:
    """Partners per year stacked by what the store holds: the coverage matrix in one screen-high chart."""
    labels = labels or COVERAGE_TEXT
    years = sorted({int(y) for y in coverage["agreement_year"]})
    counts = coverage.groupby(["coverage_status", "agreement_year"]).size().to_dict()
    series = []
    for status in COVERAGE_ORDER:
        values = [int(counts.get((status, y), 0)) or None for y in years]
        series.append(Series(labels[status], values, [status == "demo" and bool(v) for v in values],
                             f"coverage:{status}",
                             hover=[f"{y}: {fmt.count(v or 0, 'Gebietskörperschaft', 'Gebietskörperschaften')} – "
                                    f"{labels[status]}" for y, v in zip(years, values)]))
    return ChartView("abdeckung_jahre", "", "stacked_column", [str(y) for y in years], series, COUNT, "",
                     has_demo=any(counts.get(("demo", y)) for y in years),
                     value_label="Gebietskörperschaften", year_axis=True,
                     empty_text="Keine Partner im gewählten Zeitraum")


# --------------------------------------------------------------------------------------------
# Two years compared


def changes_view(comparison: pd.DataFrame, *, per_inhabitant: bool) -> ChartView:
    """Change between two years per partner, biggest first; increases and decreases in two colours."""
    shown = comparison.head(MAX_BARS).sort_values("change_value", ascending=False, kind="stable")
    rows = shown.to_dict("records")
    values = [_num(r["change_value"]) for r in rows]

    def text(r) -> str:
        value = (fmt.per_inhabitant(float(r["change_value"]), unit="€", signed=True) if per_inhabitant
                 else fmt.euro_short(float(r["change_value"]) * 100, signed=True))
        return f"{value} ({fmt.percent(r['change_ratio'], signed=True)})"

    labels = [text(r) for r in rows]
    return ChartView(
        "veraenderung", "", "bar", [r["partner_name"] for r in rows],
        [Series("Veränderung", values, [bool(r["is_demo"]) for r in rows], labels=labels,
                hover=[f"{r['partner_name']}: {t}" for r, t in zip(rows, labels)],
                point_keys=["change:up" if (v or 0) >= 0 else "change:down" for v in values])],
        EURO_CENTS if per_inhabitant else EURO, "", has_demo=any(bool(r["is_demo"]) for r in rows),
        value_label="Veränderung" + (f" – {per_capita_label(comparison)}" if per_inhabitant else ""),
        empty_text="Keine Partner mit Vereinbarung in beiden Jahren",
    )


def slope_view(comparison: pd.DataFrame, year_a: int, year_b: int, *, per_inhabitant: bool,
               label_top: int = 8) -> ChartView:
    """One line per partner from year A to year B, coloured by Regierungsbezirk; the biggest movers labelled."""
    shown = comparison.head(MAX_BARS)
    rows = shown.to_dict("records")
    a, b = str(year_a), str(year_b)
    value_text = ((lambda v: fmt.per_inhabitant(float(v), unit="€")) if per_inhabitant
                  else (lambda v: fmt.euro_short(float(v) * 100)))
    series = [Series(r["partner_name"], [_num(r["value_a"]), _num(r["value_b"])], [bool(r["is_demo"])] * 2,
                     f"bezirk:{r['regierungsbezirk']}", dash="dot" if r["is_demo"] else "solid",
                     hover=[f"{r['partner_name']} {a}: {value_text(r['value_a'])}",
                            f"{r['partner_name']} {b}: {value_text(r['value_b'])}"]) for r in rows]
    bezirke = sorted({r["regierungsbezirk"] for r in rows})
    return ChartView(
        "steigung", "", "slope", [a, b], series, EURO_CENTS if per_inhabitant else EURO, "",
        has_demo=any(s.has_demo for s in series),
        value_label=per_capita_label(comparison) if per_inhabitant else "Euro",
        legend={f"bezirk:{z}": f"RB {z}" for z in bezirke}, labelled=[r["partner_name"] for r in rows[:label_top]],
        empty_text="Keine Partner mit Vereinbarung in beiden Jahren",
    )


# --------------------------------------------------------------------------------------------
# Umsetzungsstand


def _ratio(value) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 4)


def implementation_view(frame: pd.DataFrame, category: str, *, view_id: str = "abfluss", title: str = "",
                        source_line: str = "", note: str | None = None, empty_text: str | None = None,
                        long_names: bool = False) -> ChartView:
    """Mittelabfluss and participants against planned places per partner or project (clustered bars).

    ``category`` names the label column (partner_name or project_name); rows: spent_ratio, participant_ratio, is_demo.
    """
    demo = [bool(d) for d in frame["is_demo"]]
    names = [str(n) for n in frame[category]]
    if long_names:
        names = [n if len(n) <= 42 else n[:40] + "…" for n in names]
    return ChartView(
        view_id, title, "clustered_bar", names,
        [Series("Mittelabfluss (ausgezahlt / bewilligt)", [_ratio(v) for v in frame["spent_ratio"]], demo),
         Series("Teilnehmende / geplante Plätze", [_ratio(v) for v in frame["participant_ratio"]], demo)],
        PERCENT, source_line, has_demo=any(demo), note=note, value_label="Anteil", empty_text=empty_text,
    )
