"""Turn a document file (txt/md, PDF, DOCX) into numbered text lines, refusing what is not one."""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from aqb.errors import DocumentRefused

TEXT_SUFFIXES = {".txt", ".md"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx"}
# A DOCX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_DOCX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_DOCX_RATIO = 200
MAX_PDF_PAGES = 60


@dataclass(frozen=True)
class Line:
    """One line of document text with its 1-based page and line number (line counts per page)."""

    page: int
    number: int
    text: str


@dataclass(frozen=True)
class ExtractedText:
    file_name: str
    file_format: str
    sha256: str
    pages: tuple[tuple[Line, ...], ...]


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
    if is_pdf or is_zip or b"\x00" in data[:8192]:
        raise DocumentRefused(file_name, "Binärdatei: als Textdatei (.txt/.md) erwartet.")
    return suffix.lstrip(".")


def decode_text(file_name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; anything else is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise DocumentRefused(file_name, "Zeichenkodierung nicht lesbar (erwartet UTF-8 oder Windows-1252).") from None
    # Control characters other than whitespace mean this was not text in the first place.
    if re.search(r"[\x00-\x08\x0e-\x1f]", text):
        raise DocumentRefused(file_name, "Binärdatei: enthält Steuerzeichen statt Text.")
    return text


def _split_pages(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\f")


def _pdf_pages(file_name: str, data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs recoverable oddities; they are not the user's business.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRefused(file_name, "PDF ist verschlüsselt.")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentRefused(file_name, f"PDF hat {len(reader.pages)} Seiten (höchstens {MAX_PDF_PAGES}).")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, ZeroDivisionError):
        raise DocumentRefused(file_name, "PDF nicht lesbar (beschädigt oder kein gültiges PDF).") from None
    if not "".join(pages).strip():
        raise DocumentRefused(file_name, "PDF enthält keinen Text (gescanntes Bild?); nur Text-PDFs werden gelesen.")
    return pages


def _check_zip(file_name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentRefused(file_name, "DOCX ist beschädigt (kein gültiges ZIP-Archiv).") from None
    if "word/document.xml" not in names:
        raise DocumentRefused(file_name, "ZIP-Archiv, aber kein Word-Dokument (word/document.xml fehlt).")
    bomb = DocumentRefused(file_name, "DOCX entpackt sich ungewöhnlich groß (ZIP-Bombe?) und wird abgelehnt.")
    if total > MAX_DOCX_UNPACKED_BYTES or total / packed > MAX_DOCX_RATIO:
        raise bomb
    # The sizes in the zip headers can lie: count what actually comes out, and stop early.
    unpacked = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1 << 16):
                        unpacked += len(chunk)
                        if unpacked > MAX_DOCX_UNPACKED_BYTES or unpacked / packed > MAX_DOCX_RATIO:
                            raise bomb
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise DocumentRefused(file_name, "DOCX ist beschädigt (kein gültiges ZIP-Archiv).") from None


def _docx_pages(file_name: str, data: bytes) -> list[str]:
    _check_zip(file_name, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise DocumentRefused(file_name, f"DOCX nicht lesbar ({type(exc).__name__}).") from None
    except Exception as exc:  # lxml raises its own XMLSyntaxError family
        if type(exc).__module__.startswith("lxml"):
            raise DocumentRefused(file_name, "DOCX nicht lesbar (fehlerhaftes XML).") from None
        raise
    lines: list[str] = []
    number_counter = 0
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        text = paragraph.text
        # Word keeps bullets and numbers in the style, not in the text.
        if style.startswith("List Bullet") and text.strip():
            text = "- " + text
        elif style.startswith("List Number") and text.strip():
            number_counter += 1
            text = f"{number_counter}. " + text
        lines.extend(text.split("\n"))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(cell.text.split("\n"))
    return ["\n".join(lines)]


def extract(file_name: str, data: bytes, max_bytes: int) -> ExtractedText:
    """Read ``data`` (the bytes of ``file_name``) into pages of numbered lines.

    Raises DocumentRefused for oversized, empty, binary, mislabelled or unreadable files.
    """
    if len(data) > max_bytes:
        raise DocumentRefused(
            file_name, f"Datei ist {len(data) / 1048576:.1f} MB groß (höchstens {max_bytes / 1048576:.0f} MB)."
        )
    fmt = sniff_format(file_name, data)
    if fmt == "pdf":
        raw_pages = _pdf_pages(file_name, data)
    elif fmt == "docx":
        raw_pages = _docx_pages(file_name, data)
    else:
        raw_pages = _split_pages(decode_text(file_name, data))
    pages = []
    for page_no, raw in enumerate(raw_pages, start=1):
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        pages.append(tuple(Line(page_no, i, t) for i, t in enumerate(raw.split("\n"), start=1)))
    if not any(line.text.strip() for page in pages for line in page):
        raise DocumentRefused(file_name, "Datei enthält keinen Text.")
    return ExtractedText(file_name, fmt, hashlib.sha256(data).hexdigest(), tuple(pages))
