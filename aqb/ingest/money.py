"""Exact money: German amount strings (digits or words) to integer cents.

Thousands may be grouped with '.', or with any Unicode space (plain, no-break U+00A0, narrow
no-break U+202F, thin U+2009, figure U+2007) — a text path that did not normalise them still
reads "1 326 900 Euro" as 1.326.900 €, never as 900 €. An amount whose digits are preceded by
digits and a separator this module does not know is reported as ``split`` so the caller can
block the value instead of storing its tail.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CURRENCY = r"(?:Euro\b|EUR\b|€)"
# Every Unicode space separator counts as a thousands separator; they are mapped to " " first
# (one character for one, so match offsets stay those of the original text).
_SPACES = "".join(chr(c) for c in range(0x10000) if unicodedata.category(chr(c)) == "Zs" and chr(c) != " ")
_TO_SPACE = str.maketrans(_SPACES, " " * len(_SPACES))
_INT = r"(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+|\d+)"
_CENTS = r"(?:,(?P<{name}>\d{{2}})(?!\d)|,[-–]{{1,2}})?"
# Not inside a number: no digit, dot or comma before, and no "digit + space" (a token cut at a space).
_BEFORE = r"(?<![\d.,])(?<!\d )"
_NUMBER = rf"{_BEFORE}(?P<int>{_INT}){_CENTS.format(name='cents')}"
NUMBER_RE = re.compile(_NUMBER)
AMOUNT_RE = re.compile(
    rf"(?:{CURRENCY} ?{_BEFORE}(?P<int_a>{_INT}){_CENTS.format(name='cents_a')}(?![\d.,]\d)"
    rf"|{_NUMBER}(?![\d])\s*{CURRENCY})"
)
# Characters that can stand between number parts without being a separator this module reads
# (apostrophe grouping, zero-width and other format characters): digits before them mean the
# amount found is only the tail of a longer number.
_NOT_A_BREAK = set(".,:;()[]-–—/§+*=%\n\t\r ")


@dataclass(frozen=True)
class Amount:
    """One amount found in a text: cents, its span, and whether digits run on before it."""

    cents: int
    start: int
    end: int
    text: str
    split: bool  # digits stand right before it, cut off by a character that is no separator


def spaces_to_plain(text: str) -> str:
    """``text`` with every Unicode space separator replaced by a plain space (same length)."""
    return text.translate(_TO_SPACE)


def cents_from_parts(integer_part: str, cents_part: str | None) -> int:
    digits = re.sub(r"[.\s]", "", spaces_to_plain(integer_part))
    return int(digits) * 100 + (int(cents_part) if cents_part else 0)


def amount_match_cents(match: re.Match) -> int:
    groups = match.groupdict()
    if groups.get("int_a"):
        return cents_from_parts(groups["int_a"], groups.get("cents_a"))
    return cents_from_parts(groups["int"], groups.get("cents"))


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency in ``text`` ("1.011.410 Euro", "EUR 2.103.500", "879.800,00 €",
    "1 011 410 Euro" with any kind of space), in order."""
    plain = spaces_to_plain(text)
    found = []
    for match in AMOUNT_RE.finditer(plain):
        digits_start = match.start("int_a") if match.group("int_a") else match.start("int")
        digits_end = match.end("int_a") if match.group("int_a") else match.end("int")
        split = _cut_before(plain, digits_start) or _cut_after(plain, digits_end)
        found.append(Amount(amount_match_cents(match), match.start(), match.end(), text[match.start() : match.end()], split))
    return found


def _cut_before(text: str, start: int) -> bool:
    if start < 2 or not text[start - 2].isdigit():
        return False
    mark = text[start - 1]
    return not mark.isalnum() and mark not in _NOT_A_BREAK


def _cut_after(text: str, end: int) -> bool:
    # "EUR 10'000": the prefix form stops at the apostrophe, more digits follow.
    if end + 1 >= len(text) or not text[end + 1].isdigit():
        return False
    mark = text[end]
    return not mark.isalnum() and mark not in _NOT_A_BREAK


def parse_amount(text: str) -> int | None:
    """Cents of the first amount with a currency in ``text``, or None."""
    found = find_amounts(text)
    return found[0].cents if found else None


