"""PDF pages into reading-order items: text runs with their positions, ruled tables, side-by-side columns.

Why PDFium (pypdfium2, Apache-2.0/BSD; the engine Chrome uses): it gives every text run with its
box and every border line of a table, and does so in C++ — about 80 times faster than pdfplumber
(MIT, pure Python on pdfminer.six), which was measured at 0.1 of the old pypdf text extraction's speed
and could not keep the target of 10 PDF documents/s on one core (benchmarks/bench_extract.py).
PyMuPDF would be as fast but is AGPL; pypdf (kept here for the cheap structural checks: encryption,
page count, nesting) gives text without positions, so columns and tables run together. Tables are
found from their border lines (aqb/ingest/pdf_tables.py), as pdfplumber does it.
"""

from __future__ import annotations

import io
import logging
import re
import statistics

from aqb.errors import DocumentRefused
from aqb.ingest.layout import Item, Segment, arrange
from aqb.ingest.normalize import join_wrapped
from aqb.ingest.pdf_tables import Table, find_tables, rules_from_boxes

MAX_PDF_PAGES = 60
PASSWORD_PROTECTED = "PDF ist mit einem Kennwort geschützt und kann nicht geöffnet werden."
UNREADABLE = "PDF nicht lesbar (beschädigt oder kein gültiges PDF)."
# A gap this much wider than the line height separates two columns, not two words of justified text.
COLUMN_GAP_HEIGHTS = 2.2
_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
           AssertionError, ZeroDivisionError, EOFError, NotImplementedError)
_DICT_MARK = re.compile(rb"<<|>>")
# Real PDFs nest dictionaries a few levels deep; parsers need minutes for 100.000 levels.
MAX_DICT_DEPTH = 500
# PDFium marks a hyphen where a line breaks with U+0002.
_LINE_END_HYPHEN = "\x02"


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


# A run of text: (x0, top, x1, bottom, text) in top-down page coordinates.
Run = tuple[float, float, float, float, str]


def _runs(textpage, height: float) -> list[Run]:
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).replace(_LINE_END_HYPHEN, "-").replace("\ufffe", "")
        text = text.replace("\r", " ").replace("\n", " ")
        if text.strip():
            runs.append((left, height - top, right, height - bottom, text))
    return runs


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into visual lines. Run boxes are tight around their glyphs (a hyphen's box is a
    sliver at half height), so a run belongs to a line when its middle lies within the line's span."""
    lines: list[list[Run]] = []
    spans: list[tuple[float, float]] = []
    for run in sorted(runs, key=lambda r: ((r[1] + r[3]) / 2, r[0])):
        middle = (run[1] + run[3]) / 2
        for k in range(len(lines) - 1, max(-1, len(lines) - 3), -1):
            top, bottom = spans[k]
            if top <= middle <= bottom or (run[1] <= (top + bottom) / 2 <= run[3]):
                lines[k].append(run)
                spans[k] = (min(top, run[1]), max(bottom, run[3])) if run[3] - run[1] > (bottom - top) / 2 else (top, bottom)
                break
        else:
            lines.append([run])
            spans.append((run[1], run[3]))
    return [sorted(line, key=lambda r: r[0]) for line in lines]


def _bottom(line: list[Run]) -> float:
    return max(r[3] for r in line)


def _top(line: list[Run]) -> float:
    return min(r[1] for r in line)


def _join_runs(runs: list[Run]) -> str:
    text = ""
    for k, run in enumerate(runs):
        piece = run[4]
        if k and not text.endswith(" ") and not piece.startswith(" "):
            gap = run[0] - runs[k - 1][2]
            # Runs also end at a soft hyphen or a change of font, about 1 pt apart; a space is wider.
            if gap > 0.25 * max(run[3] - run[1], runs[k - 1][3] - runs[k - 1][1]):
                text += " "
        text += piece
    return re.sub(r" {2,}", " ", text).strip()


