"""Benchmark: time to the first drawn chart per analysis page, beside a bare Streamlit page with one Plotly chart.

Target (issue 11, item 10): a warm reload and a fresh browser of every analysis page draw their first
chart within 1,5× the time of the bare page, measured in the same run. For each page: a fresh
browser (new Chromium, empty cache, first visit of the page after the warm-up of the server), a warm
reload (same browser, the page visited before: complete and the browser idle, see ``seen``) and a rerun (key "r": script run plus redraw), each as a
median of several runs and as the ratio to the bare page's figure measured the same way.
Run: .venv/bin/python benchmarks/bench_first_view.py [--runs 5] [--pages ueberblick,karte] [--profile | --threads]

``--threads`` traces warm reloads instead and prints the CPU time of Chrome's thread groups up to the first chart
(renderer main thread, its workers, browser and GPU process) and the part of the workers' time that parsed the
Plotly chunk again. ``--profile`` says where the browser's time goes instead: per page (fresh browser and warm reload) the
moments from navigation to the WebSocket, the first message, the first chart element and the drawn
chart; the main thread's long tasks and CDP's script/layout/style time until then; the messages and
bytes the server sent; and what the page built above the first chart and in all (DOM nodes, charts,
tables, widgets, iframes, HTML blocks), and the CPU profile's self time per script file and function.

What the profile found (issue 11, December 2026, 2-core machine under load): the bare page sends 7 messages
and builds 272 DOM nodes; a fresh browser spends ~4 s compiling plotly.js (PlotlyChart chunk, 4,6 MB) —
the same for every page. Überblick sent 78 messages and built 1.975 nodes (3 charts, 3 HTML tables behind
closed expanders, 6 download buttons; above the first chart 22 widgets and 14 page links of the sidebar);
Jahresvergleich 3.916, Gebietskörperschaft 2.885 with 4 data grids (+1,2 MB DataFrame/Arrow chunks),
Projekte 8.876 (a 1.000-row table). The first chart appears only after every message is processed, and
all charts of a page are drawn in the same React commit before the first paint: on a warm reload Plotly
(~0,55 s, much of it measuring text labels), React (~0,3 s), forced layouts (~0,25 s, growing with the DOM),
emotion CSS-in-JS (~0,2 s) and Markdown (~0,2 s) add up to ~2 s against ~0,5 s for the bare page.
Cut so far: tables and downloads are built when their expander opens (Überblick 1.412 nodes,
Jahresvergleich 1.817); first charts are compact (top ten, lower tile map).

December 2026, second pass. Server side (py-spy on the server, websocket timings): a new session's
first run took 550–800 ms against ~150 ms for the bare page, because the file watcher resolved every
imported module's path on each session's first run (~0,4 s, before the first message) and the full
gc.collect Streamlit forces after each run walked ~170.000 long-lived objects (0,1–0,4 s, GIL held).
With fileWatcherType "none" and the heap frozen after the warm-up: 50–220 ms. Browser side: what lies
below the first chart (other charts, their headings and expanders, the first chart's own expander)
comes in a fragment run once the browser has drawn the first chart (aqb.app.later). What is left is
React building the sidebar and the key figures (a CDP trace of a warm reload: React's work loop
~380 ms against ~75 ms for the bare page); removing them one at a time on this machine: the filter
widgets ~150–200 ms, the page links ~50–80 ms, the key figures ~50–100 ms. A warm reload here is the
first reload after the fresh visit, of the complete page (V8 still builds its code cache then);
repeated reloads of the same page are faster for page and bare page alike.

December 2026, third pass. The websocket showed the server done within 45–80 ms on every page (first
chart at ~45 ms); all the rest was the browser. Removing blocks one at a time (CDP task time of hot
reloads): the sidebar's filter widgets ~100–150 ms, its page links ~20–70 ms, the placeholders' captions
nothing measurable. So on a first view in a new session without filters in the URL, the sidebar and the
choice of Gebietskörperschaft wait too (aqb.app.later): hot reloads of Überblick came to 1,06× the bare
page, Gebietskörperschaft 1,46×. Tried and dropped: importing the plotly.js chunk from the first message
(no gain). What is left on the first reload after a fresh visit is not the number of elements (Maßnahmenarten
sends 8 before its chart) but code the bare page never runs (markdown captions, st.html, metrics, the
trigger component, the sidebar itself), compiled anew because V8 has no code cache for it yet.

December 2026, fourth pass. Each Streamlit element built with or before the first chart cost ~3–8 ms
of React work on a warm reload (a Markdown text each; st.metric two Markdown texts and a tooltip), so
what stands above the first chart is plain HTML: the app's CSS, lang="de" and a modulepreload of the
Plotly chunk are in the served HTML document (serve.py, aqb.app.html_document), the key figures one
HTML element (aqb.present.key_figures), the page statement, placeholders and demo line one each. With
--threads: the bare page's reload spends ~350 ms wall, ~230 ms on the renderer's main thread and ~15 ms
on its workers; Gebietskörperschaft ~490 / ~320 / ~90. The workers' extra time is V8 parsing the Plotly
chunk again (~90–140 ms, whenever the fresh session had a garbage collection that dropped its compiled
code; the bare page never has one) — the preload starts it while the server still runs — and, on
Gebietskörperschaft, a major GC's background marking (~45 ms) that HTML tables instead of its data grids
did not remove. Simpler first charts and less CSS gave nothing measurable. The navigation timing of the
reload then showed the rest: its HTML document's response began ~58 ms after the reload on Gebietskörperschaft
against ~16 ms on Überblick, and 8 ms on both when the reload came 1 s later — the old page's main thread was
still busy (React building the two open data grids, whose chunk loads on demand, for 350–575 ms after every
chart was drawn and no block waited). So a reload (and a rerun) now starts from a page the user has seen:
complete and the browser idle (``seen``); on the bare page alike.
"""

