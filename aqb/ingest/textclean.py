"""Undo what PDF text extraction and Markdown do to a document: furniture, hyphens, emphasis."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from aqb.ingest.extract import Line
from aqb.ingest.extract_text import strip_emphasis

_PAGE_NUMBER = re.compile(
    r"^\s*(?:Seite\s+\d{1,3}(?:\s*(?:von|/)\s*\d{1,3})?|[-–]?\s*\d{1,3}\s*[-–]?|\d{1,3}\s*/\s*\d{1,3})\s*$",
    re.IGNORECASE,
)
_CONJUNCTIONS = ("und ", "oder ", "bzw.", "sowie ", "bis ")
_EMPHASIS = re.compile(r"\*\*")


@dataclass(frozen=True)
class CleanLine:
    """A logical line: its text and where it starts in the document."""

    page: int
    number: int
    text: str
    indent: int
    cells: tuple[str, ...] = ()  # a table row's cells (Line.cells), text = cells joined by " | "


_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BULLET_CHARS = "•▪◦·‣"


def _tidy(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", "    ")
    text = text.replace("\u00ad", "")  # soft hyphen
    # The cheap membership tests first: most lines have no Markdown at all (hot path for text files).
    if "*" in text or "__" in text:
        text = _EMPHASIS.sub("", strip_emphasis(text))
    if "#" in text:
        text = _MD_HEADING.sub("", text)
    return text.rstrip()


EDGE_LINES = 2
_SECTION_HEADING = re.compile(r"^§\s*\d")


def _furniture(pages: tuple[tuple[Line, ...], ...]) -> set[str]:
    """Lines that repeat at the top or bottom of several pages: running headers and footers."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        # Table rows are never furniture: a header row repeated after a page break belongs to the table.
        texts = [_tidy(line.text).strip() for line in page if line.text.strip() and not line.cells]
        edge = set(texts[:EDGE_LINES] + texts[-EDGE_LINES:])
        # "§ 4" opening one page and "§ 7" another are headings, not a running header.
        counts.update(re.sub(r"\d+", "#", t) for t in edge if not _SECTION_HEADING.match(t))
    return {key for key, n in counts.items() if n >= 2}


def _edge_numbers(page: tuple[Line, ...]) -> set[int]:
    """Line numbers of the first and last EDGE_LINES non-empty lines: where furniture sits."""
    numbers = [line.number for line in page if line.text.strip() and not line.cells]
    return set(numbers[:EDGE_LINES] + numbers[-EDGE_LINES:])


def clean_lines(pages: tuple[tuple[Line, ...], ...]) -> list[CleanLine]:
    """Flatten pages into logical lines without page furniture, emphasis or end-of-line hyphens.

    Blank lines are kept (as empty text) because they separate paragraphs where they survive.
    """
    furniture = _furniture(pages)
    out: list[CleanLine] = []
    for page in pages:
        edge = _edge_numbers(page) if furniture else set()
        for line in page:
            if line.cells:
                cells = tuple(_tidy(c).strip() for c in line.cells)
                out.append(CleanLine(line.page, line.number, " | ".join(cells), 0, cells))
                continue
            text = _tidy(line.text)
            stripped = text.strip()
            repeated = line.number in edge and re.sub(r"\d+", "#", stripped) in furniture
            if stripped and (_PAGE_NUMBER.match(stripped) or repeated):
                continue
            indent = len(text) - len(text.lstrip(" "))
            out.append(CleanLine(line.page, line.number, stripped, indent))
    return _dehyphenate(_reattach_bullets(out))


_LONE_BULLET = re.compile(r"^[•▪◦·‣]$")
_TRAILING_BULLET = re.compile(r"\s+([•▪◦·‣])$")


def _reattach_bullets(lines: list[CleanLine]) -> list[CleanLine]:
    """PDF list items sometimes come out as a lone '•' line, or with the '•' at the end of the
    line before; move the bullet back in front of its item."""
    result: list[CleanLine] = []
    carry = None
    for line in lines:
        if line.cells:
            result.append(line)
            continue
        text = line.text
        if not carry and not (text and text[-1] in _BULLET_CHARS):
            result.append(line)
            continue
        if _LONE_BULLET.match(text):
            carry = text
            continue
        if carry and text:
            text = f"{carry} {text}"
            carry = None
        trailing = _TRAILING_BULLET.search(text)
        if trailing:
            carry = trailing.group(1)
            text = text[: trailing.start()]
        result.append(CleanLine(line.page, line.number, text, line.indent, line.cells))
    return result


def _dehyphenate(lines: list[CleanLine]) -> list[CleanLine]:
    result: list[CleanLine] = []
    i = 0
    while i < len(lines):
        current = lines[i]
        while (
            not current.cells
            and current.text.endswith("-")
            and re.search(r"[A-Za-zÄÖÜäöüß]-$", current.text)
            and i + 1 < len(lines)
            and not lines[i + 1].cells
            and lines[i + 1].text
            and lines[i + 1].text[0].isalpha()
        ):
            nxt = lines[i + 1].text
            if nxt.startswith(_CONJUNCTIONS):
                joined = current.text + " " + nxt  # "Ausbildungs- und …" keeps its hyphen
            elif nxt[0].islower():
                joined = current.text[:-1] + nxt  # "Ausbildungs-" + "vorbereitung"
            else:
                joined = current.text + nxt  # "Main-" + "Kinzig-Kreis"
            current = CleanLine(current.page, current.number, joined, current.indent)
            i += 1
        result.append(current)
        i += 1
    return result
