"""The chart catalogue of presentation mode and slide decks: which views there are, their data, title, source line.

Each view reads its frame from the store and hands it to the one builder of that chart in
aqb.analysis.chart_views — the same builder the dashboard page of that chart uses — then adds
title, source line and note. Each view knows which of its points rest on demo rows; with
``include_demo=False`` demo rows contribute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from aqb.errors import AqbError
from aqb.fmt import count as fmt_count
from aqb.fmt import documents_text, german_date, years_text
from aqb.analysis.chart_views import (  # noqa: F401  (re-exported: the catalogue's callers name them here)
    COUNT, DEMO_MARK, EURO, EURO_CENTS, MILLION_EURO, PERCENT, ChartView, Series, history_view, implementation_view,
    measure_mix_view, measure_years_view, partner_year_heatmap_view, ranking_view, total_by_year_view,
)
from aqb.store.queries import run_query

AGREEMENT_SOURCE = "Zielvereinbarungen AQB"
POPULATION_SOURCE = "Einwohner: amtliche Bevölkerungsfortschreibung (Regionaldatenbank Deutschland)"


def population_source(frame: pd.DataFrame) -> str:
    """The population part of a source line, with the Stichtag(e) the frame's per-capita values use."""
    days = sorted({pd.Timestamp(d).date() for d in frame.get("population_stichtag", pd.Series(dtype=object))
                   if d is not None and pd.notna(d)})
    if not days:
        return f"{POPULATION_SOURCE}, ohne Stichtag im Bestand"
    span = german_date(days[0]) if len(days) == 1 else f"{german_date(days[0])} bis {german_date(days[-1])}"
    return f"{POPULATION_SOURCE}, Stichtag {span}"


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
    incomplete = frame[frame["agreements_count"] < frame["partners_valid_count"]]
    note = None
    # A sum over part of the partners is not "the AQB budget of Hessen": title and coverage say what it is.
    title = f"AQB-Budget Hessen {years_text(frame['agreement_year'])}".strip()
    if len(incomplete):
        title = f"Summe der vorliegenden Vereinbarungen {years_text(frame['agreement_year'])}".strip()
        note = "Vorliegende Vereinbarungen: " + "; ".join(
            f"{int(r.agreement_year)}: {int(r.agreements_count)} von {int(r.partners_valid_count)} "
            "Gebietskörperschaften" for r in incomplete.itertuples())
    view = total_by_year_view(
        frame, title=title,
        source_line=f"Quelle: {AGREEMENT_SOURCE} {years_text(frame['agreement_year'])} "
        f"({documents_text(int(frame['agreements_count'].sum()), int(frame['demo_agreements_count'].sum()))}) · "
        f"Stand: {_stand(frame['latest_status_date'])}")
    view.note = note
    view.empty_text = None if len(frame) else "Keine Vereinbarungen im Bestand."
    return view


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
    population = f"; {population_source(frame)}" if with_population else ""
    return (f"Quelle: {AGREEMENT_SOURCE} {year} ({documents_text(len(frame), int(frame['is_demo'].sum()))}){population} · "
            f"Stand: {_stand(frame['status_date'])}")


def _rangfolge(con, year: int, include_demo: bool) -> ChartView:
    frame = _year_budgets(con, year, include_demo)
    return _ranked(ranking_view(frame, per_inhabitant=False, view_id="rangfolge", title=f"Budget je Gebietskörperschaft {year}",
                                source_line=_partner_source(frame, year, False)), year)


def _pro_kopf(con, year: int, include_demo: bool) -> ChartView:
    frame = _year_budgets(con, year, include_demo)
    return _ranked(ranking_view(frame, per_inhabitant=True, view_id="pro_kopf", title=f"Budget je Einwohner {year}",
                                source_line=_partner_source(frame, year, True)), year)


def _ranked(view: ChartView, year: int) -> ChartView:
    view.empty_text = None if view.categories else f"Keine Vereinbarungen {year} im Bestand."
    return view


