"""A real browser against `streamlit run serve.py` (dashboard.py behind Streamlit's server): every page, a filter change, the same view from the URL."""

from __future__ import annotations

import os
import time
import urllib.request
from pathlib import Path

import pytest

from aqb.app.html_document import hint_script
from aqb.app.later import PLACEHOLDER_SELECTOR
from aqb.settings import PROJECT_ROOT
import browser_support
from browser_support import CHROMIUM, IDLE, SCREENSHOTS, assert_no_traceback, browser, start_streamlit, stop  # noqa: F401
from dashboard_fixtures import PAGES, built_store  # noqa: F401 - session fixture

URL_PATHS = {page: "" if page.endswith("ueberblick.py") else Path(page).stem for page in PAGES}  # default page is /

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):  # noqa: F811
    env = {**os.environ, "AQB_DATA_DIR": str(built_store.data_dir), "AQB_STORE": str(built_store.store_path)}
    for name in ("AQB_DEMO", "AQB_PUBLIC"):
        env.pop(name, None)
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    process, base = start_streamlit(PROJECT_ROOT / "serve.py", env, log)
    try:
        yield base
    finally:
        stop(process)
    assert_no_traceback(log)


def settle(page) -> None:
    """Wait until the page is complete (browser_support.settle), within 30 s."""
    browser_support.settle(page, 30_000, attached=False)


def metric_values(page) -> list[str]:
    # The quiet demo mark " *" belongs to the provenance rule (tests/test_honest_views.py), not to the value.
    return [t.strip().removesuffix(" *") for t in page.locator('[data-testid="aqb-kpi-value"]').all_inner_texts()]


def shows_metrics(page, expected: list[str], timeout: float = 30) -> list[str]:
    """The first metric values once they equal ``expected`` (a rerun may still be replacing them)."""
    deadline = time.monotonic() + timeout
    while True:
        settle(page)
        shown = metric_values(page)[: len(expected)]
        if shown == expected or time.monotonic() > deadline:
            return shown
        page.wait_for_timeout(200)


