"""Karte: die Gebietskörperschaften als gleich große Kacheln (oder Choroplethe aus data/geo/), gefärbt nach Kennzahl."""

import streamlit as st

from aqb import fmt
from aqb.present import tilemap
from aqb.app import chrome, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Karte")
f, store = ctx.filters, ctx.store
labels = ctx.options.measure_types["measure_type_label"].tolist()
# The choice beside the headline, not above it: the whole map fits the first screen (message first).
finding, choice = st.columns([3, 1], vertical_alignment="center")
measure = choice.selectbox("Kennzahl", list(data.MAP_MEASURES) + [data.SHARE_PREFIX + label for label in labels],
                           key="kennzahl", bind=ui.URL)
values = data.map_values(store, f, measure)
with finding:
    chrome.headline(headlines.map_spread(f.year, values, measure, f.per_inhabitant))
style = tilemap.measure_style(measure, f.per_inhabitant)
figure, note, problem = tilemap.map_figure(values, ctx.settings.data_dir, ctx.settings.reference_dir, style)
if problem:
    st.warning(problem)

known = values[values["has_agreement"]]
total = int(known["budget_cents"].sum()) if len(known) else None
ui.chart_frame(
    "karte", f"Karte {f.year}: {measure}",
    f"{measure} {f.year}" + (f" ({ui.per_capita_label(values)})" if measure == "Budget" and f.per_inhabitant else "")
    + f": {len(known)} von {len(values)} Gebietskörperschaften mit Vereinbarung, Summe der Budgets "
    f"{fmt.euro_from_cents(total)}.{note}",
    values, figure=figure,
    columns=["partner_ags", "partner_name", "regierungsbezirk", "map_value", "budget_cents", "budget_per_inhabitant_eur",
             "project_count", "provenance"],
    kinds={"map_value": style.kind}, has_demo=bool(values["is_demo"].any()),
)
