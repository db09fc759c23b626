"""Accessibility parts without a browser: the chart tables as HTML, the statement page, the navigation."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from aqb.present.html_table import accessible_table
from dashboard_fixtures import DASHBOARD, built_store, store_env  # noqa: F401 - fixtures


def test_chart_table_has_caption_headers_and_escapes_document_text():
    shown = pd.DataFrame({"Gebietskörperschaft": ["Offenbach <b>am</b> Main", "Kassel"], "Budget": ["1.011.410 €", "–"]})
    html = accessible_table(shown, "Budget 2025 – <Auswahl>")
    assert "<caption>Budget 2025 – &lt;Auswahl&gt;</caption>" in html
    assert '<thead><tr><th scope="col">Gebietskörperschaft</th><th scope="col">Budget</th></tr></thead>' in html
    assert '<tr><th scope="row">Offenbach &lt;b&gt;am&lt;/b&gt; Main</th><td class="num">1.011.410 €</td></tr>' in html
    assert '<tr><th scope="row">Kassel</th><td>–</td></tr>' in html
    assert html.startswith('<div class="aqb-table-wrap" tabindex="0" role="region"')
    assert accessible_table(shown, "x", scroll_box=False).startswith('<table class="aqb-table"><caption>x</caption>')


def test_empty_table_keeps_its_headers():
    html = accessible_table(pd.DataFrame({"Jahr": [], "Budget": []}), "leer", scroll_box=False)
    assert html == ('<table class="aqb-table"><caption>leer</caption><thead><tr><th scope="col">Jahr</th>'
                    '<th scope="col">Budget</th></tr></thead><tbody></tbody></table>')


def _statement(monkeypatch, **env) -> AppTest:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.run()
    at.switch_page("pages/barrierefreiheit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_statement_names_status_gaps_contact_and_enforcement(store_env, monkeypatch):  # noqa: F811
    at = _statement(monkeypatch, AQB_A11Y_CONTACT="barrierefreiheit@example.org")
    assert [t.value for t in at.title] == ["Erklärung zur Barrierefreiheit"]
    assert [h.value for h in at.header] == [
        "Geltungsbereich", "Stand der Vereinbarkeit mit den Anforderungen", "Bekannte Einschränkungen",
        "Erstellung dieser Erklärung", "Kontakt: Barrieren melden", "Durchsetzungsverfahren"]
    text = " ".join(m.value for m in at.markdown)
    assert "teilweise barrierefrei" in text
    assert '<a href="mailto:barrierefreiheit@example.org">barrierefreiheit@example.org</a>' in text
    assert "§ 6 HVBIT" in text and "lbit.hessen.de" in text
    assert "In Leichter Sprache" not in [h.value for h in at.header]  # only the public site gets it


def test_statement_without_contact_says_so_and_public_mode_adds_leichte_sprache(store_env, monkeypatch):  # noqa: F811
    at = _statement(monkeypatch, AQB_PUBLIC="1")
    assert at.header[0].value == "In Leichter Sprache"
    assert "Wie viel Geld bekommt jeder Kreis" in at.markdown[0].value
    assert any("AQB_A11Y_CONTACT" in w.value for w in at.warning)


def test_sidebar_links_every_page_including_the_statement(store_env):  # noqa: F811
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.run()
    labels = [link.proto.label for link in at.get("page_link")]
    assert labels[:7] == ["Überblick", "Gebietskörperschaft", "Jahresvergleich", "Maßnahmenarten", "Karte",
                          "Projekte", "Daten & Quellen"]
    assert "Erklärung zur Barrierefreiheit" in labels and "Präsentation" in labels
