"""Benchmark: time to the first drawn chart per analysis page, beside a bare Streamlit page with one Plotly chart.

Target (issue 11, item 10): a warm reload and a fresh browser of every analysis page draw their first
chart within 1,5× the time of the bare page, measured in the same run. For each page: a fresh
browser (new Chromium, empty cache, first visit of the page after the warm-up of the server), a warm
reload (same browser, page visited before) and a rerun (key "r": script run plus redraw), each as a
median of several runs and as the ratio to the bare page's figure measured the same way.
Run: .venv/bin/python benchmarks/bench_first_view.py [--runs 3] [--pages ueberblick,karte]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import real_store  # noqa: E402

PAGES = {"ueberblick": "", "gebietskoerperschaft": "gebietskoerperschaft", "jahresvergleich": "jahresvergleich",
         "massnahmenarten": "massnahmenarten", "karte": "karte", "projekte": "projekte", "daten_quellen": "daten_quellen"}
TARGET_RATIO = 1.5
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# A chart counts as drawn once plotly.js has put its traces into the SVG (bars, lines, heatmap image).
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
    p.querySelector('.main-svg .trace g.point, .main-svg .trace path, .main-svg .hm image, .main-svg .trace text'))"""
BARE_PAGE = '''import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="bare", layout="wide")
st.title("Bare")
st.plotly_chart(go.Figure(go.Bar(x=["2023", "2024", "2025"], y=[1, 3, 2])), width="stretch")
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(script: Path, cwd: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"{script} antwortet nicht")


def first_chart(page, action) -> float:
    """Seconds from ``action`` (navigation, reload or key press) until the first chart is drawn."""
    t0 = time.perf_counter()
    action()
    page.wait_for_function(DRAWN, timeout=120_000, polling=100)
    return time.perf_counter() - t0


def rerun(page) -> float:
    """Seconds for a rerun triggered like a user would (key "r"): script run and the chart drawn again."""
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    page.mouse.click(2, 2)  # focus the page (not a widget), so "r" reaches Streamlit
    t0 = time.perf_counter()
    page.keyboard.press("r")
    try:
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', state="attached",
                               timeout=10_000)
    except Exception:  # the key did not start a run (focus elsewhere): no figure rather than a wrong one
        return float("nan")
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    page.wait_for_function(DRAWN, timeout=120_000, polling=100)
    return time.perf_counter() - t0


def measure(playwright, url: str, runs: int) -> dict[str, float]:
    fresh, warm, reruns = [], [], []
    for _ in range(runs):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE").new_page()
        fresh.append(first_chart(page, lambda: page.goto(url)))
        page.wait_for_selector(IDLE, state="attached", timeout=120_000)
        warm.append(first_chart(page, lambda: page.reload()))
        reruns.append(rerun(page))
        browser.close()
    return {"fresh": statistics.median(fresh), "warm": statistics.median(warm), "rerun": statistics.median(reruns)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", help="kommagetrennt, Standard: alle Analyseseiten")
    args = parser.parse_args()
    pages = {k: v for k, v in PAGES.items() if not args.pages or k in args.pages.split(",")}
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="aqb-first-view-"))
    processes = []
    try:
        data = real_store(tmp)
        env = {**os.environ, "AQB_DATA_DIR": str(data), "AQB_STORE": str(data / "aqb.duckdb")}
        env.pop("AQB_PUBLIC", None)
        bare_dir = tmp / "bare"
        shutil.copytree(ROOT / ".streamlit", bare_dir / ".streamlit")
        (bare_dir / "bare.py").write_text(BARE_PAGE, encoding="utf-8")
        app, app_base = start(ROOT / "dashboard.py", ROOT, env)
        bare, bare_base = start(bare_dir / "bare.py", bare_dir, env)
        processes += [app, bare]
        with sync_playwright() as p:
            # Warm-up: one visit per page, so "fresh" measures a new browser, not the server's first query.
            for path in pages.values():
                measure(p, f"{app_base}/{path}", 1)
            measure(p, bare_base, 1)
            print(f"Zeit bis zum ersten gezeichneten Diagramm (Median aus {args.runs}; 1440×900; Ziel ≤ "
                  f"{str(TARGET_RATIO).replace('.', ',')}× der leeren Seite)")
            print(f"{'Seite':22} {'frisch':>8} {'×':>6} {'Reload':>8} {'×':>6} {'Rerun':>8} {'×':>6}")
            for name, path in pages.items():
                bare_figures = measure(p, bare_base, args.runs)  # beside each page: the same load on the machine
                page_figures = measure(p, f"{app_base}/{path}", args.runs)
                cells = []
                for kind in ("fresh", "warm", "rerun"):
                    ratio = page_figures[kind] / bare_figures[kind]
                    mark = "" if ratio <= TARGET_RATIO else " !"
                    cells.append(f"{page_figures[kind]:7.2f}s {ratio:5.2f}{mark}".replace(".", ","))
                print(f"{name:22} " + " ".join(cells)
                      + f"   (leer: {bare_figures['fresh']:.2f} / {bare_figures['warm']:.2f} / "
                        f"{bare_figures['rerun']:.2f} s)".replace(".", ","))
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
