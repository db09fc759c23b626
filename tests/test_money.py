"""Amounts in every usual form, with any kind of space, and amounts in words."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st
from num2words import num2words

from aqb.ingest.money import find_amounts, find_amounts_in_words, parse_amount, parse_plain_number, words_to_int


@pytest.mark.parametrize("text", [
    "1.011.410 Euro", "1.011.410,00 €", "EUR 1.011.410", "€ 1.011.410,00", "1 011 410 Euro", "1011410 EUR",
    "1\u00a0011\u00a0410 Euro", "1\u202f011\u202f410 Euro", "1\u2009011\u2009410 Euro", "1.011.410,-- Euro",
])
def test_amount_forms(text):
    assert [(a.cents, a.split) for a in find_amounts(f"in Höhe von insgesamt {text} aus dem")] == [(101141000, False)]


def test_thin_spaces_are_never_read_as_the_last_group():
    # The catastrophic bug of issue 9: "1 326 900 Euro" with thin spaces was stored as 900 €.
    assert parse_amount("Haushaltsmittel in Höhe von 1\u2009326\u2009900 Euro") == 132690000


@pytest.mark.parametrize("text", ["1'326'900 Euro", "1\u200b326\u200b900 Euro", "1\u00b7326\u00b7900 Euro"])
def test_an_amount_cut_off_by_an_unknown_separator_is_marked_split(text):
    assert [(a.cents, a.split) for a in find_amounts(text)] == [(90000, True)]


def test_a_prefix_amount_followed_by_more_digits_is_marked_split():
    assert [(a.cents, a.split) for a in find_amounts("EUR 10'000")] == [(1000, True)]


@pytest.mark.parametrize("text", ["1.326 900 Euro", "3 250.000 Euro", "12,5 Euro"])
def test_mixed_or_broken_groups_give_no_amount(text):
    assert find_amounts(text) == []


def test_year_before_an_amount_is_no_split():
    assert [(a.cents, a.split) for a in find_amounts("im Jahr 2025: 1.000 Euro")] == [(100000, False)]


def test_plain_numbers():
    assert [parse_plain_number(t) for t in ("1.011.410", "879.800,00", "1\u2009011\u2009410", "Jobcoach")] == [
        101141000, 87980000, 101141000, None]


@pytest.mark.parametrize(("words", "value"), [
    ("eine Million elftausendvierhundertzehn", 1011410), ("zwei Millionen einhundertdreitausendfünfhundert", 2103500),
    ("achthundertneunundsiebzigtausendachthundert", 879800), ("Eine Million Dreihundertsechsundzwanzigtausend Neunhundert", 1326900),
    ("dreihundert-tausend", 300000), ("tausend", 1000), ("null", 0),
])
def test_words(words, value):
    assert words_to_int(words) == value


@pytest.mark.parametrize("words", ["", "Euro", "zwanzigeins", "tausend tausend", "hundert hundert", "eine Million Million",
                                   "drei und", "siebenundsiebzigundzwanzig", "tausend Millionen"])
def test_words_that_are_no_number(words):
    assert words_to_int(words) is None


@given(st.integers(min_value=0, max_value=10**10))
def test_words_round_trip_with_num2words(n):
    assert words_to_int(num2words(n, lang="de")) == n


def test_amount_in_words_beside_the_digits():
    text = "insgesamt 1.011.410 Euro (in Worten: eine Million elftausendvierhundertzehn Euro) aus dem Budget"
    assert [w.cents for w in find_amounts_in_words(text)] == [101141000]
    text = "12,50 Euro (in Worten: zwölf Euro und fünfzig Cent)"
    assert [w.cents for w in find_amounts_in_words(text)] == [1250]
    assert [w.cents for w in find_amounts_in_words("(in Worten: eine Millione Euro)")] == [None]
