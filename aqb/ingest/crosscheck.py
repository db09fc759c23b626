"""Pipeline stage 5: cross-check what the field readers found, and say how sure each value is.

What does not hold is *blocking*: `aqb ingest`/`build` refuse the document with the reason, the
upload review marks the value „zu prüfen“ and asks staff to tick that they looked at it. A value
read by OCR is always „zu prüfen“ (never blocking by itself: staff confirm it in the review).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aqb.fmt import euro_from_cents
from aqb.ingest.budget import BudgetReading
from aqb.model import CHECK, SURE, Confidence, Project, Signature

OCR_REASON = "per Texterkennung gelesen"


@dataclass
class Findings:
    """What the readers saw that a cross-check needs."""

    year: int
    title_year: int | None
    s4_year: int | None
    partner_ags: str
    partner_name: str
    s4_partner: tuple[str, str] | None  # (ags, official name) that § 4 names, if it names one
    budget: BudgetReading | None  # None: an amendment that leaves the budget as it is
    projects: list[Project]
    category_amounts: dict[int, int]
    table_sums: list[int]
    signatures: list[Signature]
    is_ocr: bool
    ministry_ok: bool = True
    needs_projects: bool = True  # an agreement must name projects; an amendment may leave them unchanged


@dataclass
class Verdict:
    confidence: dict[str, Confidence] = field(default_factory=dict)
    blocking: list[str] = field(default_factory=list)


def cross_check(f: Findings) -> Verdict:
    """Confidence per value (year, partner, budget, signed dates, § 5 amounts) and the blocking reasons."""
    v = Verdict()
    year_reason = ""
    if f.title_year is not None and f.s4_year is not None and f.title_year != f.s4_year:
        year_reason = f"Jahr im Titel ({f.title_year}) und in § 4 ({f.s4_year}) unterscheiden sich."
        v.blocking.append(year_reason)
    elif f.title_year is None:
        year_reason = "Jahr nur in § 4 gefunden, nicht im Titel."
    v.confidence["year"] = Confidence(CHECK if year_reason else SURE, year_reason)

    partner_reason = ""
    if f.s4_partner is not None and f.s4_partner[0] != f.partner_ags:
        partner_reason = f"§ 4 nennt {f.s4_partner[1]}, der Titel {f.partner_name}."
        v.blocking.append(partner_reason)
    v.confidence["partner"] = Confidence(CHECK if partner_reason else SURE, partner_reason)

    if f.budget is not None:
        v.blocking.extend(f.budget.blocking)
        budget_reasons = [f.budget.confidence.reason] if f.budget.confidence.level == CHECK else []
        budget = f.budget.budget_cents or 0
        amounts = [p.amount_cents for p in f.projects]
        if f.projects and all(a is not None for a in amounts) and sum(amounts) != budget:
            reason = (f"Summe der Projektbeträge in § 5 ({euro_from_cents(sum(amounts))}) weicht vom Budget in § 4 "
                      f"({euro_from_cents(budget)}) ab.")
            v.blocking.append(reason)
            budget_reasons.append(reason)
        codes = {p.measure_type_code for p in f.projects} | set(f.category_amounts)
        if f.category_amounts and set(f.category_amounts) >= codes and sum(f.category_amounts.values()) != budget:
            reason = (f"Summe der Beträge je Maßnahmenart in § 5 ({euro_from_cents(sum(f.category_amounts.values()))}) "
                      f"weicht vom Budget in § 4 ({euro_from_cents(budget)}) ab.")
            v.blocking.append(reason)
            budget_reasons.append(reason)
        for total in f.table_sums:
            if total != budget:
                reason = f"Summenzeile in § 5 ({euro_from_cents(total)}) weicht vom Budget in § 4 ({euro_from_cents(budget)}) ab."
                v.blocking.append(reason)
                budget_reasons.append(reason)
        v.confidence["budget"] = Confidence(CHECK if budget_reasons else SURE, " ".join(r for r in budget_reasons if r))
    for total in f.table_sums if f.budget is None else []:
        known = [p.amount_cents for p in f.projects if p.amount_cents is not None]
        if known and sum(known) != total:
            v.blocking.append(f"Summenzeile in § 5 ({euro_from_cents(total)}) weicht von der Summe der Projektbeträge "
                              f"({euro_from_cents(sum(known))}) ab.")
    if f.projects:
        v.confidence["projects"] = Confidence(SURE)
    elif f.needs_projects:
        # The amendment stored as a complete agreement without projects (issue 9) must not recur.
        v.blocking.append("§ 5: keine Projekte gefunden – eine Zielvereinbarung ohne Projekte wird nicht übernommen.")
    for s in f.signatures:
        if s.signed_date is not None:
            off_year = s.signed_date.year not in (f.year, f.year + 1, f.year - 1)
            reason = "Unterschriftsdatum liegt weit außerhalb des Vereinbarungsjahres." if off_year else ""
            v.confidence[f"signed_date_{s.side}"] = Confidence(CHECK if reason else SURE, reason)
    if not f.ministry_ok:
        v.confidence["ministry"] = Confidence(CHECK, "Ministeriumsname passt nicht zum Jahr.")
    if f.is_ocr:
        v.confidence = {
            name: Confidence(CHECK, "; ".join(r for r in (OCR_REASON, c.reason) if r)) for name, c in v.confidence.items()
        }
    return v