def test_pages_filter_and_shareable_url(server, browser, built_store):  # noqa: F811
    from aqb.fmt import euro_from_cents

    year = built_store.value("select max(agreement_year) from agreements")
    total = euro_from_cents(built_store.value(f"select sum(budget_cents) from agreements where agreement_year = {year}"))
    real_cents = built_store.value(f"select sum(budget_cents) from agreements where agreement_year = {year} and not is_demo")
    real = euro_from_cents(real_cents)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 2200}, locale="de-DE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # The very first request to a fresh server is a deep link with a filter: it must land on the same view,
    # inside the app's navigation (not Streamlit's folder-based fallback, which would skip dashboard.py).
    page.goto(f"{server}/karte?jahr=2023")
    # A fresh server runs Streamlit's folder-based mode once and reruns through dashboard.py
    # (ui.leave_legacy_navigation); between the two runs the page is idle without a chart, so settle
    # waits for this page's own heading first.
    page.get_by_role("heading", name="Karte 2023: Budget").wait_for(timeout=60_000)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Karte"
    assert page.get_by_role("heading", name="Karte 2023: Budget").count() == 1
    # The app's own navigation arrives with the rerun through dashboard.py, which can follow the first idle
    # moment by up to a second (measured 0,9 s on a fresh server): wait for it instead of counting at once.
    home_link = page.get_by_test_id("stSidebar").get_by_role("link", name="Überblick", exact=True)
    home_link.wait_for(timeout=30_000)
    assert home_link.count() == 1

    for script, title in PAGES.items():
        page.goto(f"{server}/{URL_PATHS[script]}")
        settle(page)
        assert page.locator("h1").first.inner_text().strip() == title
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SCREENSHOTS / f"{Path(script).stem}.png"))

    page.goto(f"{server}/")
    assert shows_metrics(page, [total, "26 von 26"]) == [total, "26 von 26"]
    page.get_by_test_id("stCheckbox").get_by_text("nur amtliche Quellen").click()
    page.wait_for_url("**amtlich=true**", timeout=15_000)
    assert shows_metrics(page, [real, "1 von 26"]) == [real, "1 von 26"]
    shared = page.url

    again = context.new_page()
    again.goto(shared)
    assert shows_metrics(again, [real, "1 von 26"]) == [real, "1 von 26"]
    assert again.get_by_test_id("stCheckbox").filter(has_text="nur amtliche Quellen").locator("input").is_checked()
    again.screenshot(path=str(SCREENSHOTS / "ueberblick_amtlich.png"))

    again.goto(f"{server}/gebietskoerperschaft?partner=Offenbach+am+Main&jahr=2025")
    assert shows_metrics(again, ["1.011.410 €"]) == ["1.011.410 €"]
    assert again.get_by_text("1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025").count() == 1
    with again.expect_download() as original:
        again.get_by_role("button", name="Originaldokument herunterladen").click()
    document = Path(original.value.path()).read_bytes()
    assert original.value.suggested_filename == "zielvereinbarung_2025_offenbach_am_main.txt"
    assert document == (PROJECT_ROOT / "data" / "agreements" / original.value.suggested_filename).read_bytes()

    page.get_by_text("Daten als Tabelle: Summe über die Jahre").click()
    with page.expect_download() as table:
        page.get_by_role("button", name="CSV herunterladen").first.click()
    csv_text = Path(table.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert csv_text[0].startswith("Jahr;Budget (€);Budget (Cent, exakt);")  # the screen's German labels
    # The page is still in "nur amtliche Quellen": the exact cents are the real agreement's.
    assert csv_text[-1].startswith(f"{year};") and f";{real_cents};" in csv_text[-1]
    if os.environ.get("AQB_UPDATE_SCREENSHOT"):
        page.goto(f"{server}/")
        settle(page)
        page.set_viewport_size({"width": 1440, "height": 1400})
        page.screenshot(path=str(PROJECT_ROOT / "docs" / "screenshot_ueberblick.png"))
    context.close()
    assert errors == []


# Injected before the app's scripts: what the page held when its first chart was drawn, and every run it started.
# Where the first chart and Gebietskörperschaft's facts line stand (page pixels, rounded): a waiting widget's
# placeholder must not move them when the widget comes.
LAYOUT_JS = """() => {
  const box = (e) => e ? [Math.round(e.getBoundingClientRect().left), Math.round(e.getBoundingClientRect().top)] : null;
  return {chart: box(document.querySelector('[data-testid="stPlotlyChart"]')),
          facts: box(document.querySelector('[data-testid="aqb-partner-facts"]'))};
}"""
FIRST_VIEW_PROBE = """(() => {
  const t = window.__aqbFirstView = {runs: 0, atFirstChart: null, placeholdersSince: 0};
  let state = null;
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const now = app && app.getAttribute('data-test-script-state');
    if (now === 'running' && state !== 'running') { t.runs += 1; }
    state = now;
    const waiting = document.querySelectorAll('PLACEHOLDER').length;
    if (waiting) { t.placeholdersSince += 1; }
    const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('.main-svg .trace'));
    if (t.atFirstChart === null && drawn.length) {
      t.atFirstChart = {drawn: drawn.length, waiting: waiting,
                        sidebar: !!document.querySelector('[data-testid="stSidebar"] [class*="st-key-nachladen_"]'),
                        widgets: document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"]').length,
                        partner: !!document.querySelector('[class*="st-key-nachladen_partner"]'),
                        layout: LAYOUT()};
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-test-script-state']});
})()""".replace("'PLACEHOLDER'", repr(PLACEHOLDER_SELECTOR)).replace("LAYOUT()", f"({LAYOUT_JS})()")


def test_first_view_draws_the_first_chart_before_the_rest(server, browser, built_store):  # noqa: F811
    """A page's first view sends what lies below its first chart once that chart is drawn; a filter change
    afterwards redraws everything in one run, without placeholders (aqb.app.later)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    context.add_init_script(FIRST_VIEW_PROBE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/jahresvergleich")
    page.get_by_role("heading", name="Steigungsdiagramm", exact=False).wait_for(timeout=60_000)
    settle(page)
    probe = page.evaluate("() => window.__aqbFirstView")
    # When the first chart was drawn, it was the only one; its table expander, the heatmap and the slope chart
    # waited behind one placeholder, and so did the sidebar (a new session, no filter in the URL: the page shows
    # the defaults, and the whole page runs again once the chart is drawn).
    assert {k: probe["atFirstChart"][k] for k in ("drawn", "waiting", "sidebar", "widgets")} == {
        "drawn": 1, "waiting": 2, "sidebar": True, "widgets": 0}, probe
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_role("link", name="Überblick", exact=True).count() == 1
    # Once the widgets are there they hold the defaults the page was drawn with: the Zeitraum of the heading.
    first, last = built_store.value("select min(agreement_year) from agreements"), built_store.value(
        "select max(agreement_year) from agreements")
    assert sidebar.get_by_test_id("stSelectbox").first.locator("input").input_value() == str(last)
    assert page.get_by_role("heading", name=f"Größte Veränderungen {first} → {last}", exact=False).count() == 1
    assert page.locator(PLACEHOLDER_SELECTOR).count() == 0
    assert page.get_by_text("Wird geladen").count() == 0
    runs = probe["runs"]
    time.sleep(2)  # the trigger fires once: no further runs follow on their own
    assert page.evaluate("() => window.__aqbFirstView.runs") == runs

    page.evaluate("() => { window.__aqbFirstView.placeholdersSince = 0; }")
    page.get_by_test_id("stSidebar").get_by_text("je Einwohner", exact=True).click()
    page.wait_for_url("**darstellung=**", timeout=15_000)
    settle(page)
    assert page.get_by_role("heading", name="Größte Veränderungen", exact=False).inner_text().endswith("(€ je Einwohner)")
    assert page.evaluate("() => window.__aqbFirstView.placeholdersSince") == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 3
    # A shared link with a filter: the sidebar's widgets decide at once (only the blocks below the chart wait).
    page.goto(f"{server}/jahresvergleich?darstellung=je+Einwohner")
    page.get_by_role("heading", name="Steigungsdiagramm", exact=False).wait_for(timeout=60_000)
    settle(page)
    probe = page.evaluate("() => window.__aqbFirstView")
    assert probe["atFirstChart"]["sidebar"] is False and probe["atFirstChart"]["widgets"] >= 1, probe
    assert page.get_by_role("heading", name="Größte Veränderungen", exact=False).inner_text().endswith("(€ je Einwohner)")
    context.close()
    assert errors == []


def test_the_waiting_partner_choice_keeps_its_place(server, browser):  # noqa: F811
    """Gebietskörperschaft's first view: the select box waits (placeholder and facts line in one element); when it
    comes, neither the facts beside it nor the first chart move, and the box stands left of the facts."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    context.add_init_script(FIRST_VIEW_PROBE)
    page = context.new_page()
    page.goto(f"{server}/gebietskoerperschaft")
    page.get_by_role("heading", name="Fassungen und Änderungen").wait_for(timeout=60_000)
    settle(page)
    at_first = page.evaluate("() => window.__aqbFirstView.atFirstChart")
    assert at_first["partner"] is True and at_first["drawn"] == 1, at_first
    now = page.evaluate(LAYOUT_JS)
    for part in ("chart", "facts"):
        assert now[part] is not None and all(abs(a - b) <= 2 for a, b in zip(at_first["layout"][part], now[part])), (
            part, at_first["layout"], now)
    choice = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.bounding_box()
    assert choice["x"] + choice["width"] <= now["facts"][0]
    context.close()


def test_a_key_figure_explains_itself_on_keyboard_focus(server, browser):  # noqa: F811
    """The explanation of a key figure: a German button that a keyboard reaches and that shows it as a tooltip."""
    page = browser.new_page(locale="de-DE", viewport={"width": 1440, "height": 900})
    try:
        page.goto(f"{server}/daten_quellen")
        settle(page)
        button = page.get_by_role("button", name="Erläuterung zu Vereinbarungen amtlich", exact=False)
        assert button.get_attribute("data-tip") == "aus echten Zielvereinbarungen"
        shown = "() => getComputedStyle(document.activeElement, '::after').content"
        page.get_by_role("heading", level=1).click()  # the focus starts in the page, not in the browser chrome
        for _ in range(60):  # Tab through the page until the button has the focus, as a keyboard user would
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''").startswith(
                    "Erläuterung zu Vereinbarungen amtlich"):
                break
        assert page.evaluate(shown) == '"aus echten Zielvereinbarungen"'
        tip = page.evaluate("""() => { const b = document.activeElement.getBoundingClientRect();
            return [b.width > 0, getComputedStyle(document.activeElement, '::after').position]; }""")
        assert tip == [True, "absolute"]
    finally:
        page.close()


