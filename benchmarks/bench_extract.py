"""Benchmark: parse throughput per format over the office-made fixtures and demo PDFs, against the
old pypdf text extraction as baseline in the same run, and OCR seconds per scanned page.

Targets (issue 9): >= 200 text and >= 10 PDF documents/s on one core (layout-aware extraction);
OCR is reported per page. Run: .venv/bin/python benchmarks/bench_extract.py [--no-ocr]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aqb.demo.corpus import generate_specs  # noqa: E402
from aqb.demo.pdf_writer import write_pdf  # noqa: E402
from aqb.ingest.extract import extract  # noqa: E402
from aqb.ingest.ocr import ocr_pdf  # noqa: E402
from aqb.ingest.parser import parse_bytes  # noqa: E402

REFERENCE = ROOT / "data" / "reference"
OFFICE = ROOT / "tests" / "fixtures" / "office"
MB = 1024 * 1024


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def rate(docs: list[tuple[str, bytes]], work, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for name, data in docs:
            work(name, data)
    return repeat * len(docs) / (time.perf_counter() - start)


def parse(name: str, data: bytes) -> None:
    parse_bytes(name, data, REFERENCE, 20 * MB)


def pypdf_text(name: str, data: bytes) -> None:
    """The extraction before issue 9: pypdf's plain text, no positions, no tables."""
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text()


def old_text_lines(name: str, data: bytes) -> None:
    """The text extraction before issue 9: decode, split into pages and lines, nothing else."""
    text = data.decode("utf-16") if data.startswith((b"\xff\xfe", b"\xfe\xff")) else data.decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    [[(p, i, t) for i, t in enumerate(page.split("\n"), 1)] for p, page in enumerate(text.split("\f"), 1)]


def office(*names: str) -> list[tuple[str, bytes]]:
    return [(n, (OFFICE / n).read_bytes()) for n in names]


def main() -> None:
    one_core()
    load = os.getloadavg()[0]
    print(f"Last (1 min) vor dem Lauf: {load:.1f} auf {os.cpu_count()} Kernen — Zahlen auf geteilter Maschine")
    groups = {
        "Text (UTF-16, Markdown, pdftotext -layout)": (office("zv_2022_giessen_unicode.txt", "zv_2021_wetteraukreis.md",
                                                              "zv_2024_kassel_layout.txt"), 60),
        "DOCX (Word-Nummerierung, Tabellen)": (office("zv_2024_kassel.docx", "zv_2023_darmstadt_dieburg.docx"), 15),
        "PDF aus LibreOffice": (office("zv_2024_kassel.pdf", "zv_2023_darmstadt_dieburg.pdf",
                                       "zv_2018_main_kinzig.pdf"), 5),
    }
    with tempfile.TemporaryDirectory() as tmp:
        demo = []
        for i, spec in enumerate(generate_specs(REFERENCE, years=range(2019, 2026))[:30]):
            path = write_pdf(spec, Path(tmp) / f"zv_{i}.pdf", REFERENCE)
            demo.append((path.name, path.read_bytes()))
    groups["PDF aus dem Demo-Renderer"] = (demo, 1)
    for label, (docs, repeat) in groups.items():
        rate(docs[:2], parse, 1)  # warm-up: imports, regex compilation
        print(f"{label:45s} {rate(docs, parse, repeat):7.1f} Dokumente/s")
    texts = groups["Text (UTF-16, Markdown, pdftotext -layout)"][0] + [
        ("seed.txt", (ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt").read_bytes())]
    new_text = rate(texts, lambda n, d: extract(n, d, 20 * MB), 40)
    old_text = rate(texts, old_text_lines, 40)
    print(f"{'Text nur Extraktion (neu / alt)':45s} {new_text:7.1f} Dokumente/s   "
          f"(alt: {old_text:.1f}/s; Verhältnis {new_text / old_text:.2f})")
    pdfs = groups["PDF aus LibreOffice"][0] + demo
    new = rate(pdfs, parse, 2)
    old = rate(pdfs, pypdf_text, 2)
    print(f"{'PDF gesamt: PDFium + Parser':45s} {new:7.1f} Dokumente/s   "
          f"(nur pypdf-Text, alt: {old:.1f}/s; Verhältnis {new / old:.2f})")
    if "--no-ocr" in sys.argv:
        return
    scan = (OFFICE / "zv_2025_offenbach_scan.pdf").read_bytes()
    start = time.perf_counter()
    cpu_start = os.times()
    pages, confidence = ocr_pdf("scan.pdf", scan)
    cpu = os.times()
    elapsed = time.perf_counter() - start
    tesseract_cpu = (cpu.children_user + cpu.children_system) - (cpu_start.children_user + cpu_start.children_system)
    own_cpu = (cpu.user + cpu.system) - (cpu_start.user + cpu_start.system)
    print(f"OCR (Tesseract deu, 300 dpi): {elapsed / len(pages):5.1f} s/Seite Wanduhr, "
          f"{(tesseract_cpu + own_cpu) / len(pages):5.1f} s/Seite CPU ({len(pages)} Seiten, Konfidenz {confidence:.1f})")


if __name__ == "__main__":
    main()
