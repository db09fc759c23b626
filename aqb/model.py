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
    provider: str | None = None  # the Träger, where § 5 is a table that names one


SURE, CHECK = "sicher", "zu prüfen"


@dataclass(frozen=True)
class Confidence:
    """How sure the parser is of one value: ``sicher`` or ``zu prüfen`` with the reason."""

    level: str  # SURE | CHECK
    reason: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """One amount § 4 names, with its programme and its role in the budget.

    ``role``: ``gesamt`` (the amount § 4 calls the total), ``davon`` (a part of the total or of the
    line before), ``zusaetzlich`` (added to the total), ``teil`` (one of several amounts without a
    total; together they are the budget). See aqb/ingest/budget.py for the rule.
    """

    programme: str  # AQB | ARBEITSMARKTBUDGET | AUSBILDUNGSBUDGET | TEILZEITAUSBILDUNG | MIGRATION | ESF
    role: str
    amount_cents: int
    source: SourceRef
    is_part_of_budget: bool = True  # one of the summands of budget_cents (davon-lines are not)


ZIELVEREINBARUNG, AENDERUNG = "zielvereinbarung", "aenderung"


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
    document_kind: str = ZIELVEREINBARUNG  # ZIELVEREINBARUNG | AENDERUNG
    amendment_label: str | None = None  # "1. Änderung der Zielvereinbarung 2024"
    budget_lines: tuple[BudgetLine, ...] = ()
    # An amendment names only what changes: no budget / no projects means "unchanged".
    has_budget: bool = True
    has_projects: bool = True
    confidence: dict[str, Confidence] = field(default_factory=dict)
    # Cross-checks that do not hold: the document is refused by `aqb ingest`, and an upload can
    # only be confirmed after staff ticked that they looked at these values.
    blocking: tuple[str, ...] = ()
    is_ocr: bool = False
    confirmed_by: str | None = None  # staff who looked at the „zu prüfen“ values in the upload review

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
