"""Exact money: German amount strings to integer cents, and back."""

from __future__ import annotations

import re

CURRENCY = r"(?:Euro|EUR|€)"
# Thousands groups with '.', a (narrow) no-break space or a plain space; or plain digits.
_NUMBER = r"(?<![\d.,])(?P<int>\d{1,3}(?:[.\u00a0\u202f ]\d{3})+|\d+)(?:,(?P<cents>\d{2})(?!\d)|,[-–]{1,2})?"
NUMBER_RE = re.compile(_NUMBER)
AMOUNT_RE = re.compile(
    rf"(?:{CURRENCY}\s*{_NUMBER.replace('?P<int>', '?P<int_a>').replace('?P<cents>', '?P<cents_a>')}"
    rf"|{_NUMBER}(?!\d)\s*{CURRENCY})"
)


def cents_from_parts(integer_part: str, cents_part: str | None) -> int:
    digits = re.sub(r"[.\u00a0\u202f ]", "", integer_part)
    return int(digits) * 100 + (int(cents_part) if cents_part else 0)


def parse_amount(text: str) -> int | None:
    """Cents of the first amount with a currency in ``text`` ("1.011.410 Euro", "EUR 2.103.500",
    "879.800,00 €"), or None."""
    match = AMOUNT_RE.search(text)
    if not match:
        return None
    return amount_match_cents(match)


def amount_match_cents(match: re.Match) -> int:
    groups = match.groupdict()
    if groups.get("int_a"):
        return cents_from_parts(groups["int_a"], groups.get("cents_a"))
    return cents_from_parts(groups["int"], groups.get("cents"))


def parse_plain_number(text: str) -> int | None:
    """Cents of a line that is nothing but an amount without unit ("1.011.410", "879.800,00")."""
    match = re.fullmatch(r"\s*" + _NUMBER + r"\s*", text)
    if not match:
        return None
    return cents_from_parts(match.group("int"), match.group("cents"))
