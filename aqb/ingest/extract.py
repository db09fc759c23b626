"""Turn a document file (txt/md, PDF, DOCX, scanned PDF) into numbered text lines, refusing what is not one.

Each format has its module (extract_text, extract_pdf, extract_docx, ocr); they hand back items per
page — a plain line, or a table row as a tuple of cells — which are normalised here into Lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from aqb.errors import DocumentRefused
from aqb.ingest.extract_docx import MAX_DOCX_RATIO, MAX_DOCX_UNPACKED_BYTES, docx_pages  # noqa: F401
from aqb.ingest.extract_pdf import MAX_PDF_PAGES, pdf_pages  # noqa: F401
from aqb.ingest.extract_text import decode_text, text_page_items
from aqb.ingest.layout import Item
from aqb.ingest.normalize import SOFT_HYPHEN, normalize_text

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class Line:
    """One line of document text with its 1-based page and line number (line counts per page).

    A row of a table has its cells in ``cells`` and ``text`` = the cells joined by " | ".
    """

    page: int
    number: int
    text: str
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractedText:
    file_name: str
    file_format: str
    sha256: str
    pages: tuple[tuple[Line, ...], ...]
    is_ocr: bool = False
    ocr_confidence: float | None = None  # mean Tesseract word confidence, 0–100
    warnings: tuple[str, ...] = field(default=())


def sniff_format(file_name: str, data: bytes) -> str:
    """The document format by content, cross-checked with the file name's suffix."""
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentRefused(
            file_name, f"Dateityp „{suffix or 'ohne Endung'}“ wird nicht unterstützt (erlaubt: PDF, DOCX, TXT, MD)."
        )
    if not data.strip():
        raise DocumentRefused(file_name, "Datei ist leer.")
    is_pdf = data[:1024].lstrip().startswith(b"%PDF-")
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix == ".pdf":
        if not is_pdf:
            raise DocumentRefused(file_name, "Endung .pdf, aber der Inhalt ist keine PDF-Datei.")
        return "pdf"
    if suffix == ".docx":
        if not is_zip:
            raise DocumentRefused(file_name, "Endung .docx, aber der Inhalt ist kein Word-Dokument (DOCX).")
        return "docx"
    is_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if is_pdf or is_zip or (b"\x00" in data[:8192] and not is_utf16):
        raise DocumentRefused(file_name, "Binärdatei: als Textdatei (.txt/.md) erwartet.")
    return suffix.lstrip(".")


def _line_text(text: str, normalized: bool = False) -> str:
    text = (text if normalized else normalize_text(text)).rstrip()
    if SOFT_HYPHEN not in text:
        return text
    # A soft hyphen where the line breaks splits a word; textclean re-joins "…-" + lower case.
    if text.endswith(SOFT_HYPHEN):
        text = text[:-1] + "-"
    return text.replace(SOFT_HYPHEN, "")


def to_lines(raw_pages: list[list[Item]], normalized: bool = False) -> tuple[tuple[Line, ...], ...]:
    """Items per page as numbered, normalised Lines (``normalized``: the plain lines already are)."""
    pages = []
    for page_no, items in enumerate(raw_pages, start=1):
        lines: list[Line] = []
        for item in items:
            if isinstance(item, tuple):
                cells = tuple(normalize_text(c).replace(SOFT_HYPHEN, "").strip() for c in item)
                lines.append(Line(page_no, len(lines) + 1, CELL_SEPARATOR.join(cells), cells))
                continue
            for part in item.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                lines.append(Line(page_no, len(lines) + 1, _line_text(part, normalized)))
        pages.append(tuple(lines))
    return tuple(pages)


def extract(file_name: str, data: bytes, max_bytes: int) -> ExtractedText:
    """Read ``data`` (the bytes of ``file_name``) into pages of numbered lines.

    Raises DocumentRefused for oversized, empty, binary, mislabelled, password-protected or
    unreadable files, and for scans when Tesseract is not installed.
    """
    if len(data) > max_bytes:
        raise DocumentRefused(
            file_name, f"Datei ist {len(data) / 1048576:.1f} MB groß (höchstens {max_bytes / 1048576:.0f} MB)."
        )
    fmt = sniff_format(file_name, data)
    warnings: tuple[str, ...] = ()
    is_ocr, confidence, normalized = False, None, False
    if fmt == "pdf":
        raw_pages, is_scan = pdf_pages(file_name, data)
        if is_scan:
            from aqb.ingest.ocr import ocr_pdf

            raw_pages, confidence = ocr_pdf(file_name, data)
            is_ocr = True
    elif fmt == "docx":
        raw_pages, warnings = docx_pages(file_name, data)
    else:
        # One pass over the whole text instead of one per line (text files are the bulk of a build).
        text = normalize_text(decode_text(file_name, data))
        raw_pages = [text_page_items(page) for page in text.split("\f")]
        normalized = True
    pages = to_lines(raw_pages, normalized)
    if not any(line.text.strip() for page in pages for line in page):
        if fmt == "pdf":
            raise DocumentRefused(file_name, "PDF enthält keinen Text.")
        raise DocumentRefused(file_name, "Datei enthält keinen Text.")
    return ExtractedText(file_name, fmt, hashlib.sha256(data).hexdigest(), pages, is_ocr, confidence, warnings)
