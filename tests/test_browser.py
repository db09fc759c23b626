"""A real browser against `streamlit run dashboard.py`: every page, a filter change, the same view from the URL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from aqb.settings import PROJECT_ROOT
from dashboard_fixtures import PAGES, built_store  # noqa: F401 - session fixture

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
URL_PATHS = {page: "" if page.endswith("ueberblick.py") else Path(page).stem for page in PAGES}  # default page is /
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where a silently skipped browser test hides a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser-Test nicht ausführbar: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit beendet mit Code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit antwortet nicht")


@pytest.fixture(scope="module")
def server(built_store, tmp_path_factory):  # noqa: F811
    port = free_port()
    env = {**os.environ, "AQB_DATA_DIR": str(built_store.data_dir), "AQB_STORE": str(built_store.store_path)}
    for name in ("AQB_DEMO", "AQB_PUBLIC"):
        env.pop(name, None)
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(base, process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace"), log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} fehlt (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright ist nicht installiert")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def settle(page) -> None:
    """Wait until the script run is over and every chart on the page is drawn."""
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelector('.main-svg'))", timeout=30_000)
    assert page.get_by_test_id("stDialog").count() == 0, page.get_by_test_id("stDialog").inner_text()


def metric_values(page) -> list[str]:
    # The quiet demo mark " *" belongs to the provenance rule (tests/test_honest_views.py), not to the value.
    return [t.strip().removesuffix(" *") for t in page.locator('[data-testid="stMetricValue"]').all_inner_texts()]


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
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Karte"
    assert page.get_by_role("heading", name="Karte 2023: Budget").count() == 1
    # Open defect (session note, issue 11): on this first deep link to a fresh server the app's own sidebar
    # navigation (st.page_link) is not found; the page itself is right. Checked again once that is fixed.

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
