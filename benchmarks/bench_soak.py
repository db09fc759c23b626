"""Soak benchmark: readers query while a writer process swaps the store ~200 times and is killed at random.

Counts reader errors (target 0), stale reads (a read that began after a swap had finished but saw
an older state; target 0), inconsistent reads and the state after each kill (always the old or the
new one), and prints reader latency (p50/p95/max) without and during swaps.
Run: .venv/bin/python benchmarks/bench_soak.py [--swaps 200] [--readers 3] [--kills 20]
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from aqb.store import snapshots  # noqa: E402
from aqb.store.checks import run_checks  # noqa: E402
from aqb.reference import partners_in  # noqa: E402
from aqb.settings import Settings  # noqa: E402

SEED = ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
BASE_EUR = 1_000_000  # swap i sets Offenbach 2025 to BASE_EUR + i euros, so a read tells which swap it saw
YEARS = range(2019, 2026)
READ_SQL = """
    select
        (select budget_cents from agreements where partner_ags = '06413' and agreement_year = 2025),
        (select count(*) from agreements),
        (select count(*) from projects join agreements using (agreement_id)
         where partner_ags = '06413' and agreement_year = 2025)
"""


def _euros(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def document(seed_text: str, year: int, official_name: str, euros: int) -> str:
    return seed_text.replace("2025", str(year)).replace(
        "und der Stadt Offenbach am Main", f"und der {official_name}", 1
    ).replace(  # § 4 names the partner, too: the parser refuses a document contradicting its title
        "HMSI stellt der Stadt Offenbach am Main", f"HMSI stellt der {official_name}", 1
    ).replace("1.011.410 Euro", f"{_euros(euros)} Euro")


def prepare(data_dir: Path) -> Settings:
    """A data folder with 182 agreements (26 partners x 2019-2025) in the store; AQB_* point at it."""
    if not (data_dir / "reference").is_dir():
        shutil.copytree(ROOT / "data" / "reference", data_dir / "reference")
    corpus = data_dir / "agreements"
    corpus.mkdir(parents=True, exist_ok=True)
    seed_text = SEED.read_text(encoding="utf-8")
    for year in YEARS:
        for partner in partners_in(data_dir / "reference", year):
            euros = BASE_EUR if (partner.ags, year) == ("06413", 2025) else partner.population * 5
            (corpus / f"zv_{year}_{partner.ags}.txt").write_text(
                document(seed_text, year, partner.official_name, euros), encoding="utf-8")
    os.environ["AQB_DATA_DIR"] = str(data_dir)
    os.environ["AQB_STORE"] = str(data_dir / "aqb.duckdb")
    settings = Settings.from_env()
    from aqb.store.write import ingest_paths

    ingest_paths([corpus], settings)
    return settings


def writer_main(first: int, count: int) -> None:
    """Child process: swap the store ``count`` times; print "i monotonic" after each swap has finished."""
    from aqb.store.write import ingest_paths

    settings = Settings.from_env()
    seed_text = SEED.read_text(encoding="utf-8")
    inbox = settings.data_dir / "inbox"
    inbox.mkdir(exist_ok=True)
    print("bereit", time.monotonic(), flush=True)  # imports done: kills from here on hit the ingest itself
    for i in range(first, first + count):
        path = inbox / f"soak_{i}.txt"
        path.write_text(document(seed_text, 2025, "Stadt Offenbach am Main", BASE_EUR + i), encoding="utf-8")
        ingest_paths([path], settings, actor="soak")
        print(i, time.monotonic(), flush=True)
        path.unlink()


@dataclass
class Read:
    started: float
    seconds: float
    swap: int


@dataclass
class SoakResult:
    swaps: int = 0
    kills: int = 0
    kills_mid_write: int = 0  # the writer died with an unpublished snapshot on disk
    reads: list[Read] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    inconsistent: int = 0
    stale: int = 0
    bad_kill_states: list[str] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    swap_window: tuple[float, float] = (0.0, 0.0)
    swap_seconds: float = 0.0

    def latency_during_swaps(self) -> list[float]:
        start, end = self.swap_window
        return [r.seconds for r in self.reads if start <= r.started <= end]


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """(p50, p95, max) in milliseconds."""
    if len(values) < 2:
        return (values[0] * 1000,) * 3 if values else (0.0, 0.0, 0.0)
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, max(values) * 1000


class Readers:
    """Threads that each open a fresh read-only connection to the current snapshot per query."""

    def __init__(self, settings: Settings, count: int, result: SoakResult, pause_s: float):
        self.settings, self.result, self.pause_s = settings, result, pause_s
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(count)]

    def _loop(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                con = duckdb.connect(str(snapshots.current_snapshot(self.settings)), read_only=True)
                try:
                    budget_cents, agreements, projects = con.execute(READ_SQL).fetchone()
                finally:
                    con.close()
                read = Read(started, time.monotonic() - started, budget_cents // 100 - BASE_EUR)
                with self.lock:
                    self.result.reads.append(read)
                    if (agreements, projects) != (182, 9):
                        self.result.inconsistent += 1
            except Exception as exc:  # any failure at all counts against the store design
                with self.lock:
                    self.result.errors.append(repr(exc))
            time.sleep(self.pause_s)

    def __enter__(self) -> "Readers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


def _start_writer(first: int, count: int):
    """The writer process, the list its finished swaps land in, its reader thread and a ready event."""
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--writer", str(first), str(count)],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
    )
    done: list[tuple[int, float]] = []
    ready = threading.Event()

    def collect() -> None:
        for line in proc.stdout:
            i, at = line.split()
            if i == "bereit":
                ready.set()
            else:
                done.append((int(i), float(at)))

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    return proc, done, thread, ready


def store_state(settings: Settings) -> tuple[int, dict]:
    con = duckdb.connect(str(snapshots.current_snapshot(settings)), read_only=True)
    try:
        budget_cents, agreements, projects = con.execute(READ_SQL).fetchone()
        assert (agreements, projects) == (182, 9)
        return budget_cents // 100 - BASE_EUR, run_checks(con)
    finally:
        con.close()


def run_soak(settings: Settings, *, swaps: int, readers: int, kills: int, seed: int = 7,
             pause_s: float = 0.002, baseline_s: float = 2.0, kill_window_s: float = 0.8) -> SoakResult:
    """Swap the store ``swaps`` times, then kill ``kills`` writers at random points, with readers throughout."""
    rng = random.Random(seed)
    result = SoakResult()
    all_swaps: list[tuple[int, float]] = []
    with Readers(settings, readers, result, pause_s):
        time.sleep(baseline_s)
        result.baseline = [r.seconds for r in result.reads]
        start = time.monotonic()
        proc, done, collector, _ = _start_writer(1, swaps)
        proc.wait()
        collector.join()
        result.swap_window = (start, time.monotonic())
        result.swap_seconds = result.swap_window[1] - start
        if proc.returncode != 0:
            raise RuntimeError(f"Schreibprozess endete mit {proc.returncode}")
        result.swaps = len(done)
        all_swaps += done
        last = swaps
        for _ in range(kills):
            started_at = time.time()
            proc, done, collector, ready = _start_writer(last + 1, 1000)
            ready.wait(60)
            time.sleep(rng.uniform(0.0, kill_window_s))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            collector.join()
            result.kills += 1
            result.kills_mid_write += any(
                p.stat().st_mtime >= started_at for p in settings.snapshot_dir.glob("*.tmp"))
            all_swaps += done
            reported = done[-1][0] if done else last
            seen, failed_checks = store_state(settings)
            # Killed between the symlink swap and its report line, the store is one swap further.
            if seen not in (reported, reported + 1) or failed_checks:
                result.bad_kill_states.append(f"gemeldet {reported}, gesehen {seen}, Prüfungen {failed_checks}")
            last = max(seen, reported)
    result.stale = _count_stale(result.reads, all_swaps)
    return result


def _count_stale(reads: list[Read], swaps: list[tuple[int, float]]) -> int:
    """Reads that began after swap i had finished but saw a state older than i."""
    finished = sorted((at, i) for i, at in swaps)
    times = [at for at, _ in finished]
    newest_by_then = list(itertools.accumulate((i for _, i in finished), max))
    stale = 0
    for read in reads:
        k = bisect.bisect_left(times, read.started)
        stale += k > 0 and read.swap < newest_by_then[k - 1]
    return stale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swaps", type=int, default=200)
    parser.add_argument("--readers", type=int, default=3)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--writer", nargs=2, type=int, metavar=("ERSTER", "ANZAHL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        writer_main(*args.writer)
        return
    with tempfile.TemporaryDirectory() as tmp:
        settings = prepare(Path(tmp) / "data")
        size_mb = snapshots.current_snapshot(settings).stat().st_size / 1024 / 1024
        result = run_soak(settings, swaps=args.swaps, readers=args.readers, kills=args.kills)
    base = percentiles(result.baseline)
    during = percentiles(result.latency_during_swaps())
    print(f"Bestand: 182 Vereinbarungen, Snapshot {size_mb:.1f} MB; {args.readers} Leser-Threads")
    print(f"Swaps:            {result.swaps} in {result.swap_seconds:.1f} s "
          f"({result.swaps / result.swap_seconds:.1f}/s), danach {result.kills} Schreiber abgeschossen "
          f"({result.kills_mid_write} davon mitten im Schreiben)")
    print(f"Lesezugriffe:     {len(result.reads)}")
    print(f"Fehler:           {len(result.errors)}" + (f"  z. B. {result.errors[0]}" if result.errors else ""))
    print(f"Veraltete Reads:  {result.stale}   Inkonsistente Reads: {result.inconsistent}")
    print(f"Zustand nach Kill immer alt oder neu: {'ja' if not result.bad_kill_states else result.bad_kill_states}")
    print(f"Leselatenz ohne Swaps:   p50 {base[0]:6.1f} ms  p95 {base[1]:6.1f} ms  max {base[2]:6.1f} ms")
    print(f"Leselatenz während Swaps: p50 {during[0]:6.1f} ms  p95 {during[1]:6.1f} ms  max {during[2]:6.1f} ms")


if __name__ == "__main__":
    main()
