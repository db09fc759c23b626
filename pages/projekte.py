"""Projekte: Suche über alle Projektnamen, gefiltert nach Partner, Zeitraum und Maßnahmenart, mit Link zur Vereinbarung."""

import streamlit as st

from aqb.present import charts
from aqb import fmt
from aqb.present import theme
from aqb.app import ui
from aqb.app import frames as data

ctx = ui.page_context("Projekte", "Zeitraum und Maßnahmenart kommen aus der Seitenleiste.")
f, store = ctx.filters, ctx.store
partners = ctx.options.partners
left, right = st.columns([2, 3])
text = left.text_input("Suche im Projektnamen", key="suche", bind=ui.URL, placeholder="z. B. Teilzeit, Coaching")
chosen = right.multiselect("Gebietskörperschaften", partners["partner_name"].tolist(), key="partner_liste",
                           bind=ui.URL, placeholder="alle")
ags = partners.loc[partners["partner_name"].isin(chosen), "partner_ags"].tolist()

hits = data.query(
    store, "project_search", search_text=text.strip(), partner_ags_list=ags, year_from=f.year_from, year_to=f.year_to,
    measure_type_codes=list(f.measure_type_codes), row_limit=data.SEARCH_ROW_LIMIT, **f.partner_params,
)
found = int(hits["match_count"].iloc[0]) if len(hits) else 0
demo = int(hits["demo_match_count"].iloc[0]) if len(hits) else 0
summary = (f"{fmt.number(found)} {'Projekt' if found == 1 else 'Projekte'}" + (f" mit „{text.strip()}“" if text.strip() else "")
           + f" ({f.year_from}–{f.year_to})" + (f", davon {fmt.number(demo)} aus Demodaten" if demo else "") + "."
           + (f" Angezeigt werden die ersten {fmt.number(len(hits))}." if found > len(hits) else ""))
hits = hits.assign(link=[ui.partner_link(n, y) for n, y in zip(hits["partner_name"], hits["agreement_year"])])
columns = ["agreement_year", "partner_name", "measure_type_label", "project_name", "source_line", "provenance", "link"]
shown = theme.display_table(hits, columns)
shown[theme.label("link")] = hits["link"].tolist()
ui.chart_frame(
    "projekte", "Gefundene Projekte", summary, hits, figure=charts.search_hits_figure(hits), columns=columns,
    has_demo=demo > 0, display=shown, table_open=True,
    column_config={theme.label("link"): st.column_config.LinkColumn(theme.label("link"), display_text="öffnen")},
)