def _segments(line: list[Run]) -> list[Segment]:
    segments: list[Segment] = []
    current = [line[0]]
    for run in line[1:]:
        if run[0] - current[-1][2] > COLUMN_GAP_HEIGHTS * (run[3] - run[1]):
            segments.append((current[0][0], current[-1][2], _join_runs(current)))
            current = [run]
        else:
            current.append(run)
    segments.append((current[0][0], current[-1][2], _join_runs(current)))
    return segments


def _table_rows(table: Table, runs: list[Run]) -> list[tuple[str, ...]]:
    texts: dict[tuple[int, int], list[Run]] = {}
    for run in runs:
        cell = table.cell_at((run[0] + run[2]) / 2, (run[1] + run[3]) / 2)
        if cell is not None:
            texts.setdefault(cell, []).append(run)
    rows = []
    for r in range(len(table.ys) - 1):
        row = []
        for c in range(len(table.xs) - 1):
            anchor = table.anchor[(r, c)]
            if anchor != (r, c):
                row.append("")  # part of a merged cell whose text sits in its top-left cell
                continue
            row.append(join_wrapped([_join_runs(line) for line in _lines(texts.get(anchor, []))]))
        if any(row):
            rows.append(tuple(row))
    return rows


def _text_items(lines: list[list[Run]]) -> list[Item]:
    """Plain lines (with a blank row where a paragraph ends) in reading order, columns split."""
    steps = [_bottom(b) - _bottom(a) for a, b in zip(lines, lines[1:])]
    step = statistics.median(steps) if steps else 0
    rows: list[list[Segment]] = []
    for k, line in enumerate(lines):
        if k and step and _bottom(line) - _bottom(lines[k - 1]) > 1.5 * step:
            rows.append([])
        rows.append(_segments(line))
    return arrange(rows, tol=6)


def page_items(page) -> tuple[list[Item], bool, bool]:
    """One PDFium page as items in reading order, whether it has text, and whether it has images."""
    import pypdfium2.raw as pdfium_c

    height = page.get_height()
    textpage = page.get_textpage()
    try:
        has_text = textpage.count_chars() > 0
        runs = _runs(textpage, height) if has_text else []
    finally:
        textpage.close()
    boxes = []
    has_images = False
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            has_images = True
            continue
        left, bottom, right, top = obj.get_bounds()
        boxes.append((left, height - top, right, height - bottom))
    tables = find_tables(rules_from_boxes(boxes)) if boxes else []
    placed: list[tuple[float, list[Item]]] = []
    outside = runs
    for table in tables:
        x0, top, x1, bottom = table.bbox
        inside = [r for r in outside if x0 <= (r[0] + r[2]) / 2 <= x1 and top <= (r[1] + r[3]) / 2 <= bottom]
        outside = [r for r in outside if r not in inside]
        placed.append((top, _table_rows(table, inside)))
    # Text between tables is one flow each, so a blank row or a column never spans a table.
    cuts = [t.bbox[1] for t in tables] + [float("inf")]
    lines = _lines(outside)
    start = 0
    for cut in cuts:
        end = start
        while end < len(lines) and _top(lines[end]) < cut:
            end += 1
        if end > start:
            placed.append((_top(lines[start]), _text_items(lines[start:end])))
        start = end
    placed.sort(key=lambda p: p[0])
    return [item for _, items in placed for item in items], has_text, has_images


def pdf_pages(file_name: str, data: bytes) -> tuple[list[list[Item]], bool]:
    """Items per page, and whether the PDF is a scan (images, no text layer at all)."""
    import pypdfium2

    check_structure(file_name, data)
    pages: list[list[Item]] = []
    any_text = any_images = False
    try:
        pdf = pypdfium2.PdfDocument(data, password="")
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentRefused(file_name, PASSWORD_PROTECTED) from None
        raise DocumentRefused(file_name, UNREADABLE) from None
    try:
        for index in range(min(len(pdf), MAX_PDF_PAGES)):
            page = pdf[index]
            try:
                items, has_text, has_images = page_items(page)
            finally:
                page.close()
            pages.append(items)
            any_text |= has_text
            any_images |= has_images
    except pypdfium2.PdfiumError:
        raise DocumentRefused(file_name, UNREADABLE) from None
    finally:
        pdf.close()
    return pages, any_images and not any_text
