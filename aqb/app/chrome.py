"""German chrome around the content: Plotly's toolbar in German and Streamlit's English-only toolbars hidden.

Plotly takes a locale dictionary with the figure's config (``locales``), so its toolbar and
messages speak German without loading an extra script. Streamlit's element toolbar (dataframe
search/download/fullscreen, chart fullscreen) has no language setting: it is hidden, and every
table keeps its German "CSV herunterladen"/"Excel herunterladen" buttons (see README).
"""

from __future__ import annotations

import streamlit as st

from aqb.app import html_document
from aqb.present.escape import html_text

# Wording of plotly.js's own German locale (dist/plotly-locale-de.js) for what a user can see.
PLOTLY_DE_DICTIONARY = {
    "Autoscale": "Automatische Skalierung",
    "Box Select": "Rechteckauswahl",
    "Click to enter Colorscale title": "Klicken, um den Farbskalentitel einzugeben",
    "Click to enter Component A title": "Klicken, um den Titel der Komponente A einzugeben",
    "Click to enter Plot title": "Klicken, um den Titel des Graphen einzugeben",
    "Click to enter X axis title": "Klicken, um den Titel der X-Achse einzugeben",
    "Click to enter Y axis title": "Klicken, um den Titel der Y-Achse einzugeben",
    "Compare data on hover": "Über die Daten fahren, um sie zu vergleichen",
    "Double-click on legend to isolate one trace": "Daten isolieren durch Doppelklick in der Legende",
    "Double-click to zoom back out": "Herauszoomen durch Doppelklick",
    "Download plot as a png": "Graphen als PNG herunterladen",
    "Download plot as a PNG": "Graphen als PNG herunterladen",
    "Fullscreen": "Vollbild",
    "Download plot": "Graphen herunterladen",
    "Lasso Select": "Lassoauswahl",
    "Orbital rotation": "Orbitalrotation",
    "Pan": "Verschieben",
    "Produced with Plotly.js": "Erstellt mit Plotly.js",
    "Reset": "Zurücksetzen",
    "Reset axes": "Achsen zurücksetzen",
    "Reset camera to default": "Kamera auf Standard zurücksetzen",
    "Reset camera to last save": "Kamera auf letzte Speicherung zurücksetzen",
    "Reset view": "Ansicht zurücksetzen",
    "Reset views": "Ansichten zurücksetzen",
    "Show closest data on hover": "Zeige näheste Daten beim Überfahren",
    "Snapshot succeeded": "Snapshot erfolgreich",
    "Sorry, there was a problem downloading your snapshot!":
        "Es gab ein Problem beim Herunterladen des Snapshots",
    "Taking snapshot - this may take a few seconds": "Erstelle einen Snapshot – dies kann einige Sekunden dauern",
    "Toggle Spike Lines": "Bezugslinien an-/abschalten",
    "Toggle show closest data on hover": "Anzeige der nähesten Daten an-/abschalten",
    "Turntable rotation": "Drehscheibenrotation",
    "Zoom": "Zoom",
    "Zoom in": "Hineinzoomen",
    "Zoom out": "Herauszoomen",
    "close:": "Schluss:",
    "high:": "Höchst:",
    "low:": "Tiefst:",
    "open:": "Eröffnung:",
    "trace": "Datenspur",
    "new text": "Neuer Text",
}
PLOTLY_DE_FORMAT = {
    "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
    "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
    "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember"],
    "shortMonths": ["Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez."],
    "date": "%d.%m.%Y",
    "decimal": ",",
    "thousands": ".",
}
PLOTLY_GERMAN = {"locale": "de", "locales": {"de": {"dictionary": PLOTLY_DE_DICTIONARY, "format": PLOTLY_DE_FORMAT}}}


def german_chrome() -> None:
    """Once per rerun from the entry script: the app's styles (toolbars that only speak English hidden, focus,
    contrast; aqb/app/styles.css), unless the served HTML document carries them in its head (serve.py)."""
    if not html_document.served():
        st.html(f"<style>{html_document.APP_CSS}</style>")


def headline(text: str) -> None:
    """The page's main finding in one sentence, right under the title (message first)."""
    st.html(f'<p class="aqb-headline" data-testid="aqb-headline">{html_text(text)}</p>')
