"""Benchmark: all 26 Gesprächsunterlagen of a year as PDF and PPTX, plus the overview (target <= 60 s in total).

Builds a private store from the repo's data/ (real agreement, demo corpus, demo Umsetzungsstand) in a
temporary folder first; that build is reported but not counted. Run: .venv/bin/python benchmarks/bench_briefings.py
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2025
TARGET_S = 60.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data" / "reference", data / "reference")
        shutil.copytree(ROOT / "data" / "agreements", data / "agreements")
        os.environ["AQB_DATA_DIR"] = str(data)
        os.environ["AQB_STORE"] = str(data / "aqb.duckdb")
        from aqb.analysis.briefing import load_briefing, overview_frame, partner_keys
        from aqb.present.briefing_pdf import briefing_pdf, overview_pdf
        from aqb.build import build_store
        from aqb.settings import Settings
        from aqb.present.slides import briefing_deck, overview_deck
        from aqb.store.write import open_reader
        from aqb.analysis.catalogue import DEFAULT_DECK

        start = time.perf_counter()
        build_store(Settings.from_env(), fresh=True, with_demo=True)
        print(f"Bestand gebaut (nicht mitgezählt): {time.perf_counter() - start:5.1f} s")

        con = open_reader(Settings.from_env())
        out = Path(tmp) / "unterlagen"
        out.mkdir()
        timings: dict[str, list[float]] = {"Daten": [], "PDF": [], "PPTX": []}
        sizes: dict[str, list[int]] = {"PDF": [], "PPTX": []}
        total_start = time.perf_counter()
        briefings = []
        for ags in partner_keys(con, YEAR):
            t0 = time.perf_counter()
            b = load_briefing(con, ags, YEAR)
            t1 = time.perf_counter()
            pdf = briefing_pdf(b)
            t2 = time.perf_counter()
            pptx = briefing_deck(b)
            t3 = time.perf_counter()
            (out / f"{b.file_stem}.pdf").write_bytes(pdf)
            (out / f"{b.file_stem}.pptx").write_bytes(pptx)
            timings["Daten"].append(t1 - t0)
            timings["PDF"].append(t2 - t1)
            timings["PPTX"].append(t3 - t2)
            sizes["PDF"].append(len(pdf))
            sizes["PPTX"].append(len(pptx))
            briefings.append(b)
        t0 = time.perf_counter()
        frame = overview_frame(briefings)
        (out / f"uebersicht_{YEAR}.pdf").write_bytes(overview_pdf(frame, YEAR, include_demo=True))
        (out / f"uebersicht_{YEAR}.pptx").write_bytes(overview_deck(frame, YEAR, include_demo=True))
        overview_s = time.perf_counter() - t0
        total = time.perf_counter() - total_start

        # A statewide deck with the Kaleido heatmap twice: the second reuses the running Chromium.
        from aqb.present.slides import ImageRenderer, deck_bytes
        from aqb.analysis.catalogue import DEFAULT_DECK, build_view

        deck_s = []
        for _ in range(2):
            t0 = time.perf_counter()
            views = [build_view(con, v, year=YEAR, include_demo=True) for v in DEFAULT_DECK]
            deck_bytes(views, title="AQB", subtitle="Benchmark")
            deck_s.append(time.perf_counter() - t0)
        ImageRenderer.stop()
        con.close()

    n = len(briefings)
    print(f"{n} Gesprächsunterlagen {YEAR} als PDF und PPTX + Übersicht: {total:5.1f} s "
          f"(Ziel <= {TARGET_S:.0f} s: {'erfüllt' if total <= TARGET_S else 'VERFEHLT'})")
    for kind, values in timings.items():
        print(f"  {kind:<5} je Gebietskörperschaft: Median {statistics.median(values) * 1000:6.0f} ms, "
              f"Max {max(values) * 1000:6.0f} ms, Summe {sum(values):5.1f} s")
    for kind, values in sizes.items():
        print(f"  {kind:<5} Dateigröße: Median {statistics.median(values) / 1024:5.0f} KB, Max {max(values) / 1024:5.0f} KB")
    print(f"  Übersicht (PDF + PPTX): {overview_s * 1000:.0f} ms")
    print(f"Foliensatz ({len(DEFAULT_DECK)} Ansichten, Heatmap als Kaleido-Bild): erster {deck_s[0]:.1f} s "
          f"(mit Chromium-Start), zweiter {deck_s[1]:.1f} s")
    print(f"Spitzenspeicher: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
