"""Maßnahmenarten: Anteile im Zeitverlauf, Projekte je Maßnahmenart und Partner, wer welche Art fördert."""

from aqb import fmt
from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb.app import chrome, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Maßnahmenarten", "Gezählt werden Projekte nach § 5; Budgets sind in den Vereinbarungen nicht nach "
                      "Maßnahmenart aufgeteilt.")
f, store = ctx.filters, ctx.store

per_partner = data.measures_by_partner(store, f, f.year, f.year)
chrome.headline(headlines.measure_types(f.year, per_partner))
# Message first: the shares over the years fit the first screen (the 26-row charts follow).
mix = data.measure_mix(store, f, f.year_from, f.year_to)
ui.chart_frame(
    "art_anteile", f"Anteile der Maßnahmenarten {f.year_from}–{f.year_to}",
    "Anteil jeder Maßnahmenart an allen Projekten der Auswahl je Jahr.",
    mix, figure=view_figure(cv.measure_share_view(mix), projector=False),
    columns=["agreement_year", "measure_type_label", "project_count", "project_share", "partner_count", "provenance"],
    has_demo=bool(mix["demo_project_count"].sum()),
)

with_projects = per_partner.groupby("partner_name")["project_count"].sum().gt(0).sum()
ui.chart_frame(
    "art_partner", f"Projekte je Maßnahmenart und Gebietskörperschaft {f.year}",
    f"{fmt.number(int(per_partner['project_count'].sum()))} Projekte bei {with_projects} Gebietskörperschaften.",
    per_partner, figure=view_figure(cv.measures_by_partner_view(per_partner), projector=False),
    columns=["partner_name", "regierungsbezirk", "measure_type_label", "project_count", "demo_project_count", "provenance"],
    has_demo=bool(per_partner["demo_project_count"].sum()),
)

years = data.measures_by_partner(store, f, f.year_from, f.year_to)
ui.chart_frame(
    "art_wer", f"Wer fördert welche Maßnahmenart ({f.year_from}–{f.year_to})",
    "Zelle: in wie vielen Jahren mit Vereinbarung die Gebietskörperschaft mindestens ein Projekt dieser Art hatte.",
    years, figure=view_figure(cv.measure_years_matrix_view(years), projector=False),
    columns=["partner_name", "measure_type_label", "years_with_projects", "agreement_years_count", "project_count",
             "provenance"],
    has_demo=bool(years["demo_project_count"].sum() or years["demo_agreement_years_count"].sum()),
)
