"""Überblick: Landessumme, Vereinbarungen, Projekte und Veränderung im gewählten Jahr; Verlauf, Rangfolge, Mix."""

from aqb import fmt
from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb.app import chrome, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Überblick")
f, store = ctx.filters, ctx.store
ov = data.overview(store, f, ctx.options.years)
chrome.headline(headlines.overview(f.year, ov.year_row, ov.previous_row, ov.ranking, f.per_inhabitant))
ui.overview_metrics(ov, f)

totals = ov.totals
ui.chart_frame(
    "summe_jahre", "Summe über die Jahre",
    f"Summe {f.year_from}–{f.year_to} aus den Zielvereinbarungen; veröffentlichte Landessummen (Presse) als "
    "Raute, nicht eingerechnet." + (f" {ui.stichtag_caption(ov.totals)}." if f.per_inhabitant else ""),
    totals, figure=view_figure(cv.total_by_year_view(totals, ov.published_statewide, per_inhabitant=f.per_inhabitant),
                              projector=False),
    columns=["agreement_year", "budget_cents", "real_budget_cents", "demo_budget_cents", "budget_per_inhabitant_eur",
             "agreements_count", "partners_valid_count", "signed_count", "project_count", "provenance"],
    has_demo=bool(totals["demo_agreements_count"].sum()),
)

rank = ov.ranking
average = ov.year_row["budget_per_inhabitant_eur"] if ov.year_row is not None else None
ui.chart_frame(
    "rangfolge", f"Alle Gebietskörperschaften {f.year} nach "
    + (ui.per_capita_label(ov.ranking) if f.per_inhabitant else "Budget"),
    (f"{fmt.number(len(rank))} {'Vereinbarung' if len(rank) == 1 else 'Vereinbarungen'}, zusammen "
     f"{fmt.euro_from_cents(int(rank['budget_cents'].sum()))}.") if len(rank) else
    f"Für {f.year} liegt in der Auswahl keine Vereinbarung vor.",
    rank, figure=view_figure(cv.ranking_view(rank, per_inhabitant=f.per_inhabitant, average=average), projector=False),
    columns=["budget_rank", "partner_name", "partner_kind", "regierungsbezirk", "budget_cents",
             "budget_per_inhabitant_eur", "population", "project_count", "provenance"],
    has_demo=bool(rank["is_demo"].any()) if len(rank) else False,
)

mix = ov.mix
ui.chart_frame(
    "mix", f"Maßnahmenarten {f.year}",
    f"{fmt.number(int(mix['project_count'].sum()))} Projekte nach Maßnahmenart (§ 5), Anteil an allen Projekten "
    "der Auswahl.",
    mix, figure=view_figure(cv.measure_mix_view(mix), projector=False),
    columns=["measure_type_code", "measure_type_label", "project_count", "project_share", "partner_count",
             "demo_project_count"],
    has_demo=bool(mix["demo_project_count"].sum()),
)
