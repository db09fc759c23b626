"""Text files: encodings (UTF-16 with BOM, UTF-8, Windows-1252), Markdown tables, `pdftotext -layout`."""

from __future__ import annotations

import re

from aqb.errors import DocumentRefused
from aqb.ingest.layout import Item, arrange, split_spaced

_MD_ROW = re.compile(r"^\s*\|(?P<body>.*)\|\s*$")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2})(?=[^\s*_])(.+?)(?<=[^\s*_])\1")


def decode_text(file_name: str, data: bytes) -> str:
    """UTF-16 with BOM (Word's "Unicode-Text"), UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # the BOM says which byte order
        except UnicodeDecodeError:
            raise DocumentRefused(file_name, "Zeichenkodierung nicht lesbar (UTF-16 fehlerhaft).") from None
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


_LIST_TAB = re.compile(r"^(\s*(?:\d{1,2}[.)]|§\s*\d{1,2}|[-•–*▪]))\t")
# Word's text export separates table cells by tabs: column k is placed at x = k * _TAB_COLUMN.
_TAB_COLUMN = 1000.0


def _segments(line: str) -> list:
    if "\t" in line:
        cells = line.split("\t")
        return [(k * _TAB_COLUMN, k * _TAB_COLUMN + 1, c) for k, c in enumerate(cells) if c.strip()]
    return split_spaced(line)


def strip_emphasis(text: str) -> str:
    """Markdown **bold**, *italic*, __bold__ → the plain words."""
    return _MD_EMPHASIS.sub(r"\2", text)


def _markdown_cells(line: str) -> tuple[str, ...] | None:
    match = _MD_ROW.match(line)
    if not match:
        return None
    return tuple(strip_emphasis(c.strip()) for c in match.group("body").split("|"))


def text_page_items(page: str) -> list[Item]:
    """One page of a text file as items: Markdown table rows and layout tables become cells, side-by-side
    columns are read one after the other, every other line stays as it is."""
    items: list[Item] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            rows = [_segments(p) for p in pending]
            items.extend(arrange(rows, tol=2, originals=[p.replace("\t", " ") for p in pending]))
            pending.clear()

    for line in page.split("\n"):
        if "|" in line:
            if _MD_SEPARATOR.match(line):
                continue
            cells = _markdown_cells(line)
            if cells is not None:
                flush()
                items.append(cells)
                continue
        pending.append(_LIST_TAB.sub(r"\1 ", line) if "\t" in line else line)
    flush()
    return items