def parse_plain_number(text: str) -> int | None:
    """Cents of a line that is nothing but an amount without unit ("1.011.410", "879.800,00")."""
    match = re.fullmatch(r"\s*" + _NUMBER + r"\s*", spaces_to_plain(text))
    if not match:
        return None
    return cents_from_parts(match.group("int"), match.group("cents"))


# -- amounts in words ------------------------------------------------------------------------
_UNITS = {
    "null": 0, "eins": 1, "eine": 1, "einen": 1, "ein": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
}
_TEENS = {
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70, "achtzig": 80,
    "neunzig": 90,
}
_SCALES = {"hundert": 100, "tausend": 1000, "million": 10**6, "millionen": 10**6, "milliarde": 10**9, "milliarden": 10**9}
_VOCAB = sorted([*_UNITS, *_TEENS, *_TENS, *_SCALES, "und"], key=len, reverse=True)


def _tokens(words: str) -> list[str] | None:
    """The number words of a compound ("einemilliardeneunhundert…"), longest first with
    backtracking: "milliarden|eun…" fails, "milliarde|neun…" is right."""
    text = re.sub(r"[\s\-]+", "", words.casefold().replace("ss", "ß").replace("ue", "ü"))

    def split(pos: int) -> list[str] | None:
        if pos == len(text):
            return []
        for word in _VOCAB:
            if text.startswith(word, pos):
                rest = split(pos + len(word))
                if rest is not None:
                    return [word, *rest]
        return None

    return split(0) if len(text) <= 200 else None


def _below_thousand(tokens: list[str]) -> int | None:
    """0–999 from tokens like [drei, hundert, sechs, und, zwanzig]; None if not well-formed."""
    value, i = 0, 0
    if "hundert" in tokens:
        k = tokens.index("hundert")
        head = tokens[:k]
        if len(head) > 1 or (head and head[0] not in _UNITS) or (head and _UNITS[head[0]] == 0):
            return None
        value = (_UNITS[head[0]] if head else 1) * 100
        i = k + 1
    rest = tokens[i:]
    if not rest:
        return value
    if len(rest) == 1:
        word = rest[0]
        small = _UNITS.get(word, _TEENS.get(word, _TENS.get(word)))
        if small is None or (word == "null" and value):
            return None
        return value + small
    if len(rest) == 3 and rest[0] in _UNITS and rest[1] == "und" and rest[2] in _TENS and _UNITS[rest[0]]:
        return value + _UNITS[rest[0]] + _TENS[rest[2]]
    return None


def words_to_int(words: str) -> int | None:
    """The whole number German words name ("eine Million elftausendvierhundertzehn" -> 1011410),
    or None when the words are not one well-formed number below 10^12."""
    tokens = _tokens(words)
    if not tokens:
        return None
    total, group = 0, []
    last_scale = 10**12
    for token in tokens + ["<end>"]:
        if token in ("tausend", "million", "millionen", "milliarde", "milliarden", "<end>"):
            scale = _SCALES.get(token, 1)
            if scale >= last_scale:
                return None
            if not group and token == "<end>":
                break
            amount = _below_thousand(group) if group else (1 if token != "<end>" else None)
            if amount is None:
                return None
            total += amount * scale
            last_scale, group = scale, []
        else:
            group.append(token)
    return total


_IN_WORDS = re.compile(
    r"in\s+Worten\s*[:]?\s*(?P<words>[^()\d]+?)\s*(?:Euro|EUR)\b(?:\s+und\s+(?P<cent_words>[^()\d]+?)\s+Cent)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WordsAmount:
    cents: int | None  # None: the words could not be read as one number
    start: int
    end: int
    text: str


def find_amounts_in_words(text: str) -> list[WordsAmount]:
    """Every "(in Worten: … Euro)" in ``text`` with the cents the words say."""
    found = []
    for match in _IN_WORDS.finditer(text):
        euros = words_to_int(match.group("words"))
        cents = None
        if euros is not None:
            cents = euros * 100
            if match.group("cent_words"):
                extra = words_to_int(match.group("cent_words"))
                cents = None if extra is None or extra > 99 else cents + extra
        found.append(WordsAmount(cents, match.start(), match.end(), match.group(0)))
    return found
