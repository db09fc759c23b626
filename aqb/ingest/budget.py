"""Pipeline stage 4a: the amounts of § 4 as budget lines, and the agreement's budget from them.

The rule (also in the README):
- Every amount with a currency in § 4 is a line with its programme (AQB, Arbeitsmarktbudget,
  Ausbildungsbudget, Teilzeitausbildung, Migration, ESF — from the words after it, else before it)
  and a role from the words before it: ``gesamt`` ("insgesamt", "Gesamtbetrag"), ``davon``
  ("davon", "hiervon", "darin enthalten", "darunter"), ``zusaetzlich`` ("zusätzlich", "darüber
  hinaus", "weitere"), else ``teil``. Amounts joined by "und"/"," after a davon/zusätzlich amount in
  the same sentence take its role ("davon 1.200.000 Euro AQB und 300.000 Euro Arbeitsmarktbudget").
- With a total: budget = total + zusätzlich-lines. davon-lines are parts of the total and must
  not add up to more than it; teil-lines beside a total must add up to it exactly.
- Without a total: budget = sum of teil- and zusätzlich-lines (a single amount is the total;
  the 2018 "AQB und Arbeitsmarktbudget" agreements name two amounts and no total).
- Two different totals, parts that exceed the total, teil-lines that do not add up to it, digits in
  words that say another amount, an amount cut off after digits: blocking (never a silent number).
``is_part_of_budget`` marks the lines whose amounts add up exactly to the budget, so a statewide
sum over those lines never counts a davon-line twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aqb.fmt import euro_from_cents
from aqb.ingest.money import find_amounts, find_amounts_in_words, parse_plain_number
from aqb.ingest.sourceref import JoinedLines, ref, sentence_around
from aqb.ingest.textclean import CleanLine
from aqb.model import CHECK, SURE, BudgetLine, Confidence, SourceRef

GESAMT, DAVON, ZUSAETZLICH, TEIL = "gesamt", "davon", "zusaetzlich", "teil"
_ROLE_WORDS = [
    (GESAMT, re.compile(r"\b(?:insgesamt|Gesamtbetrag|Gesamtsumme|Gesamthöhe|gesamten?\s+Haushaltsmittel)\b", re.I)),
    (DAVON, re.compile(r"\b(?:davon|hiervon|darin\s+enthalten|darunter|wovon)\b", re.I)),
    (ZUSAETZLICH, re.compile(r"\b(?:zusätzlich|darüber\s+hinaus|außerdem|ferner|weitere[n]?)\b", re.I)),
]
_PROGRAMMES = [
    ("TEILZEITAUSBILDUNG", re.compile(r"Teilzeit", re.I)),
    ("MIGRATION", re.compile(r"Migration|Zugewanderte|Geflüchtete", re.I)),
    ("ESF", re.compile(r"\bESF\b|Europäischen\s+Sozialfonds", re.I)),
    ("ARBEITSMARKTBUDGET", re.compile(r"Arbeitsmarktbudget", re.I)),
    ("AUSBILDUNGSBUDGET", re.compile(r"(?<![-\w])Ausbildungsbudget", re.I)),
    ("AQB", re.compile(r"Ausbildungs-\s*und\s+Qualifizierungsbudget|\bAQB\b", re.I)),
]
_SENTENCE_END = re.compile(r"(?<=[^\d\s])[.!?](?:\s|$)")


@dataclass
class BudgetReading:
    budget_cents: int | None
    lines: tuple[BudgetLine, ...]
    part_of_budget: tuple[bool, ...]  # per line: its amount is one of the summands of the budget
    source: SourceRef | None
    confidence: Confidence
    warnings: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)


def _programme(after: str, before: str) -> str:
    for text in (after, before):
        found = [code for code, pattern in _PROGRAMMES if pattern.search(text)]
        if found:
            return found[0]
    return "AQB"


def _role(before: str) -> str | None:
    # The role word nearest to the amount counts ("insgesamt …, davon 50.000 Euro").
    best, best_pos = None, -1
    for role, pattern in _ROLE_WORDS:
        for m in pattern.finditer(before):
            if m.start() > best_pos:
                best, best_pos = role, m.start()
    return best


def read_budget(lines: list[CleanLine], where: str = "§ 4") -> BudgetReading:
    """The budget lines of ``lines`` (the body of § 4) and the budget the rule above gives."""
    joined = JoinedLines(lines)
    text = joined.text
    amounts = find_amounts(text)
    blocking: list[str] = []
    warnings: list[str] = []
    reasons: list[str] = []
    if not amounts:
        for ln in lines:
            cents = parse_plain_number(ln.text)
            # A bare number counts only if it cannot be a year or a paragraph number.
            if cents is not None and cents >= 1_000_000 and not re.fullmatch(r"(?:19|20)\d{2}", ln.text.strip()):
                line = BudgetLine("AQB", GESAMT, cents, ref(ln, sentence_around(text, 0, len(text))))
                return BudgetReading(cents, (line,), (True,), line.source,
                                     Confidence(CHECK, "Betrag ohne Währungsangabe (Euro/€) gelesen."))
        return BudgetReading(None, (), (), None, Confidence(CHECK, "kein Betrag gefunden."))
    budget_lines: list[BudgetLine] = []
    previous_end, previous_role, previous_sentence_end = 0, None, 0
    for k, amount in enumerate(amounts):
        if amount.split:
            blocking.append(
                f"{where}: vor dem Betrag „{amount.text.strip()}“ stehen weitere Ziffern (Trennzeichen nicht erkannt) "
                "– der Betrag ist vermutlich abgeschnitten."
            )
        before = text[previous_end : amount.start]
        sentence_break = bool(_SENTENCE_END.search(before))
        next_start = amounts[k + 1].start if k + 1 < len(amounts) else len(text)
        after = text[amount.end : next_start]
        end_of_sentence = _SENTENCE_END.search(after)
        if end_of_sentence:
            after = after[: end_of_sentence.start()]
        role = _role(before)
        if role is None:
            carries = previous_role in (DAVON, ZUSAETZLICH) and not sentence_break
            role = previous_role if carries else TEIL
        words_programme = _programme(after, before)
        line = joined.line_at(amount.start)
        budget_lines.append(BudgetLine(words_programme, role, amount.cents,
                                       ref(line, sentence_around(text, amount.start, amount.end))))
        previous_end, previous_role = amount.end, role
    _check_words(text, amounts, where, blocking, warnings, reasons)
    totals = {b.amount_cents for b in budget_lines if b.role == GESAMT}
    parts = [b for b in budget_lines if b.role == DAVON]
    extras = [b for b in budget_lines if b.role == ZUSAETZLICH]
    pieces = [b for b in budget_lines if b.role == TEIL]
    if len(totals) > 1:
        blocking.append(f"{where} nennt mehrere Gesamtbeträge ({', '.join(euro_from_cents(c) for c in sorted(totals))}).")
    if totals:
        total = max(totals)
        budget = total + sum(b.amount_cents for b in extras)
        part_of = [b.role in (GESAMT, ZUSAETZLICH) for b in budget_lines]
        if pieces and sum(b.amount_cents for b in pieces) != total:
            blocking.append(
                f"{where}: Gesamtbetrag {euro_from_cents(total)}, aber die einzeln genannten Beträge ergeben "
                f"{euro_from_cents(sum(b.amount_cents for b in pieces))}."
            )
        source = next(b.source for b in budget_lines if b.role == GESAMT)
    else:
        summands = pieces + extras
        budget = sum(b.amount_cents for b in summands)
        if len(pieces) == 1 and not extras:
            budget_lines = [BudgetLine(b.programme, GESAMT if b.role == TEIL else b.role, b.amount_cents, b.source)
                            for b in budget_lines]
        part_of = [b.role in (TEIL, ZUSAETZLICH, GESAMT) for b in budget_lines]
        source = summands[0].source if summands else budget_lines[0].source
        if not summands:
            blocking.append(f"{where} nennt nur Teilbeträge („davon …“), keinen Gesamtbetrag.")
            budget = sum(b.amount_cents for b in parts)
        elif len(summands) > 1:
            reasons.append("Budget als Summe mehrerer Beträge in § 4 gebildet.")
    base = budget - sum(b.amount_cents for b in extras)
    if parts and sum(b.amount_cents for b in parts) > base:
        blocking.append(
            f"{where}: die Teilbeträge („davon“) ergeben {euro_from_cents(sum(b.amount_cents for b in parts))}, "
            f"mehr als der Betrag {euro_from_cents(base)}."
        )
    if budget == 0:
        warnings.append("Budget in § 4 ist 0 Euro.")
        reasons.append("Budget ist 0 Euro.")
    level = CHECK if blocking or reasons else SURE
    reason = " ".join(blocking + reasons)
    return BudgetReading(budget, tuple(budget_lines), tuple(part_of), source, Confidence(level, reason), warnings, blocking)


def _check_words(text, amounts, where, blocking, warnings, reasons) -> None:
    """An amount in words must say the digits right before it."""
    for words in find_amounts_in_words(text):
        before = [a for a in amounts if a.end <= words.start]
        if not before:
            continue
        digits = before[-1]
        if words.cents is None:
            warnings.append(f"{where}: Betrag in Worten „{words.text}“ nicht lesbar; nur die Ziffern verwendet.")
            reasons.append("Betrag in Worten nicht lesbar.")
        elif words.cents != digits.cents:
            blocking.append(
                f"{where}: Betrag in Ziffern ({euro_from_cents(digits.cents, with_cents=digits.cents % 100 != 0)}) und in "
                f"Worten ({euro_from_cents(words.cents, with_cents=words.cents % 100 != 0)}) stimmen nicht überein."
            )
