"""Projekte: Suche über alle Projektnamen, gefiltert nach Partner, Zeitraum und Maßnahmenart, mit Link zur Vereinbarung."""

import streamlit as st

from aqb import fmt
from aqb.analysis import chart_views as cv
from aqb.present.figures import view_figure
from aqb.present import theme
from aqb.app import chrome, later, ui
from aqb.present import headlines
from aqb.app import frames as data

ctx = ui.page_context("Projekte", "Zeitraum und Maßnahmenart kommen aus der Seitenleiste.")
f, store = ctx.filters, ctx.store
partners = ctx.options.partners
left, right = st.columns([2, 3])
if later.widgets_wait(("suche", "partner_liste")):  # search field and choice come once the chart is drawn (later)
    text, chosen = "", []  # what both start with
    with left:
        later.widget_placeholder("suche", "Suche im Projektnamen: –")
    with right:
        later.widget_placeholder("partner_liste", "Gebietskörperschaften: alle")
else:
    text = left.text_input("Suche im Projektnamen", key="suche", bind=ui.URL, placeholder="z. B. Teilzeit, Coaching")
    chosen = right.multiselect("Gebietskörperschaften", partners["partner_name"].tolist(), key="partner_liste",
                               select_all=False, bind=ui.URL, placeholder="alle")
ags = partners.loc[partners["partner_name"].isin(chosen), "partner_ags"].tolist()
search = dict(search_text=text.strip(), partner_ags_list=ags, year_from=f.year_from, year_to=f.year_to,
              measure_type_codes=list(f.measure_type_codes), **f.partner_params)

# The chart counts in SQL over all hits; the screen table shows the first rows; the downloads read all of them.
counts = data.query(store, "project_search_counts", **search)
chrome.headline(headlines.projects_found(counts, text.strip()))
hits = data.query(store, "project_search", row_limit=data.SEARCH_ROW_LIMIT, **search)
found, demo = int(counts["project_count"].sum()), int(counts["demo_project_count"].sum())
summary = (fmt.count(found, "Projekt", "Projekte") + (f" mit „{text.strip()}“" if text.strip() else "")
           + f" ({f.year_from}–{f.year_to})" + (f", davon {fmt.number(demo)} aus Demodaten" if demo else "") + ".")


def with_links(frame):
    return frame.assign(link=[ui.partner_link(n, y) for n, y in zip(frame["partner_name"], frame["agreement_year"])])


hits = with_links(hits)
columns = ["agreement_year", "partner_name", "measure_type_label", "project_name", "source_line", "provenance", "link"]
shown = theme.display_table(hits, columns)
shown[theme.label("link")] = hits["link"].tolist()
ui.chart_frame(
    "projekte", "Gefundene Projekte", summary, hits, figure=view_figure(cv.search_hits_view(counts), projector=False), columns=columns,
    has_demo=demo > 0, display=shown, table_open=True, total_rows=found,
    all_rows=lambda: with_links(data.query(store, "project_search", row_limit=None, **search)),
    column_config={theme.label("link"): st.column_config.LinkColumn(theme.label("link"), display_text="öffnen")},
)
