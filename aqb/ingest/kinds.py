"""Pipeline stage 3: what kind of document this is — an agreement, an amendment of one, or a
letter that is no agreement (refused with a reason that names what it is)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aqb.errors import DocumentRefused
from aqb.ingest.sections import Sections
from aqb.model import AENDERUNG, ZIELVEREINBARUNG

_AMENDMENT = re.compile(
    r"(?P<label>(?:(?P<n>\d{1,2})\.\s*)?(?:Änderung|Nachtrag|Ergänzung)(?:svereinbarung)?(?:\s+Nr\.\s*(?P<n2>\d{1,2}))?"
    r"\s+(?:zur|zu\s+der|der|zum)\s+Zielvereinbarung(?:\s+(?:für\s+das\s+Jahr|über\s+das\s+Jahr))?"
    r"(?:\s+(?P<year>20\d{2})(?![\d.]))?)",
    re.IGNORECASE,
)
_AGREEMENT = re.compile(r"\bZielvereinbarung\b", re.IGNORECASE)
# Other letters of the AQB: the first of these words in the title names what the document is.
_OTHER = [
    (re.compile(r"\b(?:Zuwendungs|Änderungs|Bewilligungs)?bescheid\b", re.IGNORECASE), "ein Zuwendungsbescheid"),
    (re.compile(r"\bVerwendungsnachweis\b", re.IGNORECASE), "ein Verwendungsnachweis"),
    (re.compile(r"\bZwischennachweis\b", re.IGNORECASE), "ein Zwischennachweis"),
    (re.compile(r"\bSehr\s+geehrte[rn]?\b"), "ein Anschreiben"),
]
_TITLE_LINES = 12


@dataclass(frozen=True)
class DocumentKind:
    kind: str  # ZIELVEREINBARUNG | AENDERUNG
    amendment_label: str | None = None  # "1. Änderung der Zielvereinbarung 2024"
    base_year: int | None = None  # the year of the agreement an amendment changes


def classify(file_name: str, sections: Sections) -> DocumentKind:
    """The kind of the document, from the earliest kind word of its title block.

    Raises DocumentRefused for letters that are not agreements ("ist ein Zuwendungsbescheid,
    keine Zielvereinbarung.") and for text that names no Zielvereinbarung at all.
    """
    title_lines = [ln.text for ln in sections.title_block if ln.text][:_TITLE_LINES]
    title = " ".join(title_lines)
    hits: list[tuple[int, str, re.Match]] = []
    amendment = _AMENDMENT.search(title)
    if amendment:
        hits.append((amendment.start(), AENDERUNG, amendment))
    agreement = _AGREEMENT.search(title)
    if agreement:
        hits.append((agreement.start(), ZIELVEREINBARUNG, agreement))
    for pattern, what in _OTHER:
        other = pattern.search(title)
        if other:
            hits.append((other.start(), what, other))
    if not hits:
        if not sections.by_number:
            raise DocumentRefused(file_name, "ist keine Zielvereinbarung (weder Titel „Zielvereinbarung“ noch §-Gliederung).")
        return DocumentKind(ZIELVEREINBARUNG)
    # An amendment's title contains "Zielvereinbarung" too; at the same or a later place it wins.
    hits.sort(key=lambda h: (h[0], h[1] != AENDERUNG))
    _, kind, match = hits[0]
    if kind == AENDERUNG:
        label = re.sub(r"\s+", " ", match.group("label")).strip()
        return DocumentKind(AENDERUNG, label, int(match.group("year")) if match.group("year") else None)
    if kind == ZIELVEREINBARUNG:
        return DocumentKind(ZIELVEREINBARUNG)
    raise DocumentRefused(file_name, f"ist {kind}, keine Zielvereinbarung.")
