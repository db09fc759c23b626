"""Load benchmark: K concurrent sessions against 1 and 3 replicas behind nginx, plus replica memory.

Each session opens Überblick and changes two filters (Art „Landkreise“, then „nur amtliche Quellen“);
timed is each step until the view has settled. Two clients:

- ``--client protocol`` (default): a client that speaks Streamlit's websocket protocol
  (``streamlit_protocol.py``: the same BackMsg/ForwardMsg protobufs, route cookie and widget states as
  the frontend; settled = the server's ``script_finished`` and the figures changed). It measures what a
  replica carries. Why not browsers by default: measured on this 2-core machine, one headless Chromium
  session costs about 18 CPU-s against about 1 CPU-s of the replica (K=10: machine 226 CPU-s, replicas
  11 CPU-s), so a browser-driven run measures Chromium, not the cluster.
- ``--client browser``: Playwright contexts on Debian's Chromium; settled = script run over, no
  skeleton, every chart drawn, text changed. Use it on a machine with cores to spare for the browsers.

Printed are p50/p95 per replica count and K, errors, the sessions 3 replicas hold at the p95 one
replica has at K=10 (goal: ≥ 2,5×), CPU seconds per session, and the resident memory of a replica
after 40 sessions came and went and after 40 more (it must not keep growing).
Bounded: every session has a deadline, the whole run a budget (--budget-s, default 900 s).
Run: .venv/bin/python benchmarks/bench_load.py [--quick] [--client browser]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import cluster as aqb_cluster  # noqa: E402
from streamlit_protocol import StreamlitSession  # noqa: E402

from aqb.build import build_store  # noqa: E402
from aqb.settings import Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                 "--disable-dev-shm-usage", "--mute-audio"]
# Settled: the script run is over, nothing is still loading, every chart is drawn, and the page's text
# differs from before the click (each filter changes the figures), so a view from before never counts.
SETTLED = """previous => {
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    if (!app || !main || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (main.querySelector('[data-testid="stSkeleton"]')) return false;
    const charts = [...main.querySelectorAll('[data-testid="stPlotlyChart"]')];
    if (!charts.length || !charts.every(c => c.querySelector('.main-svg'))) return false;
    return previous === null || main.innerText !== previous;
}"""
STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return `Skript ${app && app.getAttribute('data-test-script-state')}, `
        + `${document.querySelectorAll('[data-testid="stSkeleton"]').length} Platzhalter, `
        + `${charts.filter(c => c.querySelector('.main-svg')).length}/${charts.length} Diagramme gezeichnet`;
}"""
STEPS = ("öffnen", "Filter Art", "Filter amtlich")
SESSION_TTL_S = 5  # Streamlit keeps a closed tab's session this long (production default 120 s)
MEMORY_ROUND = 40


@dataclass
class Run:
    replicas: int
    sessions: int
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    replica_cpu_s: float = 0.0
    machine_busy_s: float = 0.0

    @property
    def all_times(self) -> list[float]:
        return [t for values in self.times.values() for t in values]

    def pct(self, q: float) -> float:
        values = sorted(self.all_times)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def de(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def machine_busy_s() -> float:
    """CPU seconds all cores spent outside idle since boot (/proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")


def prepare_store(tmp: Path) -> Path:
    """The real agreement plus the seeded demo corpus (26 partners x 7 years), as `make run` has it."""
    data = tmp / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(ROOT / "data" / "agreements", data / "agreements")
    os.environ["AQB_DATA_DIR"] = str(data)
    os.environ["AQB_STORE"] = str(data / "aqb.duckdb")
    for name in ("AQB_DEMO", "AQB_PUBLIC"):
        os.environ.pop(name, None)
    build_store(Settings.from_env(), fresh=True, with_demo=True)
    return data


async def settle(page, previous: str | None, timeout_s: float) -> str:
    await page.wait_for_function(SETTLED, arg=previous, timeout=timeout_s * 1000, polling=250)
    return await page.locator('[data-testid="stMain"]').inner_text()


async def one_session(browser, url: str, run: Run, deadline: float) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    page = await context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    step = STEPS[0]
    try:
        left = lambda: max(1.0, deadline - time.monotonic())  # noqa: E731
        start = time.perf_counter()
        await page.goto(url + "/", timeout=left() * 1000)
        shown = await settle(page, None, left())
        run.times[step].append(time.perf_counter() - start)

        step = STEPS[1]
        start = time.perf_counter()
        await page.get_by_test_id("stRadio").filter(has_text="Art").get_by_text("Landkreise", exact=True).click(
            timeout=left() * 1000)
        shown = await settle(page, shown, left())
        run.times[step].append(time.perf_counter() - start)

        step = STEPS[2]
        start = time.perf_counter()
        await page.get_by_test_id("stCheckbox").get_by_text("nur amtliche Quellen").click(timeout=left() * 1000)
        await settle(page, shown, left())
        run.times[step].append(time.perf_counter() - start)
        if await page.locator('[data-testid="stException"]').count():
            run.errors.append("Fehlermeldung der App auf der Seite")
    except Exception as exc:  # noqa: BLE001 - every failure of a session is counted, the run goes on
        try:
            state = await asyncio.wait_for(page.evaluate(STATE), 5)
        except Exception:  # noqa: BLE001
            state = "Zustand unbekannt"
        run.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:80]} ({state})")
    finally:
        run.errors.extend(f"Seitenfehler: {e[:120]}" for e in page_errors)
        await context.close()


async def one_protocol_session(url: str, run: Run, deadline: float) -> None:
    step = STEPS[0]
    left = lambda: max(1.0, deadline - time.monotonic())  # noqa: E731
    try:
        async with StreamlitSession(url, timeout_s=left()) as session:
            result = await session.run()
            run.times[step].append(result.seconds)
            if not result.charts:
                raise RuntimeError("Überblick ohne Diagramm")
            for step, change in zip(STEPS[1:], (lambda: session.choose("Art", "Landkreise"),
                                                lambda: session.tick("nur amtliche Quellen"))):
                change()
                session.timeout_s = left()
                previous, result = result, await session.run()
                if result.digest == previous.digest:
                    raise RuntimeError("der Filter hat die Ansicht nicht geändert")
                run.times[step].append(result.seconds)
    except Exception as exc:  # noqa: BLE001 - every failure of a session is counted, the run goes on
        run.errors.append(f"{step}: {type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}")


async def load_round(browser, url: str, run: Run, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    if browser is None:
        await asyncio.gather(*(one_protocol_session(url, run, deadline) for _ in range(run.sessions)))
    else:
        await asyncio.gather(*(one_session(browser, url, run, deadline) for _ in range(run.sessions)))


class ProtocolClients:
    """Sessions over Streamlit's websocket protocol, all on one event loop of this process."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()

    def run(self, url: str, run: Run, timeout_s: float) -> None:
        self.loop.run_until_complete(load_round(None, url, run, timeout_s))

    def close(self) -> None:
        self.loop.close()


class Browser:
    """One headless Chromium for the whole run; each session gets its own context (cookies, cache)."""

    def __init__(self) -> None:
        from playwright.async_api import async_playwright

        self.loop = asyncio.new_event_loop()
        self.playwright = self.loop.run_until_complete(async_playwright().start())
        self.browser = self.loop.run_until_complete(
            self.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS))

    def run(self, url: str, run: Run, timeout_s: float) -> None:
        self.loop.run_until_complete(load_round(self.browser, url, run, timeout_s))

    def close(self) -> None:
        self.loop.run_until_complete(self.browser.close())
        self.loop.run_until_complete(self.playwright.stop())
        self.loop.close()


def measure(browser: Browser, cluster, replicas: int, sessions: int, timeout_s: float) -> Run:
    run = Run(replicas, sessions)
    pids = [r.process.pid for r in cluster.started]
    cpu0, busy0, start = sum(process_cpu_s(p) for p in pids), machine_busy_s(), time.perf_counter()
    browser.run(cluster.url, run, timeout_s)
    run.wall_s = time.perf_counter() - start
    run.replica_cpu_s = sum(process_cpu_s(p) for p in pids) - cpu0
    run.machine_busy_s = machine_busy_s() - busy0
    print(f"  {replicas} Replikat(e), K={sessions:>2}: p50 {de(run.pct(0.5))} s, p95 {de(run.pct(0.95))} s, "
          f"Fehler {len(run.errors)}, {de(run.wall_s, 1)} s Laufzeit, Replikate {de(run.replica_cpu_s, 1)} CPU-s, "
          f"Maschine {de(run.machine_busy_s, 1)} CPU-s", flush=True)
    for error in run.errors[:3]:
        print(f"      {error}")
    return run


def pin(pid: int, core: int) -> None:
    """Every thread of a replica onto one core (threads started later inherit it from their creator)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {core})


def scaling_per_core(client, env: dict, levels: tuple[int, ...], timeout_s: float, over_budget) -> dict[int, list[Run]]:
    """1 replica on 1 core against 2 replicas on 2 cores: how close the cluster comes to linear in cores.

    On this machine 1 against 3 replicas cannot show it: 3 replicas share 2 cores (and the client's).
    Pinned, each replica has a core of its own, which is what a replica per core on a server gives.
    """
    results: dict[int, list[Run]] = {}
    for replicas in (1, 2):
        print(f"\n{replicas} Replikat(e), je eines fest auf einem eigenen Kern:", flush=True)
        results[replicas] = []
        with aqb_cluster.Cluster(replicas=replicas, env=env, session_ttl=SESSION_TTL_S) as cluster:
            for core, replica in enumerate(cluster.started):
                pin(replica.process.pid, core)
            measure(client, cluster, replicas, 2 * replicas, timeout_s)
            for k in levels:
                if over_budget():
                    print(f"  K={k}: übersprungen (Zeitbudget erreicht)")
                    break
                results[replicas].append(measure(client, cluster, replicas, k, timeout_s))
    return results


def settled_rss_kib(cluster, wait_s: float) -> int:
    """RSS of the first replica once closed sessions were cleaned up (session TTL, then a quiet moment)."""
    time.sleep(wait_s)
    return cluster.replica_rss_kib()[0]


def capacity(runs: list[Run], target_p95: float) -> float:
    """Largest K whose p95 stays within the target, interpolated between the measured K."""
    best = 0.0
    ordered = sorted(runs, key=lambda r: r.sessions)
    for lower, upper in zip([None, *ordered], ordered):
        if upper.pct(0.95) <= target_p95 and not upper.errors:
            best = float(upper.sessions)
            continue
        if lower is not None and lower.pct(0.95) <= target_p95 < upper.pct(0.95):
            fraction = (target_p95 - lower.pct(0.95)) / (upper.pct(0.95) - lower.pct(0.95))
            best = lower.sessions + fraction * (upper.sessions - lower.sessions)
        break
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="K = 5, 10, 20 and one memory round of 20 (about 4 min)")
    parser.add_argument("--budget-s", type=float, default=900, help="Zeitbudget des ganzen Laufs")
    parser.add_argument("--client", choices=("protocol", "browser"), default="protocol",
                        help="Streamlit-Protokoll (misst die Replikate) oder echte Browser (misst hier vor allem Chromium)")
    parser.add_argument("--session-timeout-s", type=float, default=120)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the replicas and nginx on the way out

    levels = (5, 10, 20) if args.quick else (5, 10, 20, 40)
    if args.client == "protocol" and not args.quick:
        levels += (80,)  # cheap clients: follow the 3-replica curve past the K=40
    memory_round = 20 if args.quick else MEMORY_ROUND
    started = time.monotonic()
    over_budget = lambda: time.monotonic() - started > args.budget_s  # noqa: E731
    print(f"Client: {'Streamlit-Protokoll' if args.client == 'protocol' else 'Chromium (Playwright)'}.")
    print(f"Maschine: {os.cpu_count()} Kerne, Last (1/5/15 min) {' / '.join(de(v) for v in os.getloadavg())}"
          " – Browser und Replikate teilen sich diese Kerne.", flush=True)
    results: dict[int, list[Run]] = {1: [], 3: []}
    memory: list[tuple[str, int]] = []
    scaling: dict[int, list[Run]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        data = prepare_store(Path(tmp_name))
        env = {"AQB_DATA_DIR": str(data), "AQB_STORE": str(data / "aqb.duckdb")}
        if args.client == "protocol":
            # The protocol client runs no JavaScript, so nothing would ask for the blocks below a page's first
            # chart (aqb.app.later): each session gets the whole page in its first run, as much work as a browser's.
            env["AQB_DEFER_BELOW_FOLD"] = "0"
        browser = Browser() if args.client == "browser" else ProtocolClients()
        try:
            for replicas in (1, 3):
                print(f"\n{replicas} Replikat(e) hinter nginx:", flush=True)
                with aqb_cluster.Cluster(replicas=replicas, env=env, session_ttl=SESSION_TTL_S) as cluster:
                    # Warm each replica (imports, caches) as a deployment would be before traffic arrives.
                    measure(browser, cluster, replicas, 2 * replicas, args.session_timeout_s)
                    if replicas == 1:
                        memory.append(("nach dem Aufwärmen", settled_rss_kib(cluster, SESSION_TTL_S + 5)))
                    for k in levels:
                        if over_budget():
                            print(f"  K={k}: übersprungen (Zeitbudget {de(args.budget_s, 0)} s erreicht)")
                            break
                        results[replicas].append(measure(browser, cluster, replicas, k, args.session_timeout_s))
                    if replicas == 1 and not over_budget():
                        # The last curve point was a round of memory_round sessions; one more round must not
                        # leave the replica bigger than the first did.
                        if results[1][-1].sessions != memory_round:
                            measure(browser, cluster, replicas, memory_round, args.session_timeout_s)
                        memory.append((f"nach {memory_round} Sitzungen", settled_rss_kib(cluster, SESSION_TTL_S + 10)))
                        measure(browser, cluster, replicas, memory_round, args.session_timeout_s)
                        memory.append((f"nach {memory_round} weiteren", settled_rss_kib(cluster, SESSION_TTL_S + 10)))
            if args.client == "protocol" and (os.cpu_count() or 1) >= 2 and not args.quick:
                scaling = scaling_per_core(browser, env, levels, args.session_timeout_s, over_budget)
        finally:
            browser.close()

    print("\nKurven (Zeit bis zur fertigen Ansicht, alle Schritte; p50 / p95 in s, Fehler):")
    columns = {f"{r} Replikat(e)": runs for r, runs in results.items()}
    columns.update({f"{r} Repl. auf {r} Kern(en)": runs for r, runs in scaling.items()})
    print("   K  " + "".join(name.ljust(26) for name in columns))
    for k in levels:
        cells = []
        for runs in columns.values():
            run = next((r for r in runs if r.sessions == k), None)
            cells.append((f"{de(run.pct(0.5))} / {de(run.pct(0.95))}  ({len(run.errors)})" if run else "–").ljust(26))
        print(f"  {k:>2}  " + "".join(cells))
    ok = all(not r.errors for runs in [*results.values(), *scaling.values()] for r in runs)
    if results[1] and results[3]:
        reference = next((r for r in results[1] if r.sessions == 10), results[1][0])
        target = reference.pct(0.95)
        one, three = capacity(results[1], target), capacity(results[3], target)
        ratio = three / one if one else float("nan")
        print(f"\nBei p95 ≤ {de(target)} s (1 Replikat, K={reference.sessions}): 1 Replikat trägt {de(one, 1)}, "
              f"3 Replikate tragen {de(three, 1)} Sitzungen → {de(ratio, 2)}× (Ziel ≥ 2,5×"
              f"{', erreicht' if ratio >= 2.5 else ', auf dieser Maschine nicht erreicht'}).")
        ok &= ratio >= 2.5
        every = [r for runs in results.values() for r in runs]
        server_cpu = sum(r.replica_cpu_s for r in every) / sum(r.sessions for r in every)
        machine_cpu = sum(r.machine_busy_s for r in every) / sum(r.sessions for r in every)
        print(f"CPU je Sitzung (öffnen + 2 Filter): Replikate {de(server_cpu)} s, ganze Maschine {de(machine_cpu)} s "
              f"(Rest: {'Chromium' if args.client == 'browser' else 'Protokoll-Client'}, nginx, andere Prozesse). "
              f"Die Replikate bekamen "
              f"{de(100 * server_cpu / machine_cpu, 0)} % der verbrauchten CPU.")
        if scaling.get(1) and scaling.get(2):
            base = next((r for r in scaling[1] if r.sessions == 10), scaling[1][0])
            one_core, two_cores = capacity(scaling[1], base.pct(0.95)), capacity(scaling[2], base.pct(0.95))
            efficiency = two_cores / one_core / 2 if one_core else float("nan")
            print(f"Je Kern (fest zugeordnet), bei p95 ≤ {de(base.pct(0.95))} s: 1 Replikat auf 1 Kern trägt "
                  f"{de(one_core, 1)}, 2 Replikate auf 2 Kernen tragen {de(two_cores, 1)} Sitzungen → "
                  f"{de(2 * efficiency, 2)}× (linear wäre 2,00×, Wirkungsgrad {de(100 * efficiency, 0)} %). "
                  f"Daraus: 3 Replikate auf 3 Kernen ≈ {de(3 * efficiency, 2)}×, "
                  f"16 Replikate auf 16 Kernen ≈ {de(16 * efficiency * one_core, 0)} Sitzungen bei diesem p95.")
        # Throughput at the highest load is steadier than a p95 crossing: sessions finished per wall second.
        top = max(levels)
        rates = {name: next((r.sessions / r.wall_s for r in runs if r.sessions == top and not r.errors), None)
                 for name, runs in columns.items()}
        if all(rates.values()):
            names = list(rates)
            print(f"Durchsatz bei K={top} (Sitzungen je s): " + ", ".join(f"{n} {de(v)}" for n, v in rates.items())
                  + f" → 3 gegen 1 Replikat {de(rates[names[1]] / rates[names[0]])}×"
                  + (f", 2 Kerne gegen 1 Kern {de(rates[names[3]] / rates[names[2]])}×" if len(names) == 4 else "")
                  + ".")
        per_second = 16 / server_cpu
        session_s = statistics.median(sum(statistics.median(v) for v in r.times.values() if v) for r in every
                                      if all(r.times.values()))
        print(f"16-Kern-Server, 16 Replikate, Browser auf den Rechnern der Nutzer: etwa {de(per_second, 1)} Sitzungen/s "
              f"Serverkapazität; bei {de(session_s, 1)} s je Sitzung (Median hier) sind das etwa "
              f"{de(per_second * session_s, 0)} gleichzeitig aktive Sitzungen bis zur CPU-Grenze.")
    if memory:
        print("\nSpeicher eines Replikats (RSS aus /proc, nach Ablauf der Sitzungen):")
        for label, kib in memory:
            print(f"  {label:32s} {de(kib / 1024, 0)} MiB")
        if len(memory) == 3:
            growth = (memory[2][1] - memory[1][1]) / 1024
            bounded = growth <= max(32.0, 0.1 * memory[1][1] / 1024)
            print(f"  Zuwachs in der zweiten Runde: {de(growth, 0)} MiB – "
                  + ("wächst nicht weiter." if bounded else "WÄCHST WEITER."))
            ok &= bounded
    print(f"\nGesamtlaufzeit {de(time.monotonic() - started, 0)} s.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
