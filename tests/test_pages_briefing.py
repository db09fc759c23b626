"""The Gesprächsunterlage, Umsetzungsstand and presentation pages (AppTest), and presentation mode in a browser."""

from __future__ import annotations

import os
import re

import pytest

from streamlit.testing.v1 import AppTest

from aqb.app import auth
from aqb.settings import PROJECT_ROOT
from briefing_fixtures import OFFENBACH, built, built_data, offenbach_rows, sheet, store_copy  # noqa: F401
from browser_support import assert_no_traceback, browser, start_streamlit, stop  # noqa: F401 - browser: module fixture

DEMO = "Demodaten — nicht amtlich"
PAGES = PROJECT_ROOT / "pages"


def page(name: str, **query) -> AppTest:
    at = AppTest.from_file(str(PAGES / name), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def via_app(name: str, **query) -> AppTest:
    """A page opened inside the app's navigation (needed by pages that link to other pages)."""
    at = AppTest.from_file(str(PAGES.parent / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{name}")
    return at.run()


def html(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def test_briefing_page(built):
    at = page("briefing.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Gesprächsunterlage"]
    assert at.header[0].value == "Gesprächsunterlage Offenbach am Main 2025"
    assert at.metric[0].value == "1.011.410 €"
    assert any(DEMO in c.value for c in at.caption) and not at.warning  # one quiet line, no banner
    assert [s.value for s in at.subheader] == [
        "Kennzahlen", "Budget im Zeitverlauf", "Projekte 2025: neu, fortgeführt, beendet",
        "Vergleich: kreisfreie Städte im Regierungsbezirk Darmstadt", "Umsetzungsstand (Plan und Ist)",
        "Offene Datenqualitätspunkte", "Quellen"]
    assert len(at.get("download_button")) >= 2

    at.toggle(key="briefing_amtlich").set_value(True).run()
    assert not at.exception and not any(DEMO in c.value for c in at.caption)
    assert "Kein Umsetzungsstand 2025 für Offenbach am Main eingelesen." in [i.value for i in at.info]

    at.selectbox(key="briefing_partner").set_value("06440").run()
    assert at.header[0].value == "Gesprächsunterlage Wetteraukreis 2025"
    assert at.info[0].value == "Für Wetteraukreis liegt für 2025 keine amtliche Vereinbarung im Bestand vor."


def test_upload_on_the_briefing_page(store_copy, monkeypatch):
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{auth.hash_password('x' * 16, iterations=auth.MIN_ITERATIONS)}")
    at = AppTest.from_file(str(PAGES / "briefing.py"), default_timeout=60)
    at.session_state["aqb_staff_user"] = "anna"
    at.run()
    bad = offenbach_rows()
    bad[2][6] = 999_999  # spent > approved in Excel row 4
    at.file_uploader(key="briefing_upload_file").set_value(("herbst.xlsx", sheet(bad), "application/octet-stream"))
    at.run()
    at.button(key="briefing_upload_go").click().run()
    assert not at.exception
    errors = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # the page escapes Markdown
    assert errors == ["**herbst.xlsx: nichts übernommen.** Bitte korrigieren und erneut einlesen:\n\n"
                      "- Zeile 4: Ausgezahlt (999.999 €) größer als bewilligt (130.000 €)"]

    at.file_uploader(key="briefing_upload_file").set_value(("herbst.xlsx", sheet(offenbach_rows()), "application/octet-stream"))
    at.run()
    at.button(key="briefing_upload_go").click().run()
    assert not at.exception and not at.error
    assert "Übernommen – herbst.xlsx: 9 Zeilen übernommen" in re.sub(r"\\(.)", r"\1", at.success[0].value)
    at.toggle(key="briefing_amtlich").set_value(True).run()
    labels = {m.label: m.value for m in at.metric}
    assert labels["Mittelabfluss"] == "57\u202f%" and labels["Gemeldete Projekte"] == "9 von 9"


def test_upload_needs_a_login(built, monkeypatch):
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{auth.hash_password('x' * 16, iterations=auth.MIN_ITERATIONS)}")
    at = page("briefing.py")
    assert not at.get("file_uploader")
    assert any("nur für angemeldete" in c.value for c in at.caption)


def test_umsetzung_page(built):
    at = page("umsetzung.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Umsetzungsstand"]
    assert {m.label for m in at.metric} == {"Bewilligt", "Ausgezahlt/abgerufen", "Mittelabfluss", "Teilnehmende / Plätze"}
    assert any(DEMO in c.value for c in at.caption) and not at.warning  # one quiet line, no banner
    at.toggle(key="umsetzung_amtlich").set_value(True).run()
    assert [i.value for i in at.info] == ["Kein Umsetzungsstand 2025 eingelesen (amtlich)."]


def test_presentation_page_from_the_url(built):
    at = via_app("presentation.py", charts="gesamt,rangfolge,entwicklung", year="2025", partner="06413")
    assert not at.exception
    bodies = html(at)
    titles = [b for b in bodies if 'class="aqb-slide-title"' in b]
    assert titles == ['<h2 class="aqb-slide-title">AQB-Budget Hessen 2019–2025</h2>',
                      '<h2 class="aqb-slide-title">Budget je Gebietskörperschaft 2025</h2>',
                      '<h2 class="aqb-slide-title">Budget Offenbach am Main 2019–2025</h2>']
    sources = [b for b in bodies if 'class="aqb-source"' in b]
    assert len(sources) == 3 and all("Quelle: " in s and "Stand: " in s for s in sources)
    assert sum('class="aqb-demo"' in b for b in bodies) == 3  # demo rows only with the mark on the slide
    assert len(at.get("plotly_chart")) == 3
    # The slides show no filters: the sidebar holds only the app's navigation (hidden on this page).
    assert not at.sidebar.selectbox and not at.sidebar.multiselect and not at.sidebar.toggle
    assert not at.get("selectbox") and not at.get("toggle") and not at.get("button")

    official = via_app("presentation.py", charts="rangfolge", official="1", slide="1")
    bodies = html(official)
    assert not any("Demodaten" in b for b in bodies)
    # One real agreement: the one-bar ranking is left out and a coverage slide stands in its place.
    assert any("Datenlage 2025" in b for b in bodies)

    wrong = page("presentation.py", charts="karte")
    assert any("Präsentation nicht möglich: Unbekannte Ansicht(en) karte" in b for b in html(wrong))


def test_presentation_picker_gives_link_and_deck(built):
    at = page("presentation.py")
    assert not at.exception
    assert [t.value for t in at.title] == ["Präsentation und Foliensatz"]
    at.multiselect(key="ansichten").set_value(["gesamt", "entwicklung"]).run()
    at.selectbox(key="partner").set_value(OFFENBACH).run()
    at.toggle(key="amtlich").set_value(True).run()
    assert at.code[0].value == "?charts=gesamt,entwicklung&year=2025&official=1&partner=06413"
    assert at.get("download_button")


def test_internal_pages_need_staff_in_public_mode(built, monkeypatch):
    monkeypatch.setenv("AQB_PUBLIC", "1")
    at = page("briefing.py")
    assert not at.get("selectbox") and not at.header


# -- a real browser -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.browser
def test_presentation_mode_in_a_browser(built_data, tmp_path, browser):
    env = {**os.environ, "AQB_DATA_DIR": str(built_data), "AQB_STORE": str(built_data / "aqb.duckdb")}
    for name in ("AQB_DEMO", "AQB_PUBLIC", "AQB_STAFF_USERS"):
        env.pop(name, None)
    log = tmp_path / "server.log"
    # The page on its own, as a projector would open it: outside the app's navigation.
    server, base = start_streamlit(PAGES / "presentation.py", env, log)
    try:
        view = browser.new_page(viewport={"width": 1600, "height": 900})
        view.goto(f"{base}/?charts=gesamt,rangfolge&year=2025")
        view.get_by_role("heading", name="Budget je Gebietskörperschaft 2025", exact=True).wait_for(timeout=60_000)
        view.locator(".js-plotly-plot").nth(1).wait_for(timeout=60_000)
        assert view.locator(".aqb-demo").count() == 2
        assert view.locator(".aqb-source").first.inner_text().startswith("Quelle: Zielvereinbarungen AQB")
        assert not view.locator('[data-testid="stSidebar"]').is_visible()
        assert not view.locator('header[data-testid="stHeader"]').is_visible()
        font = view.locator(".aqb-slide-title").first.evaluate("e => getComputedStyle(e).fontSize")
        assert float(font.removesuffix("px")) >= 40
        (PROJECT_ROOT / "artifacts" / "screenshots").mkdir(parents=True, exist_ok=True)
        view.screenshot(path=str(PROJECT_ROOT / "artifacts" / "screenshots" / "praesentation.png"))

        view.goto(f"{base}/?charts=rangfolge&year=2025&official=1")
        view.get_by_text("Datenlage 2025", exact=False).first.wait_for(timeout=60_000)
        assert view.locator(".aqb-demo").count() == 0
    finally:
        stop(server)
    assert_no_traceback(log)