from __future__ import annotations

import argparse
import json
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

from aqb.app.later import PAGE_COMPLETE_JS as COMPLETE  # noqa: E402
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


def new_browser(playwright):
    """A new Chromium (empty cache) and its context at the size the target names."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    return browser, browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")


def first_chart(page, action) -> float:
    """Seconds from ``action`` (navigation, reload or key press) until the first chart is drawn."""
    t0 = time.perf_counter()
    action()
    page.wait_for_function(DRAWN, timeout=120_000, polling="raf")  # each frame: a 100 ms poll was 15 % of the bare page
    return time.perf_counter() - t0


def complete(page) -> None:
    """Run over, the blocks below the first chart arrived (aqb.app.later) and every chart drawn."""
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    page.wait_for_function(COMPLETE, timeout=120_000)
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)


# Resolves at the browser's first idle period of (nearly) the full 50 ms: no task, no frame pending; or after 10 s.
IDLE_PERIOD = """() => new Promise(resolve => {
  setTimeout(() => resolve(false), 10000);
  const check = (deadline) => deadline.timeRemaining() >= 45 ? resolve(true) : requestIdleCallback(check);
  requestIdleCallback(check);
})"""


def seen(page) -> None:
    """The page as a user has seen it before reloading: complete, and the browser done with it. Right after
    ``complete`` Gebietskörperschaft's main thread was still busy for 350–575 ms (React building its two open data
    grids, their chunk loaded on demand), Überblick's for 260–350 ms: a reload then began with that work and
    measured it too."""
    complete(page)
    page.evaluate(IDLE_PERIOD)


def rerun(page, attempts: int = 3) -> float:
    """Seconds for a rerun triggered like a user would (key "r"): script run and the chart drawn again.

    Streamlit sometimes ignores a key press right after a run (the bare page's ~70 ms run included): then the
    key is pressed again, and the time counts from the press that started the run; nan if none did."""
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    # A short run can start and end between two polls: an observer notes that it ran.
    page.evaluate("""() => { window.__aqbRan = false; const app = document.querySelector('[data-testid="stApp"]');
        new MutationObserver(() => { if (app.getAttribute('data-test-script-state') === 'running') {
            window.__aqbRan = true; } }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']}); }""")
    for _ in range(attempts):
        # "r" reaches Streamlit only when no widget has the focus (a click into the page could land on one).
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        t0 = time.perf_counter()
        page.keyboard.press("r")
        try:
            page.wait_for_function("() => window.__aqbRan", timeout=3_000, polling="raf")
        except Exception:  # the key started no run: no figure from this press rather than a wrong one
            continue
        page.wait_for_selector(IDLE, state="attached", timeout=120_000)
        page.wait_for_function(DRAWN, timeout=120_000, polling=100)
        return time.perf_counter() - t0
    return float("nan")


# Injected before any page script: timestamps of the steps to the first drawn chart, long tasks, WebSocket traffic.
PROBE = """(() => {
  const t = window.__aqbProbe = {longTasks: [], messages: 0, bytes: 0, arrivals: []};
  try {
    new PerformanceObserver(list => list.getEntries().forEach(e => t.longTasks.push([e.startTime, e.duration])))
      .observe({type: 'longtask', buffered: true});
  } catch (e) {}
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener('open', () => { t.socketOpen = t.socketOpen || performance.now(); });
    socket.addEventListener('message', m => {
      t.firstMessage = t.firstMessage || performance.now();
      if (!t.drawn) {
        const size = m.data.byteLength || m.data.size || m.data.length || 0;
        t.messages += 1; t.bytes += size; t.arrivals.push([performance.now(), size]);
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  const drawn = () => [...document.querySelectorAll('.js-plotly-plot')].some(p =>
    p.querySelector('.main-svg .trace g.point, .main-svg .trace path, .main-svg .hm image, .main-svg .trace text'));
  new MutationObserver(() => {
    const now = performance.now();
    if (!t.firstElement && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')) {
      t.firstElement = now;
    }
    if (!t.chartElement && document.querySelector('[data-testid="stPlotlyChart"]')) { t.chartElement = now; }
    if (!t.drawn && drawn()) { t.drawn = now; }
  }).observe(document, {subtree: true, childList: true});
})()"""
# What the page built: in all, and above (before) its first chart in document order.
CENSUS = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"]');
  const before = e => chart && (e.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
  const count = (sel, only) => [...document.querySelectorAll(sel)].filter(e => !only || before(e)).length;
  const kinds = {nodes: '*', charts: '[data-testid="stPlotlyChart"]', dataframes: '[data-testid="stDataFrame"]',
    tables: 'table', widgets: '[data-testid="stElementContainer"] :is(input, button, [role="slider"])',
    iframes: 'iframe', html: '[data-testid="stHtml"]', elements: '[data-testid="stElementContainer"]',
    downloads: '[data-testid="stDownloadButton"]', links: '[data-testid="stPageLink-NavLink"]',
    styles: 'style'};
  const out = {};
  for (const [k, sel] of Object.entries(kinds)) { out[k] = count(sel, false); out[k + 'Above'] = count(sel, true); }
  return out;
}"""


def _cpu_by_source(profile: dict, drawn_ms: float) -> tuple[list, list]:
    """Self time per script file and per function (top 8 each) from a CDP CPU profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    interval = {}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    for node_id, delta in zip(samples, deltas[1:] + [0]):
        interval[node_id] = interval.get(node_id, 0) + delta / 1000
    by_file, by_function = {}, {}
    for node_id, ms in interval.items():
        frame = nodes[node_id]["callFrame"]
        source = frame["url"].split("/")[-1] or frame["functionName"] or "(program)"
        by_file[source] = by_file.get(source, 0) + ms
        name = f"{frame['functionName'] or '(anonym)'}@{source}"
        by_function[name] = by_function.get(name, 0) + ms
    top = lambda d: sorted(d.items(), key=lambda kv: -kv[1])[:8]  # noqa: E731
    return top(by_file), top(by_function)


def profile_visit(page, cdp, action) -> dict:
    """One visit (navigation or reload) with the probe: where its time to the first drawn chart went."""
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 1000})
    cdp.send("Profiler.start")
    action()
    page.wait_for_function("() => window.__aqbProbe && window.__aqbProbe.drawn", timeout=120_000, polling=50)
    cpu = cdp.send("Profiler.stop")["profile"]
    after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}  # per document
    probe = page.evaluate("() => window.__aqbProbe")
    drawn = probe["drawn"]
    long_ms = sum(d for start, d in probe["longTasks"] if start < drawn)
    page.wait_for_selector(IDLE, state="attached", timeout=120_000)
    census = page.evaluate(CENSUS)
    resources = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.initiatorType === 'script' || r.name.endsWith('.js'))
        .map(r => [r.name.split('/').pop(), Math.round(r.transferSize / 1024), Math.round(r.responseEnd)])""")
    work = {k: after.get(k, 0) * 1000 for k in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")}
    by_file, by_function = _cpu_by_source(cpu, drawn)
    before_chart = [a for a in probe["arrivals"] if a[0] <= (probe.get("chartElement") or drawn)]
    return {"socket": probe.get("socketOpen"), "first_message": probe.get("firstMessage"),
            "first_element": probe.get("firstElement"), "chart_element": probe.get("chartElement"), "drawn": drawn,
            "long_tasks_ms": long_ms, "long_tasks": sum(1 for start, _ in probe["longTasks"] if start < drawn),
            "messages": probe["messages"], "kb": probe["bytes"] / 1024, **work, **census, "scripts": resources,
            "last_before_chart": before_chart[-1][0] if before_chart else None, "messages_before_chart": len(before_chart),
            "cpu_files": by_file, "cpu_functions": by_function}


def profile(playwright, url: str) -> dict[str, dict]:
    browser, context = new_browser(playwright)
    context.add_init_script(PROBE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    fresh = profile_visit(page, cdp, lambda: page.goto(url))
    seen(page)
    warm = profile_visit(page, cdp, lambda: page.reload())
    browser.close()
    return {"fresh": fresh, "warm": warm}


def print_profile(name: str, figures: dict[str, dict]) -> None:
    for kind, f in figures.items():
        print(f"{name:20} {kind:5} Socket {f['socket'] or 0:6.0f} · 1. Nachricht {f['first_message'] or 0:6.0f} · "
              f"1. Element {f['first_element'] or 0:6.0f} · Diagramm-Element {f['chart_element'] or 0:6.0f} · "
              f"gezeichnet {f['drawn']:6.0f} ms | lange Tasks {f['long_tasks']:2} = {f['long_tasks_ms']:5.0f} ms · "
              f"Skript {f['ScriptDuration']:5.0f} · Layout {f['LayoutDuration']:4.0f} · Stil "
              f"{f['RecalcStyleDuration']:4.0f} · Tasks {f['TaskDuration']:5.0f} ms | {f['messages']:3} Nachr. "
              f"{f['kb']:6.0f} kB")
        print(f"{'':26} über dem 1. Diagramm / gesamt: Knoten {f['nodesAbove']}/{f['nodes']} · Elemente "
              f"{f['elementsAbove']}/{f['elements']} · Diagramme {f['chartsAbove']}/{f['charts']} · Tabellen "
              f"{f['tablesAbove']}/{f['tables']} · Dataframes {f['dataframesAbove']}/{f['dataframes']} · Widgets "
              f"{f['widgetsAbove']}/{f['widgets']} · Downloads {f['downloadsAbove']}/{f['downloads']} · HTML "
              f"{f['htmlAbove']}/{f['html']} · iframes {f['iframesAbove']}/{f['iframes']} · Seitenlinks "
              f"{f['linksAbove']}/{f['links']} · style {f['stylesAbove']}/{f['styles']}")
        print(f"{'':26} Nachrichten bis zum Diagramm-Element: {f['messages_before_chart']}, die letzte bei "
              f"{f['last_before_chart'] or 0:.0f} ms")
        print(f"{'':26} CPU nach Datei (ms): " + ", ".join(f"{n} {ms:.0f}" for n, ms in f["cpu_files"]))
        print(f"{'':26} CPU nach Funktion (ms): " + ", ".join(f"{n} {ms:.0f}" for n, ms in f["cpu_functions"]))
        if kind == "fresh":
            scripts = sorted(f["scripts"], key=lambda r: -r[1])[:6]
            print(f"{'':26} größte Skripte (kB, fertig ms): " + ", ".join(f"{n} {kb} kB @{end}" for n, kb, end in scripts))


TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "blink", "loading"]


def thread_cpu(playwright, url: str) -> dict[str, float]:
    """One warm reload, traced: CPU milliseconds per Chrome thread group from the reload to the first drawn chart,
    and how much of the renderer's worker time parsed the Plotly chunk again (its compiled code had been dropped)."""
    browser, context = new_browser(playwright)
    page = context.new_page()
    first_chart(page, lambda: page.goto(url))
    seen(page)
    browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
    seconds = first_chart(page, lambda: page.reload())
    events = json.loads(browser.stop_tracing())["traceEvents"]
    browser.close()
    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"}
    processes = {e["pid"]: e["args"]["name"] for e in events if e.get("name") == "process_name"}
    complete_events = [e for e in events if e.get("ph") == "X" and "tdur" in e]
    start = min(e["ts"] for e in complete_events)
    end = start + seconds * 1e6
    cpu = {"wall": seconds * 1000, "renderer main": 0.0, "renderer workers": 0.0, "Plotly parse": 0.0, "browser": 0.0,
           "GPU": 0.0}
    by_thread: dict[tuple, list] = {}
    for e in complete_events:
        if start <= e["ts"] < end:
            by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
    for key, items in by_thread.items():
        process, thread = processes.get(key[0], ""), threads.get(key, "")
        group = ("renderer main" if thread == "CrRendererMain" else "renderer workers" if process == "Renderer"
                 else "browser" if process == "Browser" else "GPU" if process.startswith("GPU") else None)
        items.sort(key=lambda e: (e["ts"], -e["dur"]))
        covered = -1
        for e in items:  # top-level events only: a nested one's CPU time is in its parent's
            if e["ts"] >= covered:
                covered = e["ts"] + e["dur"]
                if group:
                    cpu[group] += e["tdur"] / 1000
            if e["name"] == "v8.parseOnBackground" and "PlotlyChart" in json.dumps(e.get("args")):
                cpu["Plotly parse"] += e["tdur"] / 1000
    return cpu