def _mix(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_measure_mix", include_demo=include_demo)
    frame = frame[frame["agreement_year"] == year]
    documents = run_query(con, "presentation_budget_by_year", include_demo=include_demo)
    documents = documents[documents["agreement_year"] == year]
    count = int(documents["agreements_count"].sum())
    demo_docs = int(documents["demo_agreements_count"].sum())
    view = measure_mix_view(
        frame, title=f"Projekte nach Maßnahmenart {year}",
        source_line=f"Quelle: {AGREEMENT_SOURCE} {year}, § 5 ({documents_text(count, demo_docs)}) · "
        f"Stand: {_stand(frame['latest_status_date'])}",
        note=f"{fmt_count(int(frame['project_count'].sum()), 'Projekt', 'Projekte')} in "
             f"{fmt_count(count, 'Vereinbarung', 'Vereinbarungen')}")
    view.empty_text = None if len(frame) else f"Keine Projekte {year} im Bestand."
    return view


def _mix_entwicklung(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_measure_mix", include_demo=include_demo)
    frame = frame[frame["agreement_year"] <= year]
    years = sorted(set(int(y) for y in frame["agreement_year"]))
    has_demo = bool(frame["demo_project_count"].sum())
    return measure_years_view(
        frame, title=f"Projekte nach Maßnahmenart {years_text(years)}",
        source_line=f"Quelle: {AGREEMENT_SOURCE} {years_text(years)}, § 5" + (" (mit Demodaten)" if has_demo else "")
        + f" · Stand: {_stand(frame['latest_status_date'])}", empty_text="Keine Projekte im Bestand.")


def _abfluss(con, year: int, include_demo: bool) -> ChartView:
    try:
        frame = run_query(con, "implementation_by_partner", agreement_year=year, include_demo=include_demo)
    except duckdb.CatalogException:  # a store built before the Umsetzungsstand table existed
        frame = pd.DataFrame(columns=["partner_name", "spent_ratio", "participant_ratio", "is_demo", "as_of_date",
                                      "approved_cents", "spent_cents"])
    frame = frame.sort_values(["spent_ratio", "partner_name"], ascending=[False, True])
    demo = frame["is_demo"].astype(bool).tolist()
    approved = int(frame["approved_cents"].sum()) if len(frame) else 0
    spent = int(frame["spent_cents"].sum()) if len(frame) else 0
    note = None
    if approved:
        from aqb.fmt import euro_from_cents, percent

        note = (f"Hessen: {euro_from_cents(spent)} von {euro_from_cents(approved)} abgeflossen "
                f"({percent(spent / approved, 0)})")
    return implementation_view(
        frame, "partner_name", title=f"Mittelabfluss und Teilnehmende {year}", note=note,
        source_line=f"Quelle: Umsetzungsstand {year} ({len(frame)} Gebietskörperschaften"
        + (f", davon {sum(demo)} Demodaten" if any(demo) else "") + f") · Stand: {_stand(frame['as_of_date'])}",
        empty_text=None if len(frame) else f"Kein Umsetzungsstand {year} eingelesen.")


def _heatmap(con, year: int, include_demo: bool) -> ChartView:
    frame = run_query(con, "presentation_partner_budgets", year_from=year - 6, year_to=year, include_demo=include_demo)
    years = sorted(set(int(y) for y in frame["agreement_year"]))
    view = partner_year_heatmap_view(
        frame, per_inhabitant=True, title=f"Budget je Einwohner {years_text(years)}",
        source_line=f"Quelle: {AGREEMENT_SOURCE} {years_text(years)} "
        f"({documents_text(len(frame), int(frame['is_demo'].sum()))}); {population_source(frame)} · "
        f"Stand: {_stand(frame['status_date'])}")
    view.empty_text = None if len(frame) else "Keine Vereinbarungen im Bestand."
    return view


def _entwicklung(con, year: int, include_demo: bool, partner_ags: str) -> ChartView:
    history = run_query(con, "briefing_budget_history", partner_ags=partner_ags, include_demo=include_demo)
    history = history[history["agreement_year"] <= year]
    name = run_query(con, "briefing_partner", partner_ags=partner_ags, agreement_year=year)
    if name.empty:
        raise AqbError(f"Gebietskörperschaft {partner_ags} ist nicht im Bestand.")
    partner_name = name["partner_name"].iloc[0]
    return history_view(history, partner_name, partner_ags)
