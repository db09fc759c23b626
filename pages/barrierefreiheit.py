"""Erklärung zur Barrierefreiheit (HessBGG § 14, HVBIT § 4): Stand der Vereinbarkeit, Lücken, Kontakt, Durchsetzung."""

from html import escape

import streamlit as st

from aqb.app import navigation
from aqb.app.ui import leave_legacy_navigation
from aqb.settings import Settings

leave_legacy_navigation()  # a first deep link must run through dashboard.py
settings = Settings.from_env()
st.title(navigation.A11Y_PAGE_TITLE)

if settings.public_mode:
    st.header("In Leichter Sprache")
    st.markdown(
        "Auf dieser Internet-Seite steht: **Wie viel Geld bekommt jeder Kreis und jede große Stadt in Hessen?**\n\n"
        "Das Geld ist für Ausbildung und Arbeit. Zum Beispiel für junge Menschen, die eine Ausbildung suchen.\n\n"
        "Das Land Hessen schreibt mit jedem Kreis einen Vertrag. Der Vertrag heißt: Ziel-Vereinbarung.\n\n"
        "In der Ziel-Vereinbarung steht: So viel Geld gibt es. Und das wird damit gemacht.\n\n"
        "Hier sehen Sie die Zahlen aus den Verträgen. Sie sehen die Zahlen als Bild und als Tabelle.\n\n"
        "Links auf der Seite können Sie wählen: Welches Jahr? Welcher Teil von Hessen?\n\n"
        "Haben Sie eine Frage? Oder können Sie etwas nicht gut lesen? Dann schreiben Sie uns. "
        "Wie das geht, steht unten bei **Kontakt**."
    )

st.header("Geltungsbereich")
st.markdown(
    "Diese Erklärung gilt für das AQB-Dashboard (Ausbildungs- und Qualifizierungsbudget Hessen) – die öffentliche "
    "Ausgabe und die internen Seiten für Mitarbeiterinnen und Mitarbeiter. Rechtsgrundlage sind § 14 des Hessischen "
    "Behindertengleichstellungsgesetzes (HessBGG) und die Hessische Verordnung über barrierefreie "
    "Informationstechnik (HVBIT); sie verweisen auf die europäische Norm EN 301 549 und damit auf die WCAG 2.1, "
    "Stufe AA."
)

st.header("Stand der Vereinbarkeit mit den Anforderungen")
st.markdown(
    "Das Dashboard ist **teilweise barrierefrei**. Jede Seite wird bei jedem Testlauf in der Standard-, der "
    "„nur amtliche Quellen“- und der öffentlichen Ansicht sowie im Präsentationsmodus automatisch mit axe-core "
    "geprüft; dabei darf kein schwerer oder kritischer Verstoß aus dem Dashboard selbst auftreten. Alle Farben "
    "erreichen ein Kontrastverhältnis von mindestens 4,5 : 1; Demodaten sind nicht nur farblich, sondern durch "
    "ein „*“ gekennzeichnet und heller dargestellt. Zu jedem Diagramm gibt es einen Satz mit der Aussage und die vollständige "
    "Tabelle als HTML-Tabelle („Daten als Tabelle“); Kennzahlen stehen als Text da."
)

st.header("Bekannte Einschränkungen")
st.markdown(
    "- Die Diagramme (Plotly) sind selbst nicht mit der Tastatur bedienbar; ihre Werte stehen vollständig in der "
    "Tabelle darunter.\n"
    "- Die interaktive Tabellenansicht (Streamlit-Datentabelle) gibt Bildschirmleseprogrammen nur die sichtbaren "
    "Zeilen weiter und ihr Spaltenmenü ist nicht mit der Tastatur erreichbar; die Tabelle unter „Daten als "
    "Tabelle“ und die Downloads (CSV, Excel) enthalten alle Zeilen.\n"
    "- Die Sprache des Dokuments wird nach dem Laden per Skript auf Deutsch gesetzt; ohne JavaScript ist die "
    "Anwendung insgesamt nicht nutzbar.\n"
    "- Die heruntergeladenen Gesprächsunterlagen (PDF) und Foliensätze (PPTX) sind noch nicht vollständig "
    "barrierefrei (keine getaggte PDF-Struktur).\n"
    "- Bedienelemente, die nur Streamlit selbst ändern kann, sind im README des Projekts mit dem zugehörigen "
    "Streamlit-Fehlerbericht aufgeführt."
)

st.header("Erstellung dieser Erklärung")
st.markdown(
    "Die Erklärung beruht auf einer Selbstbewertung: automatische Prüfung mit axe-core bei jedem Testlauf, "
    "Tastaturtest im Browser und berechnete Kontrastverhältnisse der Farben. Stand: 1.12.2026."
)

st.header("Kontakt: Barrieren melden")
if settings.a11y_contact:
    contact = settings.a11y_contact
    href = contact if contact.startswith(("http://", "https://")) else f"mailto:{contact}"
    st.markdown(
        "Sind Ihnen Barrieren aufgefallen, oder brauchen Sie Inhalte in einer zugänglichen Form? Schreiben Sie "
        f'uns: <a href="{escape(href, quote=True)}">{escape(contact)}</a>. Wir antworten innerhalb von sechs Wochen.',
        unsafe_allow_html=True,
    )
else:
    st.warning("Für diese Installation ist noch keine Kontaktadresse eingetragen (Einstellung AQB_A11Y_CONTACT). "
               "Bis dahin nimmt die Durchsetzungsstelle (unten) Meldungen entgegen.")

st.header("Durchsetzungsverfahren")
st.markdown(
    "Wenn Sie auf Ihre Meldung innerhalb von sechs Wochen keine oder keine zufriedenstellende Antwort erhalten, "
    "können Sie nach § 6 HVBIT die Durchsetzungs- und Überwachungsstelle des Landes Hessen für barrierefreie "
    "Informationstechnik (LBIT) einschalten. Sie holt eine Stellungnahme der verantwortlichen Stelle ein und "
    "wirkt auf die Beseitigung der Barriere hin; das Verfahren ist kostenfrei. Antrag und Informationen: "
    '<a href="https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/Durchsetzungsverfahren-beantragen">'
    "lbit.hessen.de – Durchsetzungsverfahren beantragen</a>.",
    unsafe_allow_html=True,
)
