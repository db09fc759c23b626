"""Pipeline stage 4b: § 5 written as a table (Maßnahmenart | Projekt | Träger | Betrag).

A row is a line with cells (``CleanLine.cells`` from the extractor, or "a | b | c" text as
Markdown and the extractors write it). Header rows — also repeated after a page break — and
sum rows ("Summe", "Gesamt", "insgesamt") are skipped; an empty Maßnahmenart cell on a
continuation row inherits the one above; only the project cell becomes a project name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aqb.ingest.money import find_amounts, parse_plain_number
from aqb.ingest.partners import normalize
from aqb.ingest.sourceref import ref
from aqb.ingest.textclean import CleanLine
from aqb.model import Project

_HEADER_WORDS = {
    "measure": re.compile(r"^(?:maßnahmen?art|massnahmen?art|maßnahmenbereich|förderbereich|bereich)\b", re.I),
    "project": re.compile(r"^(?:projekt(?:name|bezeichnung|titel)?|maßnahme|bezeichnung)\b", re.I),
    "provider": re.compile(r"^(?:träger(?:in)?|projektträger|durchführende?r?)\b", re.I),
    "amount": re.compile(r"^(?:betrag|summe|mittel|fördersumme|budget|euro|€|kosten)\b", re.I),
}
_SUM_ROW = re.compile(r"^(?:summe|gesamt|insgesamt|zwischensumme|gesamtsumme)\b", re.I)
_SEPARATOR_ROW = re.compile(r"^[\s|:\-–—=+]+$")
_NUMBER_ONLY = re.compile(r"^(?P<num>[1-9])\s*[.)]?$")
_LEADING_NUMBER = re.compile(r"^(?P<num>[1-9])\s*[.)]\s*(?P<text>.*)$")


@dataclass
class TableRead:
    projects: list[tuple[int, str, str | None, int | None, CleanLine]]  # code, name, provider, cents, line
    categories: list[int]
    sum_rows: list[tuple[int, CleanLine]]  # amounts of "Summe" rows, for the cross-check
    warnings: list[str]


def cells_of(line: CleanLine) -> tuple[str, ...]:
    """The cells of a table row, or () when the line is no table row."""
    cells = getattr(line, "cells", ()) or ()
    if cells:
        return tuple(c.strip() for c in cells)
    text = line.text
    if text.count("|") < 1 or _SEPARATOR_ROW.match(text):
        return ()
    parts = [c.strip() for c in text.strip().strip("|").split("|")]
    return tuple(parts) if len(parts) >= 2 else ()


def is_table_row(line: CleanLine) -> bool:
    return bool(cells_of(line)) or bool(line.text and "|" in line.text and _SEPARATOR_ROW.match(line.text))


def _header_columns(cells: tuple[str, ...]) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(cells):
        for column, pattern in _HEADER_WORDS.items():
            if column not in columns and pattern.match(cell):
                columns[column] = index
                break
    return columns if "project" in columns and len(columns) >= 2 else None


def _default_columns(width: int) -> dict[str, int]:
    if width >= 4:
        return {"measure": 0, "project": 1, "provider": 2, "amount": width - 1}
    if width == 3:
        return {"measure": 0, "project": 1, "amount": 2}
    return {"project": 0, "amount": 1}


def _cents(cell: str) -> int | None:
    found = find_amounts(cell)
    if found:
        return found[0].cents
    return parse_plain_number(cell.replace("€", "").replace("Euro", "").strip())


def read_table(lines: list[CleanLine], measure_types, match_category) -> TableRead:
    """Projects from the table rows among ``lines``; ``match_category(text, following, types)``
    maps a Maßnahmenart cell to its code (the same matcher the list form uses)."""
    result = TableRead([], [], [], [])
    columns: dict[str, int] | None = None
    current: int | None = None
    for line in lines:
        cells = cells_of(line)
        if not cells:
            continue
        header = _header_columns(cells)
        if header:
            columns = header  # a repeated header after a page break changes nothing
            continue
        cols = columns or _default_columns(len(cells))

        def cell(name: str) -> str:
            index = cols.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        if any(_SUM_ROW.match(c) for c in cells if c):
            cents = _cents(cell("amount")) or next((_cents(c) for c in reversed(cells) if _cents(c)), None)
            if cents is not None:
                result.sum_rows.append((cents, line))
            continue
        measure = cell("measure")
        if measure:
            code = _measure_code(measure, measure_types, match_category)
            if code is None:
                result.warnings.append(f"Maßnahmenart „{measure}“ in der Tabelle von § 5 nicht erkannt.")
            else:
                current = code
                if code not in result.categories:
                    result.categories.append(code)
        name = re.sub(r"\s+", " ", cell("project")).strip()
        if not name:
            continue
        if current is None:
            result.warnings.append(f"Projekt ohne Maßnahmenart übergangen: „{name}“.")
            continue
        provider = re.sub(r"\s+", " ", cell("provider")).strip() or None
        amount_text = cell("amount")
        cents = _cents(amount_text) if amount_text else None
        if amount_text and cents is None:
            result.warnings.append(f"Betrag „{amount_text}“ zu Projekt „{name}“ nicht lesbar.")
        result.projects.append((current, name, provider, cents, line))
    return result


def _measure_code(text: str, measure_types, match_category) -> int | None:
    number = _NUMBER_ONLY.match(text)
    if number:
        code = int(number.group("num"))
        return code if any(mt.code == code for mt in measure_types) else None
    leading = _LEADING_NUMBER.match(text)
    words = leading.group("text") if leading else text
    code, _ = match_category(words, [], measure_types)
    if code is None and leading:
        code = int(leading.group("num"))
        return code if any(mt.code == code for mt in measure_types) else None
    return code


def to_projects(read: TableRead, first_position: int) -> list[Project]:
    return [
        Project(code, name, first_position + k, ref(line, line.text), cents, provider)
        for k, (code, name, provider, cents, line) in enumerate(read.projects)
    ]


__all__ = ["TableRead", "cells_of", "is_table_row", "normalize", "read_table", "to_projects"]
