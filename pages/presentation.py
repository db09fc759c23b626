"""Präsentation: charts from the URL full width with large fonts and no widgets, or (without URL) a picker.

Presentation mode: ?charts=gesamt,rangfolge,mix&year=2025&official=1 (slide=2 shows only the second
chart, partner=06413 for "entwicklung"). Each chart has its source and "Stand" line; demo rows
appear only with the demo mark on the slide, and official=1 leaves them out. Without ``charts``
the page lets staff pick views and hands out the shareable link and a 16:9 PPTX deck.
"""

from html import escape
from urllib.parse import urlencode

import streamlit as st

from aqb.app import umsetzung_ui as uu
from aqb.errors import AqbError
from aqb.store.queries import run_query
from aqb.settings import Settings
from aqb.present.views import DEFAULT_DECK, DEMO_MARK, VIEW_SPECS, build_view, figure, parse_view_ids

from aqb.app.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 1.2rem 2.5rem !important; max-width: 100% !important;}
.aqb-slide-title {font-size: 2.8rem; font-weight: 700; color: #1f4e79; line-height: 1.15; margin: 0.4rem 0;}
.aqb-demo {font-size: 1.6rem; font-weight: 700; color: #b00020; margin-bottom: 0.3rem;}
.aqb-note {font-size: 1.3rem; color: #404040;}
.aqb-source {font-size: 1.25rem; color: #595959; border-top: 1px solid #d9d9d9; padding-top: 0.4rem; margin-bottom: 3rem;}
.aqb-empty {font-size: 2rem; color: #595959; padding: 3rem 0;}
</style>"""


def slide_text(css_class: str, text: str) -> None:
    st.html(f'<div class="{css_class}">{escape(text)}</div>')


settings = Settings.from_env()
params = st.query_params
presenting = "charts" in params
st.set_page_config(page_title="AQB – Präsentation", layout="wide",
                   initial_sidebar_state="collapsed" if presenting else "auto")
con = uu.reader(settings)
if con is None:
    st.info("Noch kein Datenbestand vorhanden: `aqb build` baut ihn aus `data/`.")
    st.stop()
years = run_query(con, "presentation_budget_by_year", include_demo=True)["agreement_year"].astype(int).tolist()
labels = {s.view_id: s.label for s in VIEW_SPECS}

if not presenting:
    from aqb.present.slides import deck_bytes

    st.title("Präsentation und Foliensatz")
    st.caption("Ansichten wählen – als Link für den Präsentationsmodus (volle Breite, große Schrift, ohne "
               "Bedienelemente) oder als 16:9-Foliensatz mit bearbeitbaren Diagrammen.")
    chosen = st.multiselect("Ansichten (in dieser Reihenfolge)", list(labels), default=list(DEFAULT_DECK),
                            format_func=labels.get, key="praes_views")
    left, middle, right = st.columns(3)
    year = int(left.selectbox("Jahr", years[::-1] or [2025], key="praes_year"))
    with middle:
        official = uu.official_toggle(settings, "praes_amtlich")
    partner = None
    if any(s.needs_partner and s.view_id in chosen for s in VIEW_SPECS):
        partners = run_query(con, "umsetzung_partners")
        partner = right.selectbox("Gebietskörperschaft", partners["partner_ags"].tolist(), key="praes_partner",
                                  format_func=dict(zip(partners["partner_ags"], partners["partner_name"])).get)
    if not chosen:
        st.stop()
    query = {"charts": ",".join(chosen), "year": year, **({"official": 1} if official else {}),
             **({"partner": partner} if partner else {})}
    link = "?" + urlencode(query, safe=",")
    st.markdown(f"[Präsentationsmodus öffnen]({link})")
    st.code(link, language=None)
    include_demo = uu.demo_layer(settings) and not official
    st.download_button(
        "Foliensatz (PPTX) herunterladen", key="praes_deck", on_click="ignore", icon=":material/download:",
        data=lambda: deck_bytes([build_view(con, v, year=year, include_demo=include_demo, partner_ags=partner)
                                 for v in chosen],
                                title=f"Ausbildungs- und Qualifizierungsbudget Hessen {year}",
                                subtitle="nur amtliche Quellen" if not include_demo else "mit gekennzeichneten Demodaten"),
        file_name=f"aqb_{year}_folien.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    st.stop()

st.html(PRESENTATION_CSS)
try:
    ids = parse_view_ids(params.get("charts")) or ["gesamt"]
    year = int(params.get("year", max(years) if years else 2025))
    official = params.get("official", "0").strip().lower() in ("1", "true", "ja", "yes")
    include_demo = uu.demo_layer(settings) and not official
    partner = params.get("partner") or None
    if partner:
        from aqb.store.umsetzung_import import find_partner

        partner = find_partner(settings.reference_dir, partner, year).ags
    views = [build_view(con, i, year=year, include_demo=include_demo, partner_ags=partner) for i in ids]
except (AqbError, ValueError) as exc:
    slide_text("aqb-empty", f"Präsentation nicht möglich: {exc}")
    slide_text("aqb-source", "Ansichten: " + ", ".join(f"{k} ({v})" for k, v in labels.items())
               + " · Parameter: charts, year, official=1, partner, slide")
    st.stop()

slide = params.get("slide")
if slide and slide.isdigit() and 1 <= int(slide) <= len(views):
    shown = [(int(slide), views[int(slide) - 1])]
else:
    shown = list(enumerate(views, start=1))

for number, view in shown:
    slide_text("aqb-slide-title", view.title)
    if view.has_demo:
        slide_text("aqb-demo", f"{DEMO_MARK} – schraffierte bzw. mit * markierte Werte sind erzeugte Beispieldaten")
    if view.is_empty:
        slide_text("aqb-empty", view.empty_text or "Keine Daten.")
    else:
        # theme=None: Streamlit's chart theme would shrink the large presentation fonts again
        st.plotly_chart(figure(view, large=True), width="stretch", key=f"slide_{number}", theme=None,
                        config={"displayModeBar": False})
    if view.note:
        slide_text("aqb-note", view.note)
    slide_text("aqb-source", view.source_line + (f" · Folie {number} von {len(views)}" if len(views) > 1 else ""))
