"""Scanned (image-only) PDFs read by Tesseract with German data: pages rendered by pypdfium2,
words and their confidences from pytesseract, lines arranged like PDF text (columns, tables)."""

from __future__ import annotations

import os
import re
import shutil
import statistics

from aqb.errors import DocumentRefused
from aqb.ingest.layout import Item, Segment, arrange

NOT_INSTALLED = ("Gescanntes PDF: Texterkennung (Tesseract) ist nicht installiert – "
                 "apt-get install tesseract-ocr tesseract-ocr-deu")
NO_GERMAN = ("Gescanntes PDF: deutsche Sprachdaten für die Texterkennung fehlen – "
             "apt-get install tesseract-ocr-deu")
# OCR costs seconds per page; an agreement has 3–6 pages, so more is refused rather than waited for.
MAX_OCR_PAGES = 12
OCR_DPI = 300
PAGE_TIMEOUT_S = 180
COLUMN_GAP_HEIGHTS = 2.5


# Tesseract reads "§" as "8", "s", "S" or "$": "§ 4" becomes "84", "s1" or "8 6 Zielsteuerung".
_SECTION_AT_START = re.compile(r"^(?:8|s|S|\$|SS|§§?)\s?([1-9])(?=$|\s+[A-ZÄÖÜ])")
_SECTION_IN_TEXT = re.compile(r"\b(in|des|nach|gemäß|laut|von)\s+(?:8|\$|S)\s?([1-9])\b(?!\.\d)")


def repair_line(text: str) -> str:
    """Undo Tesseract's usual misreadings of the paragraph sign."""
    text = _SECTION_AT_START.sub(r"§ \1", text)
    return _SECTION_IN_TEXT.sub(r"\1 § \2", text)


def tesseract_ready(file_name: str) -> None:
    """Refuse with how to install it when Tesseract or its German data are missing."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise DocumentRefused(file_name, NOT_INSTALLED)
    try:
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError):
        raise DocumentRefused(file_name, NOT_INSTALLED) from None
    if "deu" not in languages:
        raise DocumentRefused(file_name, NO_GERMAN)


def _page_rows(data: dict) -> tuple[list[list[Segment]], list[float]]:
    """Tesseract's words grouped by its lines (block, paragraph, line), blank rows between paragraphs."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    confidences: list[float] = []
    for k, text in enumerate(data["text"]):
        if not text.strip():
            continue
        conf = float(data["conf"][k])
        if conf >= 0:
            confidences.append(conf)
        lines.setdefault((data["block_num"][k], data["par_num"][k], data["line_num"][k]), []).append(k)
    rows: list[list[Segment]] = []
    last_par = None
    for key in sorted(lines, key=lambda key: (key, )):
        words = sorted(lines[key], key=lambda k: data["left"][k])
        if last_par is not None and key[:2] != last_par:
            rows.append([])
        last_par = key[:2]
        height = statistics.median(data["height"][k] for k in words)
        segments: list[Segment] = []
        current: list[int] = []
        for k in words:
            if current and data["left"][k] - (data["left"][current[-1]] + data["width"][current[-1]]) > COLUMN_GAP_HEIGHTS * height:
                segments.append(_segment(data, current))
                current = []
            current.append(k)
        segments.append(_segment(data, current))
        rows.append(segments)
    return rows, confidences


def _segment(data: dict, words: list[int]) -> Segment:
    last = words[-1]
    return (float(data["left"][words[0]]), float(data["left"][last] + data["width"][last]),
            " ".join(data["text"][k] for k in words))


def ocr_pdf(file_name: str, data: bytes) -> tuple[list[list[Item]], float]:
    """Items per page of a scanned PDF and the mean word confidence (0–100)."""
    import pypdfium2
    import pytesseract

    tesseract_ready(file_name)
    # Tesseract's OpenMP threads make one page several times slower on a busy machine; pages are
    # read one after the other, one core each, which is also what the sandbox's CPU limit expects.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise DocumentRefused(file_name, "PDF nicht lesbar (beschädigt oder kein gültiges PDF).") from None
    try:
        if len(pdf) > MAX_OCR_PAGES:
            raise DocumentRefused(
                file_name, f"Gescanntes PDF hat {len(pdf)} Seiten (Texterkennung für höchstens {MAX_OCR_PAGES})."
            )
        pages: list[list[Item]] = []
        confidences: list[float] = []
        for index in range(len(pdf)):
            image = pdf[index].render(scale=OCR_DPI / 72, grayscale=True).to_pil()
            try:
                words = pytesseract.image_to_data(
                    image, lang="deu", config="--psm 3", output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_S
                )
            except RuntimeError:  # pytesseract's timeout
                raise DocumentRefused(file_name, "Texterkennung abgebrochen: Seite zu aufwendig.") from None
            rows, page_conf = _page_rows(words)
            confidences.extend(page_conf)
            items = arrange(rows, tol=OCR_DPI / 72 * 6)
            pages.append([repair_line(i) if isinstance(i, str) else i for i in items])
    finally:
        pdf.close()
    if not confidences:
        raise DocumentRefused(file_name, "Gescanntes PDF: die Texterkennung hat keinen Text gefunden.")
    return pages, round(statistics.fmean(confidences), 1)
