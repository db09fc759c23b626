"""Accessibility in a real browser: axe-core on every page in default, official and public mode, keyboard, lang.

WCAG 2.1 AA / BITV 2.0: no axe violation of impact "serious" or "critical" may come from the project.
What only Streamlit can fix is pinned in STREAMLIT_GAPS (rule id + selector pattern, listed in the
README with the Streamlit issue); a violation outside that list fails the test, so the list cannot grow.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from aqb.settings import PROJECT_ROOT, Settings
from dashboard_fixtures import built_store  # noqa: F401 - session fixture
import browser_support
from browser_support import IDLE, SCREENSHOTS, browser, start_streamlit, stop, unavailable  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BLOCKING = ("serious", "critical")
# Every page of the navigation (URL path), plus the presentation view itself.
ANALYSIS = ["", "gebietskoerperschaft", "jahresvergleich", "massnahmenarten", "karte", "projekte", "daten_quellen"]
STAFF_ONLY = ["briefing", "umsetzung", "upload", "audit"]
PRESENTATION_VIEW = "presentation?charts=gesamt,rangfolge,mix,heatmap&year=2025"
COMMON = ["programm", "presentation", PRESENTATION_VIEW, "barrierefreiheit"]
NAV_LINKS = """els => els.map(e => new URL(e.href).pathname.replace(/^\\//, ''))"""
# Violations only Streamlit itself can fix: (axe rule, pattern of the node's CSS selector). Keep in step with
# the README section "Barrierefreiheit"; the test fails for anything else, so this list cannot grow unnoticed.
STREAMLIT_GAPS: list[tuple[str, str]] = []


def settle(page, timeout: float = 120_000) -> None:
    """Complete page (generous: the audit loads some 50 pages on a shared machine)."""
    browser_support.settle(page, timeout, attached=False)


def load(page, url: str) -> None:
    """Open ``url`` and wait until it is drawn; one more try if the first load stalls."""
    for attempt in (1, 2):
        try:
            page.goto(url, wait_until="commit", timeout=120_000)
            settle(page)
            return
        except Exception:  # noqa: BLE001 - a stalled load on a busy machine gets one retry
            if attempt == 2:
                raise


def _official(path: str) -> str:
    if path.startswith("presentation?"):
        return path + "&official=1"
    return path + ("&" if "?" in path else "?") + "amtlich=true"


def audited_urls() -> list[tuple[str, str]]:
    """(mode, path) for every page a person can reach in each mode."""
    urls = [("default", p) for p in ANALYSIS + STAFF_ONLY + COMMON]
    # "nur amtliche Quellen" changes what the analysis pages and the presentation draw; the other pages have their
    # own switches and look the same with the parameter, so they are audited once, in default mode.
    urls += [("official", _official(p)) for p in ANALYSIS + [PRESENTATION_VIEW]]
    urls += [("public", p) for p in ANALYSIS + COMMON]
    return urls


def _start(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    return start_streamlit(PROJECT_ROOT / "serve.py", env, log)


def _public_store(built_store, root: Path) -> Path:  # noqa: F811
    """A copy of the session store with the real agreement published, so public mode has something to show."""
    from aqb.store.write import publish

    data_dir = root / "data"
    shutil.copytree(built_store.data_dir, data_dir, symlinks=True)
    env = {"AQB_DATA_DIR": str(data_dir), "AQB_STORE": str(data_dir / "aqb.duckdb")}
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        mp.delenv("AQB_PUBLIC", raising=False)
        publish(Settings.from_env(), "zielvereinbarung_2025_offenbach_am_main.txt", date(2025, 9, 1),
                "https://soziales.hessen.de/")
    return data_dir


@pytest.fixture(scope="module")
def servers(built_store, tmp_path_factory):  # noqa: F811
    """One server in default mode, one in public mode (AQB_PUBLIC=1) on a store with a published agreement."""
    base_env = {k: v for k, v in os.environ.items() if k not in ("AQB_DEMO", "AQB_PUBLIC", "AQB_PUBLIC_DEMO")}
    public_dir = _public_store(built_store, tmp_path_factory.mktemp("public"))
    logs = tmp_path_factory.mktemp("a11y_logs")
    started = []
    try:
        started.append(_start({**base_env, "AQB_DATA_DIR": str(built_store.data_dir),
                               "AQB_STORE": str(built_store.store_path)}, logs / "default.log"))
        started.append(_start({**base_env, "AQB_DATA_DIR": str(public_dir), "AQB_STORE": str(public_dir / "aqb.duckdb"),
                               "AQB_PUBLIC": "1"}, logs / "public.log"))
        yield {"default": started[0][1], "official": started[0][1], "public": started[1][1]}
    finally:
        for process, _ in started:
            stop(process)
    for log in logs.iterdir():
        assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace"), log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python ist nicht installiert (pip install -e '.[test]')")
    return Axe()


def _is_streamlit_gap(rule: str, target: str) -> bool:
    return any(rule == r and re.search(pattern, target) for r, pattern in STREAMLIT_GAPS)


def audit(page, axe) -> list[dict]:
    """Every node with a serious/critical violation: rule, impact, selector, HTML snippet."""
    results = axe.run(page, options={"resultTypes": ["violations"]})
    return [
        {"rule": v["id"], "impact": v["impact"], "target": " ".join(map(str, node["target"])),
         "html": node["html"][:160]}
        for v in results.response["violations"] if v["impact"] in BLOCKING for node in v["nodes"]
    ]


def test_axe_every_page_every_mode(servers, browser, axe):
    context = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="de-DE")
    page = context.new_page()
    table: dict[tuple[str, str], Counter] = {}
    project_made: list[str] = []
    report_file = SCREENSHOTS.parent / "axe_report.txt"
    report_file.parent.mkdir(parents=True, exist_ok=True)
    report_file.write_text("", encoding="utf-8")
    for mode, path in audited_urls():
        try:
            load(page, f"{servers[mode]}/{path}")
        except Exception as exc:  # noqa: BLE001 - one broken page must not hide the audit of the others
            project_made.append(f"{mode} /{path}: Seite lädt nicht: {str(exc)[:300]}")
            continue
        if path == "" and mode != "official":  # a page added to the navigation cannot escape the audit
            linked = page.eval_on_selector_all('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]',
                                               NAV_LINKS)
            audited = {p.split("?")[0] for m, p in audited_urls() if m == mode}
            project_made += [f"{mode}: Seite /{link} fehlt im Audit" for link in linked if link not in audited]
        if page.evaluate("document.documentElement.lang") != "de" or page.locator("h1").count() != 1:
            project_made.append(f"{mode} /{path}: lang={page.evaluate('document.documentElement.lang')}, "
                                f"{page.locator('h1').count()} h1")
        found = audit(page, axe)
        table[(mode, path or "ueberblick")] = counts = Counter(n["impact"] for n in found)
        with report_file.open("a", encoding="utf-8") as out:
            out.write(f"{mode:8} /{path:58} critical={counts['critical']:3} serious={counts['serious']:3} "
                      + " ".join(f"{r}={k}" for r, k in Counter(n["rule"] for n in found).items()) + "\n")
            out.writelines(f"    {n['rule']} ({n['impact']}) {n['target']} {n['html']}\n" for n in found)
        project_made += [f"{mode} /{path}: {n['rule']} ({n['impact']}) {n['target']} {n['html']}"
                         for n in found if not _is_streamlit_gap(n["rule"], n["target"])]
    context.close()
    print("\n" + "\n".join(f"{m:8} {p:60} critical={c['critical']:3} serious={c['serious']:3}"
                            for (m, p), c in table.items()))
    assert project_made == [], "\n".join(project_made[:60])


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
  const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
    || el.innerText || el.getAttribute('title') || '';
  const where = el.closest('[data-testid="stSidebar"]') ? 'sidebar' : 'main';
  return {tag: el.tagName.toLowerCase(), label: label.replace(/\\s+/g, ' ').trim().slice(0, 120), where, ring};
}"""


def tab_through(page, presses: int) -> list[dict]:
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused:
            seen.append(focused)
    return seen


def test_keyboard_alone_reaches_navigation_filters_tables_and_downloads(servers, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="de-DE")
    page = context.new_page()
    load(page, f"{servers['default']}/")
    assert page.evaluate("document.documentElement.lang") == "de"
    seen = tab_through(page, 90)
    labels = [f["label"] for f in seen]
    for expected in ("Überblick", "Gebietskörperschaft", "Jahresvergleich", "Erklärung zur Barrierefreiheit"):
        assert any(expected in label for label in labels), (expected, labels)
    sidebar_labels = " | ".join(f["label"] for f in seen if f["where"] == "sidebar")
    for control in ("Jahr", "Regierungsbezirk", "Maßnahmenart", "nur amtliche Quellen"):
        assert control in sidebar_labels, (control, sidebar_labels)
    assert any(f["where"] == "main" and "Daten als Tabelle" in f["label"] for f in seen), labels
    missing_ring = [f for f in seen if not f["ring"]]
    assert missing_ring == [], missing_ring  # WCAG 2.4.7: every focused control shows where the focus is

    # open a chart's table with the keyboard, then reach its download buttons
    summary = page.locator("summary", has_text="Daten als Tabelle: Summe über die Jahre")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_role("table").first.wait_for(timeout=30_000)
    assert page.get_by_role("table").first.locator("caption").inner_text().startswith("Summe über die Jahre")
    # the expander's fragment sends the table first and its download buttons right after
    page.locator("details", has=summary).get_by_role("button", name="CSV herunterladen").wait_for(timeout=30_000)
    summary.focus()
    after = [f["label"] for f in tab_through(page, 4)]
    assert any("CSV herunterladen" in label for label in after), after

    # switch page with the keyboard alone
    page.get_by_test_id("stSidebar").get_by_role("link", name="Jahresvergleich").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/jahresvergleich**", timeout=30_000)
    settle(page)
    assert page.locator("h1").first.inner_text().strip() == "Jahresvergleich"

    # presentation paging: arrow keys move to the next slide and keep it in the URL
    load(page, f"{servers['default']}/{PRESENTATION_VIEW}")
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=2**", timeout=15_000)
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**slide=3**", timeout=15_000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**slide=2**", timeout=15_000)
    page.screenshot(path=str(SCREENSHOTS / "praesentation_tastatur.png"))
    # the sidebar is hidden on the projector; the accessibility statement is still reachable by keyboard
    assert any("Erklärung zur Barrierefreiheit" in f["label"] for f in tab_through(page, 6))
    context.close()
