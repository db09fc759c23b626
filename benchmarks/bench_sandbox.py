"""Sandbox limits against measured parsing work: CPU seconds per MiB, limit / need, with and without load.

Parses the real agreement padded to 1, 5 and 19 MiB in the sandbox child (aqb.ingest.sandbox),
measures the child's CPU time and wall time, and prints them beside the limits limits_for() gives,
so CPU_S_PER_MIB and HEADROOM can be checked on this machine. Then 3 identical 19 MB uploads at
once (the case that refused 2 of 3 under a fixed 15 s wall-clock limit).
Run: .venv/bin/python benchmarks/bench_sandbox.py [--sizes 1,5,19]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aqb.errors import DocumentRefused  # noqa: E402
from aqb.ingest import sandbox  # noqa: E402

MIB = 1024 * 1024
SEED = ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
REFERENCE = ROOT / "data" / "reference"
FILLER = "Die Vertragsparteien arbeiten im Rahmen dieser Vereinbarung vertrauensvoll zusammen und informieren einander.\n"


def padded(byte_size: int) -> bytes:
    seed = SEED.read_text(encoding="utf-8")
    head, sep, tail = seed.partition("§ 6")
    return (head + FILLER * ((byte_size - len(seed.encode())) // len(FILLER.encode())) + sep + tail).encode()


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one(name: str, data: bytes) -> tuple[str, float]:
    start = time.perf_counter()
    try:
        sandbox.parse_isolated(name, data, REFERENCE, 40 * MIB)
        outcome = "angenommen"
    except DocumentRefused as exc:
        outcome = exc.reason
    return outcome, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,5,19")
    args = parser.parse_args()
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(f"Last je Kern: {load:.1f}")
    print(f"{'MiB':>5} {'CPU s':>7} {'CPU s/MiB':>10} {'Limit CPU s':>12} {'Limit/Bedarf':>13} {'Wand s':>8} "
          f"{'Limit Wand s':>13}  Ergebnis")
    for size in (float(s) for s in args.sizes.split(",")):
        data = padded(int(size * MIB))
        before = child_cpu()
        outcome, wall = one("zv.txt", data)
        cpu = child_cpu() - before
        limits = sandbox.limits_for("zv.txt", len(data))
        print(f"{size:5.0f} {cpu:7.2f} {cpu / size:10.2f} {limits.cpu_s:12d} {limits.cpu_s / cpu:13.1f} {wall:8.1f} "
              f"{limits.wall_s:13.0f}  {outcome}")
    data = padded(19 * 1_000_000)
    start = time.perf_counter()
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda n: one(f"zv_{n}.txt", data), range(3)))
    accepted = sum(1 for outcome, _ in results if outcome == "angenommen")
    print(f"3 gleichzeitige 19-MB-Uploads: {accepted} von 3 angenommen in {time.perf_counter() - start:.1f} s "
          f"(je {', '.join(f'{w:.1f}' for _, w in results)} s Wandzeit)")


if __name__ == "__main__":
    main()