def print_threads(playwright, pages: dict[str, str], app_base: str, bare_base: str, runs: int) -> None:
    print(f"CPU-Millisekunden je Thread-Gruppe bis zum ersten Diagramm, Reload (Median aus {runs})")
    groups = ["wall", "renderer main", "renderer workers", "Plotly parse", "browser", "GPU"]
    print(f"{'Seite':22} " + " ".join(f"{g:>16}" for g in groups))
    for name, url in [("leere Seite", bare_base)] + [(n, f"{app_base}/{p}") for n, p in pages.items()]:
        figures = [thread_cpu(playwright, url) for _ in range(runs)]
        print(f"{name:22} " + " ".join(f"{statistics.median(f[g] for f in figures):16.0f}" for g in groups))


def visit(playwright, url: str) -> dict[str, float]:
    """One new browser: the fresh visit, a warm reload and a rerun of ``url``."""
    browser, context = new_browser(playwright)
    page = context.new_page()
    figures = {"fresh": first_chart(page, lambda: page.goto(url))}
    seen(page)  # a reload of the page a user has seen, not of one still receiving or building its blocks
    figures["warm"] = first_chart(page, lambda: page.reload())
    seen(page)
    figures["rerun"] = rerun(page)
    browser.close()
    return figures


def medians(visits: list[dict[str, float]]) -> dict[str, float]:
    """Median per kind over the visits that have the figure (a rerun whose key press started no run has none)."""
    return {kind: statistics.median(figures) if (figures := [v[kind] for v in visits if v[kind] == v[kind]])
            else float("nan") for kind in ("fresh", "warm", "rerun")}


