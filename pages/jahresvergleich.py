"""Jahresvergleich: größte Veränderungen zwischen zwei Jahren, Partner × Jahr als Heatmap, Steigungsdiagramm."""

from aqb import fmt
from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb.app import chrome, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Jahresvergleich", "Die beiden verglichenen Jahre sind Anfang und Ende des Zeitraums in der Seitenleiste.")
f, store = ctx.filters, ctx.store
unit = "€ je Einwohner" if f.per_inhabitant else "Budget"
FIRST_CHART_BARS = 10

frame = data.partner_years(store, f, f.year_from, f.year_to)
year_a, year_b = f.year_from, f.year_to
comparison = data.year_comparison(frame, year_a, year_b, f.per_inhabitant)
chrome.headline(headlines.year_comparison(comparison, year_a, year_b, f.per_inhabitant))
summary = ui.comparison_summary(comparison, year_a, year_b, f.per_inhabitant)
columns = ["partner_name", "regierungsbezirk", "budget_a_cents", "budget_b_cents", "change_cents", "change_ratio",
           "value_a", "value_b", "change_value", "provenance"]
kinds = {"value_a": "eur2", "value_b": "eur2", "change_value": "eur2"}
# Message first: the ten biggest changes fit the first screen; every partner is in the slope chart, the
# heatmap and the table below.
top = comparison.head(FIRST_CHART_BARS)
if len(comparison) > len(top):
    summary += f" Gezeigt: die {len(top)} größten; alle {len(comparison)} im Steigungsdiagramm und in der Tabelle."
ui.chart_frame(
    "veraenderung", f"Größte Veränderungen {year_a} → {year_b} ({unit})", summary, comparison,
    figure=view_figure(cv.changes_view(top, per_inhabitant=f.per_inhabitant), projector=False)
    if year_a != year_b else None,
    columns=columns, kinds=kinds, has_demo=bool(comparison["is_demo"].any()) if len(comparison) else False,
)
with_agreement = frame[frame["has_agreement"]]
ui.chart_frame(
    "heatmap", f"{unit} je Gebietskörperschaft und Jahr",
    f"{fmt.number(len(with_agreement))} von {fmt.number(len(frame))} Partner-Jahren mit Vereinbarung "
    f"({f.year_from}–{f.year_to}); " + (f"€ je Einwohner. {ui.stichtag_caption(frame.drop_duplicates('agreement_year'))}." if f.per_inhabitant
                                   else "Werte in Tsd. €."),
    frame, figure=view_figure(cv.partner_year_heatmap_view(frame, per_inhabitant=f.per_inhabitant), projector=False),
    columns=["agreement_year", "partner_name", "regierungsbezirk", "budget_cents", "budget_per_inhabitant_eur",
             "project_count", "provenance"],
    has_demo=bool(frame["is_demo"].any()),
)

if year_a != year_b:
    ui.chart_frame(
        "steigung", f"Steigungsdiagramm {year_a} → {year_b}",
        "Eine Linie je Gebietskörperschaft, Farbe nach Regierungsbezirk; die größten Veränderungen sind beschriftet, "
        "gepunktete Linien beruhen auf Demodaten.",
        comparison, figure=view_figure(cv.slope_view(comparison, year_a, year_b, per_inhabitant=f.per_inhabitant),
                                       projector=False),
        columns=columns, kinds=kinds, has_demo=bool(comparison["is_demo"].any()) if len(comparison) else False,
    )
