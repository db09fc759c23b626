"""Präsentation: one chart per screen from the URL (projector, 1920×1080), or (without URL) a picker.

Presentation mode: ?charts=gesamt,rangfolge,mix&year=2025&official=1&slide=2 (partner=06413 for
"entwicklung"). Every slide fills exactly one screen; ← / → (also Bild↑/Bild↓, Leertaste) page
without a reload and keep the slide number in the URL, so a reload or a shared link opens the same
slide. Charts come from the one figure layer (aqb.present.figures.view_figure) in the dashboard's
colours. The picker's choices are in the URL too.
"""

from html import escape
from urllib.parse import urlencode

import streamlit as st
import streamlit.components.v1 as components
from streamlit.errors import StreamlitAPIException

from aqb.analysis.catalogue import DEFAULT_DECK, DEMO_MARK, VIEW_SPECS, build_view, for_meeting, parse_view_ids
from aqb import fmt
from aqb.app import umsetzung_ui as uu
from aqb.app.ui import leave_legacy_navigation
from aqb.errors import AqbError
from aqb.present import html_table
from aqb.present.figures import view_figure
from aqb.settings import Settings
from aqb.store.queries import run_query

leave_legacy_navigation()  # a first deep link must run through dashboard.py

SLIDE_HEIGHT = 1080  # the projector's screen; title, note and source line take what the chart does not
CHART_HEIGHT = SLIDE_HEIGHT - 270
URL = "query-params"
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 0 2.5rem !important; max-width: 100% !important;}
[data-testid="stMain"] {scrollbar-width: none;}
[class*="st-key-slide_"] {height: 100vh !important; min-height: 100vh !important; flex: 0 0 100vh !important;
  overflow: hidden; padding-top: 1rem; box-sizing: border-box; justify-content: flex-start;}