def measure(playwright, url: str, runs: int) -> dict[str, float]:
    return medians([visit(playwright, url) for _ in range(runs)])


def measure_beside(playwright, url: str, bare_url: str, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """The page and the bare page visited in turn, so a load spike on the shared machine hits both alike."""
    page_visits, bare_visits = [], []
    for _ in range(runs):
        bare_visits.append(visit(playwright, bare_url))
        page_visits.append(visit(playwright, url))
    return medians(page_visits), medians(bare_visits)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", help="kommagetrennt, Standard: alle Analyseseiten")
    parser.add_argument("--profile", action="store_true", help="wohin die Zeit des Browsers geht, statt der Verhältnisse")
    parser.add_argument("--threads", action="store_true",
                        help="CPU je Thread-Gruppe des Browsers beim Reload (Chrome-Trace), statt der Verhältnisse")
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
        app, app_base = start(ROOT / "serve.py", ROOT, env)
        bare, bare_base = start(bare_dir / "bare.py", bare_dir, env)
        processes += [app, bare]
        with sync_playwright() as p:
            # Warm-up: one visit per page, so "fresh" measures a new browser, not the server's first query.
            for path in pages.values():
                measure(p, f"{app_base}/{path}", 1)
            measure(p, bare_base, 1)
            if args.threads:
                print_threads(p, pages, app_base, bare_base, args.runs)
                return 0
            if args.profile:
                print_profile("leere Seite", profile(p, bare_base))
                for name, path in pages.items():
                    print_profile(name, profile(p, f"{app_base}/{path}"))
                return 0
            print(f"Zeit bis zum ersten gezeichneten Diagramm (Median aus {args.runs}; 1440×900; Ziel ≤ "
                  f"{str(TARGET_RATIO).replace('.', ',')}× der leeren Seite)")
            print(f"{'Seite':22} {'frisch':>8} {'×':>6} {'Reload':>8} {'×':>6} {'Rerun':>8} {'×':>6}")
            for name, path in pages.items():
                page_figures, bare_figures = measure_beside(p, f"{app_base}/{path}", bare_base, args.runs)
                cells = []
                for kind in ("fresh", "warm", "rerun"):
                    ratio = page_figures[kind] / bare_figures[kind]
                    # The target is on the first view (fresh and reload); a rerun's ratio is shown, not judged.
                    mark = " !" if kind != "rerun" and not ratio <= TARGET_RATIO else ""
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
