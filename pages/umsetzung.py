"""Umsetzungsstand Hessen: Mittelabfluss and participant fulfilment per partner and project, statewide."""

import pandas as pd
import streamlit as st

from aqb.app import umsetzung_ui as uu
from aqb.fmt import euro_from_cents, german_date, number, percent
from aqb.store.queries import run_query
from aqb.settings import Settings
from aqb.store.umsetzung_import import status_available
from aqb.present.umsetzung_template import template_bytes
from aqb.analysis.catalogue import build_view
from aqb.present.figures import view_figure

from aqb.app import ui
from aqb.app.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

settings = Settings.from_env()
st.title("Umsetzungsstand")
uu.internal_page(settings)
st.caption("Plan (Zielvereinbarung) und Ist (Umsetzungsstand aus der Herbstabfrage) je Gebietskörperschaft und Projekt.")
con = uu.reader(settings)
if con is None or not status_available(con):
    st.info("Noch kein Datenbestand mit Umsetzungsstand: `aqb build` baut ihn aus `data/`.")
    st.stop()

years = sorted(run_query(con, "presentation_budget_by_year", include_demo=True)["agreement_year"].astype(int))
left, right = st.columns([1, 3])
year = int(left.selectbox("Jahr", years[::-1] or [2025], key="umsetzung_year", bind="query-params"))
with right:
    include_demo = not uu.official_toggle(settings, "umsetzung_amtlich")

partners = run_query(con, "implementation_by_partner", agreement_year=year, include_demo=include_demo)
if partners.empty:
    st.info(f"Kein Umsetzungsstand {year} eingelesen" + (" (amtlich)" if not include_demo else "") + ".")
else:
    if partners["is_demo"].any():
        uu.demo_notice("den Umsetzungsstand")
    approved, spent = int(partners["approved_cents"].sum()), int(partners["spent_cents"].sum())
    planned = int(partners["planned_places"].fillna(0).sum())
    cols = st.columns(4)
    cols[0].metric("Bewilligt", euro_from_cents(approved))
    cols[1].metric("Ausgezahlt/abgerufen", euro_from_cents(spent))
    cols[2].metric("Mittelabfluss", percent(spent / approved if approved else None, 0))
    cols[3].metric("Teilnehmende / Plätze", f"{number(int(partners['participants'].fillna(0).sum()))} / {number(planned)}")
    view = build_view(con, "abfluss", year=year, include_demo=include_demo)
    st.plotly_chart(view_figure(view, projector=False), width="stretch", key="umsetzung_chart", config=ui.PLOTLY_CONFIG)
    st.caption(uu.plain(view.source_line))  # names source files: shown literally
    st.dataframe(pd.DataFrame({
        "Gebietskörperschaft": [f"{n} *" if d else n for n, d in zip(partners["partner_name"], partners["is_demo"])],
        "Bewilligt": [euro_from_cents(int(v)) for v in partners["approved_cents"]],
        "Ausgezahlt": [euro_from_cents(int(v)) for v in partners["spent_cents"]],
        "Mittelabfluss": [percent(v, 0) for v in partners["spent_ratio"]],
        "Teilnehmende": [percent(v, 0) if pd.notna(v) else "–" for v in partners["participant_ratio"]],
        "Gemeldet": [f"{int(a)} von {int(b)}" for a, b in zip(partners["reported_project_count"],
                                                            partners["agreement_project_count"])],
        "Stand": [german_date(v) for v in partners["as_of_date"]],
    }), hide_index=True, width="stretch")
    with st.expander("Je Projekt"):
        projects = run_query(con, "implementation_by_project", agreement_year=year, include_demo=include_demo)
        table = uu.status_table(projects.assign(has_status=True))
        table.insert(0, "Gebietskörperschaft", projects["partner_name"].tolist())
        st.dataframe(table, hide_index=True, width="stretch")

with st.expander("Vorlage und Einlesen"):
    st.download_button("Vorlage (XLSX) für alle Gebietskörperschaften",
                       data=lambda: template_bytes(con, year, include_demo=include_demo),
                       file_name=f"umsetzungsstand_{year}.xlsx", key="umsetzung_template", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    uu.upload_section(settings, year, key="umsetzung_upload")