.aqb-slide-title {font-family: inherit; padding: 0; font-size: 2.6rem; font-weight: 700; color: #1F4E79; line-height: 1.15; margin: 0.2rem 0;}
.aqb-demo {font-size: 1.4rem; font-weight: 700; color: #B35900;}
.aqb-note {font-size: 1.3rem; color: #404040;}
.aqb-source {font-size: 1.2rem; color: #595959; border-top: 1px solid #d9d9d9; padding-top: 0.4rem;}
.aqb-empty {font-size: 2rem; color: #595959; padding: 3rem 0;}
</style>"""
# Paging without a rerun: every slide is one screen high, the keys scroll the next one into view and
# write its number into the URL (history.replaceState), so reloads and shared links keep the slide.
PAGER_JS = """<script>
(function () {
  const w = window.parent, d = w.document;
  const total = %(total)d;
  function go(n, smooth) {
    n = Math.max(1, Math.min(total, n));
    const el = d.querySelector('.st-key-slide_' + n);
    if (!el) { return false; }
    el.scrollIntoView({block: 'start', behavior: smooth ? 'smooth' : 'instant'});
    w.__aqbSlide = n;
    const url = new URL(w.location.href);
    url.searchParams.set('slide', String(n));
    w.history.replaceState(w.history.state, '', url.toString());
    return true;
  }
  w.__aqbGo = go;
  if (!w.__aqbPager) {
    w.__aqbPager = true;
    d.addEventListener('keydown', function (e) {
      if (e.target && /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) { return; }
      const next = ['ArrowRight', 'PageDown', ' ', 'ArrowDown'].includes(e.key);
      const prev = ['ArrowLeft', 'PageUp', 'ArrowUp'].includes(e.key);
      if (!next && !prev) { return; }
      e.preventDefault();
      w.__aqbGo((w.__aqbSlide || 1) + (next ? 1 : -1), false);
    }, true);
  }
  let tries = 0;
  (function first() { if (!go(%(slide)d, false) && tries++ < 50) { setTimeout(first, 100); } })();
})();
</script>"""


def slide_text(css_class: str, text: str) -> None:
    st.html(f'<div class="{css_class}">{escape(text)}</div>')


def is_yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "ja", "yes")


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
stand = fmt.stand(run_query(con, "store_status").iloc[0]["built_at"])
labels = {s.view_id: s.label for s in VIEW_SPECS}

if not presenting:
    from aqb.present.slides import deck_bytes

    st.title("Präsentation und Foliensatz")
    st.caption("Ansichten wählen – als Link für den Präsentationsmodus (eine Folie je Bildschirm, Blättern mit "
               "← →, große Schrift) oder als 16:9-Foliensatz mit bearbeitbaren Diagrammen.")
    chosen = st.multiselect("Ansichten (in dieser Reihenfolge)", list(labels), default=list(DEFAULT_DECK),
                            format_func=labels.get, key="ansichten", select_all=False, bind=URL, placeholder="Ansichten wählen")
    left, middle, right = st.columns(3)
    year = int(left.selectbox("Jahr", years[::-1] or [2025], key="jahr", bind=URL))
    with middle:
        if uu.demo_layer(settings):
            official = st.toggle("nur amtliche Quellen", key="amtlich", bind=URL,
                                 help="blendet Demodaten aus allen Folien aus")
        else:
            official = uu.official_toggle(settings, "praes_amtlich")
    partner = None
    if any(s.needs_partner and s.view_id in chosen for s in VIEW_SPECS):
        partners = run_query(con, "umsetzung_partners")
        partner = right.selectbox("Gebietskörperschaft", partners["partner_ags"].tolist(), key="partner", bind=URL,
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
        data=lambda: deck_bytes(for_meeting(con, [build_view(con, v, year=year, include_demo=include_demo,
                                                             partner_ags=partner) for v in chosen],
                                            year=year, include_demo=include_demo),
                                title=f"Ausbildungs- und Qualifizierungsbudget Hessen {year}",
                                subtitle="nur amtliche Quellen" if not include_demo else "mit gekennzeichneten Demodaten",
                                stand=stand),
        file_name=f"aqb_{year}_folien.pptx",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    st.stop()

st.html(PRESENTATION_CSS)
try:
    ids = parse_view_ids(params.get("charts")) or ["gesamt"]
    year = int(params.get("year", max(years) if years else 2025))
    include_demo = uu.demo_layer(settings) and not is_yes(params.get("official"))
    partner = params.get("partner") or None
    if partner:
        from aqb.store.umsetzung_import import find_partner

        partner = find_partner(settings.reference_dir, partner, year).ags
    views = [build_view(con, i, year=year, include_demo=include_demo, partner_ags=partner) for i in ids]
    views = for_meeting(con, views, year=year, include_demo=include_demo)  # no empty or one-bar slide on the wall
except (AqbError, ValueError) as exc:
    slide_text("aqb-empty", f"Präsentation nicht möglich: {exc}")
    slide_text("aqb-source", "Ansichten: " + ", ".join(f"{k} ({v})" for k, v in labels.items())
               + " · Parameter: charts, year, official=1, partner, slide")
    st.stop()

slide = params.get("slide", "1")
current = int(slide) if slide.isdigit() and 1 <= int(slide) <= len(views) else 1

# One h1 for the document (read by screen readers, not shown on the projector); every slide title is an h2.
st.html(f'<h1 class="aqb-sr-only">Präsentation: {escape(", ".join(v.title for v in views))}</h1>')
for number, view in enumerate(views, start=1):
    with st.container(key=f"slide_{number}"):
        st.html(f'<h2 class="aqb-slide-title">{escape(view.title)}</h2>')
        if view.has_demo:
            slide_text("aqb-demo", f"{DEMO_MARK} – heller dargestellte, mit * markierte Werte sind erzeugte "
                       "Beispieldaten")
        if view.is_empty:
            slide_text("aqb-empty", view.empty_text or "Keine Daten.")
        else:
            # theme=None: Streamlit's chart theme would shrink the large presentation fonts again
            st.plotly_chart(view_figure(view, height=CHART_HEIGHT - (40 if view.has_demo else 0)), width="stretch",
                            key=f"chart_{number}", theme=None, config={"displayModeBar": False})
            # the chart's text equivalent, for screen readers only (the projector shows the chart)
            st.html('<div class="aqb-sr-only">' + html_table.accessible_table(
                html_table.view_frame(view), f"Daten zu: {view.title}", scroll_box=False) + "</div>")
        if view.note:
            slide_text("aqb-note", view.note)
        slide_text("aqb-source", view.source_line + f" · Bestand {stand} · Folie {number} von {len(views)}")
# The sidebar is hidden on the projector; the accessibility statement stays one Tab away (BITV: on every page).
try:
    st.page_link("pages/barrierefreiheit.py", label="Erklärung zur Barrierefreiheit", icon=":material/accessibility:")
except StreamlitAPIException:  # run outside the app's navigation (first deep link): a plain link, same address
    st.markdown("[Erklärung zur Barrierefreiheit](barrierefreiheit)")
components.html(PAGER_JS % {"total": len(views), "slide": current}, height=0)
