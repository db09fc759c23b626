"""German number, money and date formats for the UI and exports (one place, via Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "de_DE"


def euro_from_cents(cents: int | None, *, with_cents: bool = False) -> str:
    """1011410_00 -> '1.011.410 €'; exact, never through float."""
    if cents is None:
        return "–"
    amount = Decimal(int(cents)) / 100
    if with_cents or cents % 100:
        return f"{format_decimal(amount, format='#,##0.00', locale=LOCALE)} €"
    return f"{format_decimal(amount, format='#,##0', locale=LOCALE)} €"


def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """0.0534 -> '5,3 %' (or '+5,3 %' when signed)."""
    if value is None:
        return "–"
    text = format_decimal(abs(value) * 100, format="#,##0." + "0" * decimals, locale=LOCALE)
    sign = ("+" if value > 0 else "−" if value < 0 else "±") if signed else ("−" if value < 0 else "")
    return f"{sign}{text} %"


def german_date(value: date | datetime | str | None) -> str:
    """ISO or date -> '6.8.2025' (the form the agreements use)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="d.M.yyyy", locale=LOCALE)


def german_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return f"{german_date(value)} {value:%H:%M}"


def documents_text(count: int, demo: int) -> str:
    """'26 Dokumente, davon 25 Demodaten' / '1 Dokument'."""
    text = f"{count} Dokument" + ("e" if count != 1 else "")
    return text + (f", davon {demo} Demodaten" if demo else "")


def years_text(years) -> str:
    """'2019–2025', '2025' or '' for no years."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
