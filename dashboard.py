"""AQB-Dashboard: the Streamlit entry — page config, navigation and the shared sidebar filters."""

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from aqb.app import chrome, later, navigation, routes, ui
from aqb.settings import Settings

st.set_page_config(page_title="AQB-Dashboard", page_icon="📊", layout="wide")

analysis = [
    # Served at the root; /ueberblick is a hidden alias (aqb.app.routes), which needs a different page id here.
    st.Page("pages/ueberblick.py", title="Überblick", icon=":material/dashboard:", url_path="start", default=True),
    st.Page("pages/gebietskoerperschaft.py", title="Gebietskörperschaft", icon=":material/location_city:",
            url_path="gebietskoerperschaft"),
    st.Page("pages/jahresvergleich.py", title="Jahresvergleich", icon=":material/compare_arrows:",
            url_path="jahresvergleich"),
    st.Page("pages/massnahmenarten.py", title="Maßnahmenarten", icon=":material/category:", url_path="massnahmenarten"),
    st.Page("pages/karte.py", title="Karte", icon=":material/map:", url_path="karte"),
    st.Page("pages/projekte.py", title="Projekte", icon=":material/search:", url_path="projekte"),
    st.Page("pages/daten_quellen.py", title="Daten & Quellen", icon=":material/fact_check:", url_path="daten_quellen"),
]
# Pages with their own controls (briefings, Umsetzungsstand, presentation, staff tools): no shared filters.
meetings = [
    st.Page("pages/briefing.py", title="Gesprächsunterlage", icon=":material/description:", url_path="briefing"),
    st.Page("pages/umsetzung.py", title="Umsetzungsstand", icon=":material/trending_up:", url_path="umsetzung"),
    st.Page("pages/presentation.py", title="Präsentation", icon=":material/slideshow:", url_path="presentation"),
]
# Linked from every page (sidebar; the presentation view has it in its footer): BITV 2.0 § 7.
about = [st.Page("pages/barrierefreiheit.py", title=navigation.A11Y_PAGE_TITLE, icon=":material/accessibility:",
                 url_path="barrierefreiheit")]
# What the AQB is, what is published, the published amounts and the glossary: first stop of a public visitor.
programme = st.Page("pages/programm.py", title="Über das AQB", icon=":material/info:", url_path="programm")
staff = [
    st.Page("pages/upload.py", title="Daten hochladen", icon=":material/upload_file:", url_path="upload"),
    st.Page("pages/audit.py", title="Protokoll", icon=":material/history:", url_path="audit"),
]
# A public installation is read-only: no staff tools, no internal briefings or Umsetzungsstand.
if Settings.from_env().public_mode:
    sections = {"Start": [programme], "Auswertung": analysis, "Präsentation": [meetings[-1]], "Hinweise": about}
else:
    sections = {"Auswertung": analysis, "Besprechung": meetings, "Verwaltung": staff, "Hinweise": [programme] + about}
chrome.german_chrome()
page = st.navigation(routes.with_german_routes(sections, default=analysis[0], alias="ueberblick",
                                               public_mode=Settings.from_env().public_mode),
                     position="hidden")  # Streamlit's own nav is invalid list markup; ours is plain links
navigation.document_setup()
later.begin(page.url_path)
if page.url_path in {p.url_path for p in analysis}:
    ui.app_frame(lambda: navigation.sidebar_navigation(sections))  # on a first view the sidebar may wait (later)
else:
    navigation.sidebar_navigation(sections)
    ui.sidebar_stand()  # the pages with their own controls say the Stand too
try:
    page.run()
except StopException:  # a page that stops early (no data for it) still gets what waits
    later.finish()
    raise
later.finish()  # what waits below the first chart is sent once the browser has drawn that chart
