"""Gesprächsunterlage: one partner's briefing for the autumn Umsetzungsbesprechung, as page, PDF and PPTX."""

import pandas as pd
import streamlit as st

from aqb.analysis import briefing as br
from aqb.analysis import versions
from aqb.app import umsetzung_ui as uu
from aqb.present.briefing_pdf import briefing_pdf
from aqb.fmt import delta_arrow, euro_from_cents, german_date, number, per_inhabitant_label
from aqb.store.queries import run_query
from aqb.settings import Settings
from aqb.present.slides import briefing_deck, source_lines
from aqb.present.umsetzung_template import template_bytes
from aqb.analysis.catalogue import history_view
from aqb.present.figures import view_figure

from aqb.app import ui
from aqb.app.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

settings = Settings.from_env()
st.title("Gesprächsunterlage")
uu.internal_page(settings)
st.caption("Alles für die Umsetzungsbesprechung im Herbst (§ 6 der Zielvereinbarung) – als Seite, PDF und PPTX.")
con = uu.reader(settings)
if con is None:
    st.info("Noch kein Datenbestand vorhanden: `aqb build` baut ihn aus `data/`.")
    st.stop()

partners = run_query(con, "umsetzung_partners")
years = sorted(run_query(con, "presentation_budget_by_year", include_demo=True)["agreement_year"].astype(int))
left, middle, right = st.columns([3, 1, 2])
ags = left.selectbox("Gebietskörperschaft", partners["partner_ags"].tolist(), key="briefing_partner", bind="query-params",
                     format_func=dict(zip(partners["partner_ags"], partners["partner_name"])).get,
                     index=partners["partner_ags"].tolist().index("06413") if "06413" in set(partners["partner_ags"]) else 0)
year = middle.selectbox("Jahr", years[::-1] or [2025], key="briefing_year", bind="query-params")
with right:
    official = uu.official_toggle(settings, "briefing_amtlich")
include_demo = not official

b = uu.briefing(con, ags, int(year), include_demo=include_demo)  # cached: a click does not rerun the queries
st.header(b.title)
st.caption(b.subtitle)
if b.has_demo:
    uu.demo_notice("diese Unterlage")

pdf_col, pptx_col, _ = st.columns([1, 1, 2])
pdf_col.download_button("PDF herunterladen", data=lambda: briefing_pdf(b), file_name=f"{b.file_stem}.pdf",
                        mime="application/pdf", key="briefing_pdf", on_click="ignore", icon=":material/download:")
pptx_col.download_button(
    "PPTX herunterladen", data=lambda: briefing_deck(b), file_name=f"{b.file_stem}.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation", key="briefing_pptx",
    on_click="ignore", icon=":material/download:")

st.subheader("Kennzahlen")
if b.key is None:
    st.info(b.missing_text)
else:
    k = b.key
    cols = st.columns(4)
    change = br.change_text(k.change_cents, k.change_ratio) if k.change_cents is not None else None
    cols[0].metric(f"Budget {b.year}" + (" *" if k.is_demo else ""), euro_from_cents(k.budget_cents),
                   delta=change, delta_arrow=delta_arrow(change))
    cols[1].metric(k.per_inhabitant_label, f"{number(k.per_inhabitant_eur, 2)} €")
    cols[2].metric("Rang nach Budget" + (" *" if k.ranks_use_demo else ""), k.rank_text(k.budget_rank))
    cols[3].metric("Projekte", str(k.project_count))
    st.dataframe(pd.DataFrame(b.key_lines(), columns=["Kennzahl", "Wert"]), hide_index=True, width="stretch")
st.caption(uu.plain(b.source_line("agreement")))  # names source files: shown literally

st.subheader("Budget im Zeitverlauf")
if len(b.history):
    st.plotly_chart(view_figure(history_view(b.history, b.partner_name, ags), projector=False), width="stretch",
                    config=ui.PLOTLY_CONFIG,
                    key="briefing_history")
st.caption(uu.plain(b.source_line("history")))  # names source files: shown literally

st.subheader(f"Projekte {b.year}: neu, fortgeführt, beendet")
if b.projects.empty:
    st.info(b.missing_text)
else:
    shown = pd.concat([b.projects, b.ended], ignore_index=True)
    st.dataframe(pd.DataFrame({
        "Maßnahmenart": shown["measure_type_label"],
        "Projekt": [f"{n} *" if d else n for n, d in zip(shown["project_name"], shown["is_demo"])],
        f"ggü. {b.year - 1}": shown["project_change"].fillna("–"),
        "Name im Vorjahr": shown["renamed_from"].fillna("") if "renamed_from" in shown else "",
    }), hide_index=True, width="stretch")

if len(b.versions) > 1:
    st.subheader(f"Fassungen und Änderungen {b.year}")
    st.dataframe(pd.DataFrame({
        "Fassung": b.versions["version_kind"], "Datei": b.versions["source_file"],
        "eingelesen": b.versions["ingested_at_text"],
        "Budget": [euro_from_cents(int(c)) for c in b.versions["budget_cents"]],
        "Was sich geändert hat": b.versions["changes"],
    }), hide_index=True, width="stretch")
else:
    st.caption(uu.plain(f"Fassungen {b.year}: {versions.single_version_text(b.versions, b.year)}"))

st.subheader(f"Vergleich: {b.peers.label}")
peers = b.peers.frame[b.peers.frame["has_agreement"]]
st.dataframe(pd.DataFrame({
    "Gebietskörperschaft": [f"{n} *" if d else n for n, d in zip(peers["partner_name"], peers["is_demo"])],
    f"Budget {b.year}": [euro_from_cents(int(v)) for v in peers["budget_cents"]],
    per_inhabitant_label(peers["population_stichtag"]): [f"{number(v, 2)} €" for v in peers["budget_per_inhabitant_eur"]],
    "Projekte": peers["project_count"].astype("Int64"),
}), hide_index=True, width="stretch")
st.caption((f"{b.key.per_inhabitant_label} – " if b.key else "")
           + " · ".join(f"{label}: {number(v, 2)} €" for label, v, _n, _d in b.peer_context if v is not None))

st.subheader("Umsetzungsstand (Plan und Ist)")
uu.status_section(con, ags, int(year), include_demo=include_demo)
with st.expander("Vorlage und Einlesen"):
    if b.key is not None:
        st.download_button("Vorlage (XLSX) für diese Gebietskörperschaft",
                           data=lambda: template_bytes(con, int(year), partner_ags=ags, include_demo=include_demo),
                           file_name=f"umsetzungsstand_{year}_{ags}.xlsx", key="briefing_template", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    uu.upload_section(settings, int(year), key="briefing_upload")

st.subheader("Offene Datenqualitätspunkte")
st.markdown("\n".join(f"- {uu.plain(q.text)}" + (f" *({uu.DEMO_MARK})*" if q.is_demo else "") for q in b.quality)
            or "keine")
st.subheader("Quellen")
st.markdown("\n".join(f"- {uu.plain(line)}" for line in source_lines(b)))
st.caption(f"Unterlagen bis {german_date(b.stand)} · {b.stand_text}")
