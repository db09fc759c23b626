"""German throughout: one formatting module (aqb.fmt) and a German command line (issue 11, items 7 and 9)."""

from __future__ import annotations

import pytest

from aqb import fmt
from aqb.cli import main

NNBSP = "\u202f"


def test_short_money_has_one_decimal_in_millions():
    assert fmt.euro_short(26_904_213_00) == "26,9 Mio. €"
    assert fmt.euro_short(27_450_000_00) == "27,5 Mio. €"  # not "27,45 Mio. €" or "26,90 Mio. €"
    assert fmt.euro_short(1_011_410_00) == "1,0 Mio. €"
    assert fmt.euro_short(999_999_99) == "1,0 Mio. €"  # rounds up into millions, not "1.000 Tsd. €"
    assert fmt.euro_short(466_123_00) == "466 Tsd. €"
    assert fmt.euro_short(950_00) == "950 €"
    assert fmt.euro_short(None) == "–"


def test_signs_are_explicit_and_the_minus_is_true():
    assert fmt.euro_short(-50_000_00, signed=True) == "−50 Tsd. €"
    assert fmt.euro_short(120_000_00, signed=True) == "+120 Tsd. €"
    assert fmt.euro_from_cents(-1_000_00) == "−1.000 €"
    assert fmt.euro_from_cents(50_00, signed=True) == "+50 €"
    assert fmt.number(-3.5, 1) == "−3,5"
    assert fmt.number(2, signed=True) == "+2"
    assert fmt.number(-0.001, 2) == "0,00"  # no "−0,00"
    assert "-" not in fmt.number(-1234567) and fmt.number(-1234567) == "−1.234.567"


def test_percent_has_a_narrow_space_everywhere():
    assert fmt.percent(0.7, 0) == f"70{NNBSP}%"
    assert fmt.percent(-0.053, signed=True) == f"−5,3{NNBSP}%"
    assert fmt.percent(0.1234, signed=True) == f"+12,3{NNBSP}%"
    assert fmt.percent(-0.0001) == f"0,0{NNBSP}%"  # no "−0,0 %"
    assert fmt.percent(0.0, signed=True) == f"±0,0{NNBSP}%"


@pytest.mark.parametrize(("n", "text"), [(0, "0 Dokumente"), (1, "1 Dokument"), (2, "2 Dokumente"),
                                         (1200, "1.200 Dokumente")])
def test_singular_and_plural(n, text):
    assert fmt.count(n, "Dokument", "Dokumente") == text
    assert fmt.documents_text(n, 0) == text
    assert fmt.documents_text(26, 25) == "26 Dokumente, davon 25 Demodaten"
    assert f"in {fmt.count(1, 'Vereinbarung', 'Vereinbarungen')}" == "in 1 Vereinbarung"


def test_theme_and_figures_use_the_one_module():
    from aqb.present import theme

    assert theme.euro_short is fmt.euro_short
    assert theme.display_table.__module__ == "aqb.present.theme"
    assert theme.FORMATTERS["pct"](0.7) == f"70,0{NNBSP}%"


ENGLISH_ARGPARSE = ("usage:", "show this help message", "positional arguments", "options:", "error:",
                    "the following arguments are required", "invalid choice")


@pytest.mark.parametrize("argv", [["--help"], ["briefing", "--help"], ["slides", "--help"], ["parse", "--help"]])
def test_cli_help_is_german(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Aufruf: aqb")
    assert "diese Hilfe zeigen und beenden" in out and "Optionen:" in out
    assert not [t for t in ENGLISH_ARGPARSE if t in out]


def test_cli_errors_are_german(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["briefing"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "aqb briefing: Fehler: Diese Angaben fehlen: --year, --out" in err and err.startswith("Aufruf: ")
    with pytest.raises(SystemExit):
        main(["export", "--format", "foo", "--out", "x"])
    err = capsys.readouterr().err
    assert "Angabe --format: ungültige Wahl 'foo' (möglich: 'csv', 'xlsx', 'parquet')" in err
    assert not [t for t in ENGLISH_ARGPARSE if t in err]
