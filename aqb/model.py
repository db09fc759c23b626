"""Plain data classes for what a Zielvereinbarung says, with the source of every value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SourceRef:
    """Where a value was read: 1-based page and line, and the sentence or line it came from."""

    page: int
    line: int
    snippet: str


@dataclass(frozen=True)
class Project:
    measure_type_code: int
    name: str
    position: int  # 1-based order within the whole § 5 list
    source: SourceRef
    amount_cents: int | None = None  # only where § 5 names an amount for the project


@dataclass(frozen=True)
class Signature:
    side: str  # "ministry" or "partner"
    place: str | None
    signed_date: date | None
    name: str | None
    role: str | None
    source: SourceRef


@dataclass(frozen=True)
class ParsedAgreement:
    """One parsed document. Money is integer cents; ``sources`` maps field -> SourceRef."""

    file_name: str
    sha256: str
    file_format: str  # txt, md, pdf, docx
    agreement_year: int
    partner_ags: str
    partner_name: str
    partner_kind: str
    budget_cents: int
    ministry_name: str | None
    projects: tuple[Project, ...]
    signatures: tuple[Signature, ...]
    warnings: tuple[str, ...]
    sources: dict[str, SourceRef]
    is_demo: bool
    parser_version: str
    page_count: int = 1
    categories_seen: tuple[int, ...] = field(default=())

    @property
    def status(self) -> str:
        """'unterzeichnet' when both sides signed with a date, else 'entwurf'."""
        dated = [s for s in self.signatures if s.signed_date is not None]
        sides = {s.side for s in dated}
        return "unterzeichnet" if {"ministry", "partner"} <= sides else "entwurf"

    @property
    def status_date(self) -> date | None:
        dates = [s.signed_date for s in self.signatures if s.signed_date is not None]
        return max(dates) if dates and self.status == "unterzeichnet" else None


@dataclass(frozen=True)
class SignatureSpec:
    """What a generated document's signature block says."""

    place: str
    signed_date: date
    name: str
    role: str


@dataclass(frozen=True)
class AgreementSpec:
    """What a generated agreement document (demo corpus, tests) is meant to say.

    ``projects`` are (measure_type_code, name) in document order; ``signatures`` are
    ministry first, partner second.
    """

    year: int
    partner_ags: str
    budget_cents: int
    ministry_name: str
    projects: tuple[tuple[int, str], ...]
    signatures: tuple[SignatureSpec, ...]
    is_demo: bool = True