def _serve(html: bytes):
    """A route handler that answers with ``html`` (Playwright passes the request too when a handler takes two)."""
    def fulfill(route):
        route.fulfill(status=200, content_type="text/html", body=html)
    return fulfill


def test_the_script_names_the_base_behind_any_prefix(browser):  # noqa: F811
    """In Chromium: the page's own segment goes, whatever prefix a proxy put before it."""
    page = browser.new_page()
    try:
        for url, strip, expected in [
            ("http://aqb.test/karte", True, "http://aqb.test/"),
            ("http://aqb.test/pre/fix/karte", True, "http://aqb.test/pre/fix/"),
            ("http://aqb.test/pre/fix/", False, "http://aqb.test/pre/fix/"),
            ("http://aqb.test/", False, "http://aqb.test/"),
        ]:
            html = b"<!doctype html><html><head>" + hint_script(strip) + b"</head><body></body></html>"
            page.route(url, _serve(html))
            page.goto(url)
            assert page.evaluate("() => window.__streamlit.BACKEND_BASE_URL") == expected
            page.unroute(url)
    finally:
        page.close()


def test_the_served_dashboard_connects_without_probing_the_page_path(server, browser):  # noqa: F811
    """serve.py: a page's first view asks only the server's own health check, and the page works."""
    with urllib.request.urlopen(f"{server}/massnahmenarten", timeout=30) as response:
        assert hint_script(True) in response.read()
    with urllib.request.urlopen(f"{server}/_stcore/health", timeout=30) as response:
        assert response.read() == b"ok"
    page = browser.new_page(locale="de-DE")
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    try:
        page.goto(f"{server}/massnahmenarten")
        page.get_by_role("heading", name="Maßnahmenarten", level=1).wait_for(timeout=120_000)
        health = [u for u in asked if "_stcore/health" in u or "_stcore/host-config" in u]
        assert health and all(u.startswith(f"{server}/_stcore/") for u in health), health
        assert page.evaluate("() => location.pathname") == "/massnahmenarten"
    finally:
        page.close()
