"""Benchmark: parse throughput (text, PDF) and time to build the store from 1.000 documents.

Targets (issue 2): >= 200 text documents/s and >= 10 PDF documents/s on one core;
1.000 documents into the store in <= 30 s. Run: .venv/bin/python benchmarks/bench_ingest.py
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aqb.demo.corpus import generate_specs  # noqa: E402
from aqb.ingest.parser import parse_bytes  # noqa: E402
from aqb.demo.styles import TextStyle  # noqa: E402
from aqb.demo.text_writer import render_text  # noqa: E402
from aqb.demo.pdf_writer import write_pdf  # noqa: E402

REFERENCE = ROOT / "data" / "reference"
MB = 1024 * 1024


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def throughput(docs: list[tuple[str, bytes]]) -> float:
    start = time.perf_counter()
    for name, data in docs:
        parse_bytes(name, data, REFERENCE, 20 * MB)
    return len(docs) / (time.perf_counter() - start)


def main() -> None:
    one_core()
    specs = generate_specs(REFERENCE, years=range(2019, 2026))
    styles = [TextStyle(), TextStyle(wrap=72), TextStyle(page_furniture=True, drop_blank_lines=True)]
    text_docs = [
        (f"zv_{i}.txt", render_text(spec, REFERENCE, styles[i % 3]).encode("utf-8"))
        for i, spec in enumerate(specs * 3)
    ]
    throughput(text_docs[:20])  # warm-up: imports, regex compilation
    print(f"Text-Dokumente:  {throughput(text_docs):7.1f} Dokumente/s  ({len(text_docs)} Dokumente, 1 Kern)")

    with tempfile.TemporaryDirectory() as tmp:
        pdf_docs = []
        for i, spec in enumerate(specs[:60]):
            path = Path(tmp) / f"zv_{i}.pdf"
            write_pdf(spec, path, REFERENCE)
            pdf_docs.append((path.name, path.read_bytes()))
        print(f"PDF-Dokumente:   {throughput(pdf_docs):7.1f} Dokumente/s  ({len(pdf_docs)} Dokumente, 1 Kern)")

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        (data / "reference").mkdir(parents=True)
        for f in REFERENCE.iterdir():
            (data / "reference" / f.name).write_bytes(f.read_bytes())
        corpus = data / "agreements"
        corpus.mkdir()
        many = generate_specs(REFERENCE, years=range(1987, 2026))[:1000]
        for i, spec in enumerate(many):
            (corpus / f"zv_{spec.year}_{spec.partner_ags}.txt").write_text(render_text(spec, REFERENCE), encoding="utf-8")
        os.environ["AQB_DATA_DIR"] = str(data)
        os.environ["AQB_STORE"] = str(data / "aqb.duckdb")
        from aqb.settings import Settings
        from aqb.store.write import ingest_paths

        start = time.perf_counter()
        report = ingest_paths([corpus], Settings.from_env())
        elapsed = time.perf_counter() - start
        size = report.snapshot.stat().st_size / MB
        print(f"Bestand aus {len(many)} Dokumenten: {elapsed:5.1f} s  ({report.summary()}; Snapshot {size:.1f} MB)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Spitzenspeicher: {peak:.0f} MB")


if __name__ == "__main__":
    main()
