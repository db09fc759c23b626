"""The chart catalogue of presentation mode and slide decks: data, title, source line, demo marks.

A ``ChartView`` is chart-library neutral (categories, series, an Excel number format); the
figure layer (aqb.present.figures.view_figure) draws it for the dashboard and presentation mode,
aqb.present.slides as a native PowerPoint chart (or, for the heatmap, a Kaleido image of that same
figure) and aqb.present.briefing_pdf with reportlab — in the colours of aqb.present.theme. Each view knows which
of its points rest on demo rows; with ``include_demo=False`` demo rows contribute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from aqb.errors import AqbError
from aqb.fmt import count as fmt_count
from aqb.fmt import documents_text, german_date, years_text
from aqb.store.queries import run_query

DEMO_MARK = "Demodaten — nicht amtlich"
DEMO_LEGEND = "schraffiert = Demodaten — nicht amtlich"
EURO = '#,##0 "€"'
EURO_CENTS = '#,##0.00 "€"'
MILLION_EURO = '#,##0.0,, "Mio. €"'
PERCENT = "0 %"
COUNT = "#,##0"
AGREEMENT_SOURCE = "Zielvereinbarungen AQB"
POPULATION_SOURCE = "Einwohner: Regionaldatenbank Deutschland, Stichtag 31.12.2019"


@dataclass
class Series:
    name: str
    values: list[float | None]
    demo_points: list[bool]
    colour_key: str | None = None  # theme.colour_for: 'measure:2', 'budget', … (None: by position)

    @property
    def has_demo(self) -> bool:
        return any(self.demo_points)


@dataclass
class ChartView:
    view_id: str
    title: str
    kind: str  # column | bar | stacked_column | clustered_bar | line | doughnut | heatmap
    categories: list[str]
    series: list[Series]
    number_format: str
    source_line: str
    has_demo: bool
    note: str | None = None
    value_label: str | None = None  # axis title, e.g. "Euro"
    matrix: dict | None = field(default=None)  # heatmap: x, y, z, demo (same shape as z)
    empty_text: str | None = None
    category_keys: list[str] | None = None  # one colour key per category (single-series charts)

    @property
    def is_empty(self) -> bool:
        if self.kind == "heatmap":
            return not self.matrix or not self.matrix["y"]
        return not self.categories or all(v is None for s in self.series for v in s.values)


@dataclass(frozen=True)
class ViewSpec:
    view_id: str
    label: str
    needs_partner: bool = False


VIEW_SPECS = (
    ViewSpec("gesamt", "AQB-Budget Hessen je Jahr"),
    ViewSpec("rangfolge", "Budget je Gebietskörperschaft"),
    ViewSpec("pro_kopf", "Budget je Einwohner"),
    ViewSpec("mix", "Projekte nach Maßnahmenart"),
    ViewSpec("mix_entwicklung", "Projekte nach Maßnahmenart und Jahr"),
    ViewSpec("abfluss", "Mittelabfluss und Teilnehmende"),
    ViewSpec("heatmap", "Budget je Einwohner im Zeitverlauf"),
    ViewSpec("entwicklung", "Budget einer Gebietskörperschaft je Jahr", needs_partner=True),
)
VIEW_IDS = tuple(s.view_id for s in VIEW_SPECS)
DEFAULT_DECK = ("gesamt", "rangfolge", "pro_kopf", "mix", "abfluss", "heatmap")


def parse_view_ids(text: str | None) -> list[str]:
    """'gesamt, rangfolge' -> ['gesamt', 'rangfolge']; raises AqbError naming unknown ids."""
    ids = [part.strip().lower() for part in (text or "").split(",") if part.strip()]
    unknown = [i for i in ids if i not in VIEW_IDS]
    if unknown:
        raise AqbError(f"Unbekannte Ansicht(en) {', '.join(unknown)} – verfügbar: {', '.join(VIEW_IDS)}.")
    return ids


def _as_date(value) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _stand(values) -> str:
    dates = [d for d in (_as_date(v) for v in values) if d is not None]
    return german_date(max(dates)) if dates else "–"


def _euro(cents) -> float | None:
    # Chart values only (display); sums and comparisons stay in integer cents.
    return None if cents is None or pd.isna(cents) else int(cents) / 100


def build_view(con, view_id: str, *, year: int, include_demo: bool, partner_ags: str | None = None) -> ChartView:
    """The data of one catalogue view; raises AqbError for an unknown id or a missing partner."""
    builders = {
        "gesamt": _gesamt, "rangfolge": _rangfolge, "pro_kopf": _pro_kopf, "mix": _mix,
        "mix_entwicklung": _mix_entwicklung, "abfluss": _abfluss, "heatmap": _heatmap, "entwicklung": _entwicklung,
    }
    if view_id not in builders:
        raise AqbError(f"Unbekannte Ansicht {view_id!r} – verfügbar: {', '.join(VIEW_IDS)}.")
    if view_id == "entwicklung":
        if not partner_ags:
            raise AqbError("Die Ansicht „entwicklung“ braucht eine Gebietskörperschaft (partner=AGS).")
        return _entwicklung(con, year, include_demo, partner_ags)
    return builders[view_id](con, year, include_demo)


def _gesamt(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_budget_by_year", include_demo=include_demo)
    frame = frame[frame["agreement_year"] <= year]
    categories = [str(int(y)) for y in frame["agreement_year"]]
    real = Series("amtliche Vereinbarungen", [_euro(v) or None for v in frame["real_budget_cents"]], [False] * len(frame),
                  "budget")
    demo = Series(DEMO_MARK, [_euro(v) or None for v in frame["demo_budget_cents"]], [True] * len(frame), "budget")
    series = [real] + ([demo] if include_demo and frame["demo_budget_cents"].sum() > 0 else [])
    incomplete = frame[frame["agreements_count"] < frame["partners_valid_count"]]
    note = None
    # A sum over part of the partners is not "the AQB budget of Hessen": title and coverage say what it is.
    title = f"AQB-Budget Hessen {years_text(frame['agreement_year'])}".strip()
    if len(incomplete):
        title = f"Summe der vorliegenden Vereinbarungen {years_text(frame['agreement_year'])}".strip()
        note = "Vorliegende Vereinbarungen: " + "; ".join(
            f"{int(r.agreement_year)}: {int(r.agreements_count)} von {int(r.partners_valid_count)} "
            "Gebietskörperschaften" for r in incomplete.itertuples())
    return ChartView(
        "gesamt", title, "stacked_column", categories, series,
        MILLION_EURO,
        f"Quelle: {AGREEMENT_SOURCE} {years_text(frame['agreement_year'])} "
        f"({documents_text(int(frame['agreements_count'].sum()), int(frame['demo_agreements_count'].sum()))}) · "
        f"Stand: {_stand(frame['latest_status_date'])}",
        has_demo=bool(frame["demo_agreements_count"].sum()), note=note, value_label="Euro",
        empty_text=None if len(frame) else "Keine Vereinbarungen im Bestand.",
    )


def is_thin(view: ChartView) -> bool:
    """True when a view would show nothing or a single value: a meeting gets the coverage slide instead."""
    if view.is_empty:
        return True
    if view.kind == "heatmap":
        cells = sum(v is not None for row in view.matrix["z"] for v in row)
        return cells <= 1 or len(view.matrix["y"]) <= 1
    filled = [i for i in range(len(view.categories)) if any(
        i < len(s.values) and s.values[i] is not None for s in view.series)]
    return len(filled) <= 1


def coverage_view(con, year: int, include_demo: bool, left_out: list[str]) -> ChartView:
    """Which partner-years rest on what (amtlich, Demodaten, nichts), with the views left out for being thin."""
    frame = run_query(con, "presentation_budget_by_year", include_demo=True)
    frame = frame[frame["agreement_year"] <= year]
    years = [str(int(y)) for y in frame["agreement_year"]]
    real = [int(v) for v in frame["real_agreements_count"]]
    demo = [int(v) if include_demo else 0 for v in frame["demo_agreements_count"]]
    missing = [int(n) - r - d for n, r, d in zip(frame["partners_valid_count"], real, demo)]
    series = [Series("amtliche Vereinbarung", real, [False] * len(years), "coverage:agreement")]
    if include_demo and any(demo):
        series.append(Series(DEMO_MARK, demo, [True] * len(years), "coverage:demo"))
    series.append(Series("keine amtliche Vereinbarung" if not include_demo else "keine Vereinbarung", missing,
                         [False] * len(years), "coverage:missing"))
    this_year = frame[frame["agreement_year"] == year]
    partners = int(this_year["partners_valid_count"].iloc[0]) if len(this_year) else 0
    real_now = int(this_year["real_agreements_count"].iloc[0]) if len(this_year) else 0
    note = ("Ausgelassen, weil sie keinen oder nur einen Wert zeigen würden: " + ", ".join(left_out) + "."
            if left_out else None)
    return ChartView(
        "abdeckung", f"Datenlage {year}: amtlich {real_now} von {partners} Vereinbarungen", "stacked_column", years,
        series, COUNT,
        f"Quelle: {AGREEMENT_SOURCE} {years_text(frame['agreement_year'])} · Stand: {_stand(frame['latest_status_date'])}",
        has_demo=include_demo and any(demo), note=note, value_label="Gebietskörperschaften",
        empty_text=None if len(frame) else "Keine Vereinbarungen im Bestand.",
    )


def for_meeting(con, views: list[ChartView], *, year: int, include_demo: bool) -> list[ChartView]:
    """The views of a deck or presentation without empty or one-value views; a coverage view takes their place."""
    thin = [v for v in views if is_thin(v)]
    if not thin:
        return views
    out: list[ChartView] = []
    for view in views:
        if view in thin:
            if view is thin[0]:
                out.append(coverage_view(con, year, include_demo, [v.title for v in thin]))
            continue
        out.append(view)
    return out


def _year_budgets(con, year: int, include_demo: bool) -> pd.DataFrame:
    return run_query(con, "presentation_partner_budgets", year_from=year, year_to=year, include_demo=include_demo)


def _partner_source(frame: pd.DataFrame, year: int, with_population: bool) -> str:
    population = f"; {POPULATION_SOURCE}" if with_population else ""
    return (f"Quelle: {AGREEMENT_SOURCE} {year} ({documents_text(len(frame), int(frame['is_demo'].sum()))}){population} · "
            f"Stand: {_stand(frame['status_date'])}")


def _rangfolge(con, year: int, include_demo: bool) -> ChartView:
    frame = _year_budgets(con, year, include_demo).sort_values(["budget_cents", "partner_name"], ascending=[False, True])
    demo = frame["is_demo"].astype(bool).tolist()
    return ChartView(
        "rangfolge", f"Budget je Gebietskörperschaft {year}", "bar", frame["partner_name"].tolist(),
        [Series("Budget", [_euro(v) for v in frame["budget_cents"]], demo, "budget")], EURO,
        _partner_source(frame, year, False), has_demo=any(demo), value_label="Euro",
        empty_text=None if len(frame) else f"Keine Vereinbarungen {year} im Bestand.",
        category_keys=[f"bezirk:{b}" for b in frame["regierungsbezirk"]],
    )


def _pro_kopf(con, year: int, include_demo: bool) -> ChartView:
    frame = _year_budgets(con, year, include_demo).sort_values(
        ["budget_per_inhabitant_eur", "partner_name"], ascending=[False, True])
    demo = frame["is_demo"].astype(bool).tolist()
    return ChartView(
        "pro_kopf", f"Budget je Einwohner {year}", "bar", frame["partner_name"].tolist(),
        [Series("€ je Einwohner", [round(float(v), 2) for v in frame["budget_per_inhabitant_eur"]], demo, "budget")],
        EURO_CENTS, _partner_source(frame, year, True), has_demo=any(demo), value_label="Euro je Einwohner",
        empty_text=None if len(frame) else f"Keine Vereinbarungen {year} im Bestand.",
        category_keys=[f"bezirk:{b}" for b in frame["regierungsbezirk"]],
    )


def _mix(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_measure_mix", include_demo=include_demo)
    frame = frame[frame["agreement_year"] == year]
    demo = (frame["demo_project_count"] > 0).tolist()
    documents = run_query(con, "presentation_budget_by_year", include_demo=include_demo)
    documents = documents[documents["agreement_year"] == year]
    count = int(documents["agreements_count"].sum())
    demo_docs = int(documents["demo_agreements_count"].sum())
    return ChartView(
        "mix", f"Projekte nach Maßnahmenart {year}", "bar", frame["measure_type_label"].tolist(),
        [Series("Projekte", [int(v) for v in frame["project_count"]], demo)], COUNT,
        f"Quelle: {AGREEMENT_SOURCE} {year}, § 5 ({documents_text(count, demo_docs)}) · "
        f"Stand: {_stand(frame['latest_status_date'])}",
        has_demo=any(demo), value_label="Projekte",
        note=f"{fmt_count(int(frame['project_count'].sum()), 'Projekt', 'Projekte')} in "
             f"{fmt_count(count, 'Vereinbarung', 'Vereinbarungen')}",
        empty_text=None if len(frame) else f"Keine Projekte {year} im Bestand.",
        category_keys=[f"measure:{int(c)}" for c in frame["measure_type_code"]],
    )


def _mix_entwicklung(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_measure_mix", include_demo=include_demo)
    frame = frame[frame["agreement_year"] <= year]
    years = sorted(set(int(y) for y in frame["agreement_year"]))
    series = []
    for code, part in frame.groupby("measure_type_code", sort=True):
        by_year = {int(r.agreement_year): r for r in part.itertuples()}
        series.append(Series(
            part["measure_type_label"].iloc[0],
            [int(by_year[y].project_count) if y in by_year else None for y in years],
            [bool(by_year[y].demo_project_count) if y in by_year else False for y in years],
            f"measure:{int(code)}",
        ))
    has_demo = bool(frame["demo_project_count"].sum())
    return ChartView(
        "mix_entwicklung", f"Projekte nach Maßnahmenart {years_text(years)}", "stacked_column", [str(y) for y in years],
        series, COUNT,
        f"Quelle: {AGREEMENT_SOURCE} {years_text(years)}, § 5" + (" (mit Demodaten)" if has_demo else "")
        + f" · Stand: {_stand(frame['latest_status_date'])}",
        has_demo=has_demo, value_label="Projekte",
        empty_text=None if len(frame) else "Keine Projekte im Bestand.",
    )


def _abfluss(con, year: int, include_demo: bool) -> ChartView:
    try:
        frame = run_query(con, "implementation_by_partner", agreement_year=year, include_demo=include_demo)
    except duckdb.CatalogException:  # a store built before the Umsetzungsstand table existed
        frame = pd.DataFrame(columns=["partner_name", "spent_ratio", "participant_ratio", "is_demo", "as_of_date",
                                      "approved_cents", "spent_cents"])
    frame = frame.sort_values(["spent_ratio", "partner_name"], ascending=[False, True])
    demo = frame["is_demo"].astype(bool).tolist()
    ratio = lambda v: None if v is None or pd.isna(v) else round(float(v), 4)  # noqa: E731
    approved = int(frame["approved_cents"].sum()) if len(frame) else 0
    spent = int(frame["spent_cents"].sum()) if len(frame) else 0
    note = None
    if approved:
        from aqb.fmt import euro_from_cents, percent

        note = (f"Hessen: {euro_from_cents(spent)} von {euro_from_cents(approved)} abgeflossen "
                f"({percent(spent / approved, 0)})")
    return ChartView(
        "abfluss", f"Mittelabfluss und Teilnehmende {year}", "clustered_bar", frame["partner_name"].tolist(),
        [Series("Mittelabfluss (ausgezahlt / bewilligt)", [ratio(v) for v in frame["spent_ratio"]], demo),
         Series("Teilnehmende / geplante Plätze", [ratio(v) for v in frame["participant_ratio"]], demo)],
        PERCENT,
        f"Quelle: Umsetzungsstand {year} ({len(frame)} Gebietskörperschaften"
        + (f", davon {sum(demo)} Demodaten" if any(demo) else "") + f") · Stand: {_stand(frame['as_of_date'])}",
        has_demo=any(demo), note=note, value_label="Anteil",
        empty_text=None if len(frame) else f"Kein Umsetzungsstand {year} eingelesen.",
    )


def _heatmap(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_partner_budgets", year_from=year - 6, year_to=year, include_demo=include_demo)
    years = sorted(set(int(y) for y in frame["agreement_year"]))
    partners = (frame.groupby("partner_name")["budget_per_inhabitant_eur"].mean()
                .sort_values(ascending=False).index.tolist())
    cells = {(r.partner_name, int(r.agreement_year)): r for r in frame.itertuples()}
    z = [[round(float(cells[(p, y)].budget_per_inhabitant_eur), 2) if (p, y) in cells else None for y in years]
         for p in partners]
    demo = [[bool(cells[(p, y)].is_demo) if (p, y) in cells else False for y in years] for p in partners]
    has_demo = bool(frame["is_demo"].any())
    return ChartView(
        "heatmap", f"Budget je Einwohner {years_text(years)}", "heatmap", [str(y) for y in years], [], EURO_CENTS,
        f"Quelle: {AGREEMENT_SOURCE} {years_text(years)} ({documents_text(len(frame), int(frame['is_demo'].sum()))}); "
        f"{POPULATION_SOURCE} · Stand: {_stand(frame['status_date'])}",
        has_demo=has_demo, value_label="€ je Einwohner",
        matrix={"x": [str(y) for y in years], "y": partners, "z": z, "demo": demo},
        empty_text=None if len(frame) else "Keine Vereinbarungen im Bestand.",
    )


def _entwicklung(con, year: int, include_demo: bool, partner_ags: str) -> ChartView:
    history = run_query(con, "briefing_budget_history", partner_ags=partner_ags, include_demo=include_demo)
    history = history[history["agreement_year"] <= year]
    name = run_query(con, "briefing_partner", partner_ags=partner_ags, agreement_year=year)
    if name.empty:
        raise AqbError(f"Gebietskörperschaft {partner_ags} ist nicht im Bestand.")
    partner_name = name["partner_name"].iloc[0]
    return history_view(history, partner_name, partner_ags)


def history_view(history: pd.DataFrame, partner_name: str, partner_ags: str) -> ChartView:
    """A partner's budget per year as a column chart (also used by the briefing)."""
    demo = history["is_demo"].astype(bool).tolist()
    years = history["agreement_year"].astype(int).tolist()
    return ChartView(
        "entwicklung", f"Budget {partner_name} {years_text(years)}".strip(), "column", [str(y) for y in years],
        [Series("Budget", [_euro(v) for v in history["budget_cents"]], demo, "budget")], EURO,
        f"Quelle: {AGREEMENT_SOURCE} {years_text(years)} ({documents_text(len(history), sum(demo))}) · "
        f"Stand: {_stand(history['status_date'])}",
        has_demo=any(demo), value_label="Euro",
        empty_text=None if len(history) else f"Keine Vereinbarungen für {partner_name} ({partner_ags}) im Bestand.",
    )
