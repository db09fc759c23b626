"""PDF pages into reading-order items with pdfplumber: word positions, ruled tables, side-by-side columns.

Why pdfplumber: it gives every word with its position and finds ruled tables (Word's and
LibreOffice's § 5 table) with their cells, which is what reading order and the table structure need;
it is MIT-licensed and pure Python on pdfminer.six. PyMuPDF would be faster but is AGPL; pypdf
(still used here for the cheap structural checks: encryption, page count) gives text without
positions, so columns and tables run together.
"""

from __future__ import annotations

import io
import logging
import re
import statistics

from aqb.errors import DocumentRefused
from aqb.ingest.layout import Item, Segment, arrange
from aqb.ingest.normalize import join_wrapped

MAX_PDF_PAGES = 60
PASSWORD_PROTECTED = "PDF ist mit einem Kennwort geschützt und kann nicht geöffnet werden."
UNREADABLE = "PDF nicht lesbar (beschädigt oder kein gültiges PDF)."
# A gap this much wider than the font size separates two columns, not two words of justified text.
COLUMN_GAP_EM = 2.2
_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
           AssertionError, ZeroDivisionError, EOFError, NotImplementedError)


_DICT_MARK = re.compile(rb"<<|>>")
# Real PDFs nest dictionaries a few levels deep; pdfminer needs minutes for 100.000 levels.
MAX_DICT_DEPTH = 500


def _too_deep(data: bytes) -> bool:
    if data.count(b"<<") <= MAX_DICT_DEPTH:
        return False
    depth = 0
    for mark in _DICT_MARK.finditer(data):
        if mark.group() == b"<<":
            depth += 1
            if depth > MAX_DICT_DEPTH:
                return True
        elif depth:
            depth -= 1
    return False


def check_structure(file_name: str, data: bytes) -> int:
    """Page count of a PDF that opens without a password; refuses protected, broken or huge files."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if _too_deep(data):
        raise DocumentRefused(file_name, UNREADABLE)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        # Only an owner password (printing/copying rights) opens with the empty user password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRefused(file_name, PASSWORD_PROTECTED)
        pages = len(reader.pages)
    except DocumentRefused:
        raise
    except (PyPdfError, *_ERRORS):
        raise DocumentRefused(file_name, UNREADABLE) from None
    if pages > MAX_PDF_PAGES:
        raise DocumentRefused(file_name, f"PDF hat {pages} Seiten (höchstens {MAX_PDF_PAGES}).")
    return pages


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into visual lines (same baseline within a third of the font size)."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
        if lines and abs(lines[-1][0]["bottom"] - word["bottom"]) <= max(2.0, word.get("size", 10) / 3):
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _segments(line: list[dict]) -> list[Segment]:
    segments: list[Segment] = []
    current = [line[0]]
    for word in line[1:]:
        size = word.get("size", 10) or 10
        if word["x0"] - current[-1]["x1"] > COLUMN_GAP_EM * size:
            segments.append(_segment(current))
            current = [word]
        else:
            current.append(word)
    segments.append(_segment(current))
    return segments


def _segment(words: list[dict]) -> Segment:
    return (words[0]["x0"], words[-1]["x1"], " ".join(w["text"] for w in words))


def page_items(page) -> list[Item]:
    """One pdfplumber page as items in reading order: plain lines and table rows (tuples of cells)."""
    tables = page.find_tables() if (page.rects or page.lines) else []
    boxes = [t.bbox for t in tables]
    words = page.extract_words(x_tolerance=1.5, y_tolerance=3, extra_attrs=["size"])
    if boxes:
        words = [w for w in words if not _inside(w, boxes)]
    lines = _lines(words)
    # Pieces to place by their top: text rows (with blank rows where a paragraph ends) and tables.
    heights = [b[0]["bottom"] - a[0]["bottom"] for a, b in zip(lines, lines[1:])]
    step = statistics.median(heights) if heights else 0
    placed: list[tuple[float, list[Item]]] = []
    rows: list[list[Segment]] = []
    for k, line in enumerate(lines):
        if k and step and line[0]["bottom"] - lines[k - 1][0]["bottom"] > 1.5 * step:
            rows.append([])
        rows.append(_segments(line))
    # Tables interrupt the text flow: split the text rows at each table's top.
    text_tops = [line[0]["top"] for line in lines]
    cuts = sorted(t.bbox[1] for t in tables)
    start_row = 0
    row_tops = _row_tops(rows, text_tops)
    for cut in cuts + [float("inf")]:
        end_row = start_row
        while end_row < len(rows) and row_tops[end_row] < cut:
            end_row += 1
        if end_row > start_row:
            placed.append((row_tops[start_row], arrange(rows[start_row:end_row], tol=6)))
        start_row = end_row
    for table in tables:
        cells = [tuple(join_wrapped((c or "").split("\n")) for c in row) for row in table.extract()]
        placed.append((table.bbox[1], [row for row in cells if any(row)]))
    placed.sort(key=lambda p: p[0])
    return [item for _, items in placed for item in items]


def _row_tops(rows: list[list[Segment]], text_tops: list[float]) -> list[float]:
    """The top of each row; a blank row takes the top of the row after it."""
    tops: list[float] = []
    k = 0
    for row in rows:
        if row:
            tops.append(text_tops[k])
            k += 1
        else:
            tops.append(text_tops[k] if k < len(text_tops) else float("inf"))
    return tops


def pdf_pages(file_name: str, data: bytes) -> tuple[list[list[Item]], bool]:
    """Items per page, and whether the PDF is a scan (images, no text layer at all)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.psparser import PSException

    check_structure(file_name, data)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages: list[list[Item]] = []
    has_text = has_images = False
    try:
        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for page in pdf.pages[:MAX_PDF_PAGES]:
                if page.chars:
                    has_text = True
                elif page.images:
                    has_images = True
                pages.append(page_items(page))
                page.close()  # frees the page's cached objects
    except PDFPasswordIncorrect:
        raise DocumentRefused(file_name, PASSWORD_PROTECTED) from None
    except (PSException, *_ERRORS):
        raise DocumentRefused(file_name, UNREADABLE) from None
    except Exception as exc:  # pdfminer raises its own exception families (PDFSyntaxError, …)
        if type(exc).__module__.startswith(("pdfminer", "pdfplumber")):
            raise DocumentRefused(file_name, UNREADABLE) from None
        raise
    return pages, has_images and not has_text
