"""German number, money and date formats for every output — screen, charts, PDF, PPTX, exports (via Babel).

Rules kept here once: a narrow no-break space before % and between number and unit where a line
must not break ("70 %"), the true minus sign "−" (U+2212) instead of the hyphen, an explicit "+"
on changes, compact amounts for chart labels with one decimal ("27,5 Mio. €") and singular/plural
by count ("1 Dokument", "in 1 Vereinbarung").
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "de_DE"
MINUS = "\u2212"
NARROW_SPACE = "\u202f"  # narrow no-break space: "70 %" never breaks between number and sign
PERCENT_SUFFIX = NARROW_SPACE + "%"


def _decimal(value, decimals: int) -> Decimal:
    """Commercial rounding (half up, as people round: 27,45 -> 27,5), from the shortest decimal text of floats."""
    if isinstance(value, Decimal):
        exact = value
    elif isinstance(value, float) or hasattr(value, "dtype") and value.dtype.kind == "f":
        exact = Decimal(str(float(value)))
    else:
        exact = Decimal(int(value))  # ints, also numpy's
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _format(value, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(_decimal(abs(value), decimals), format=pattern, locale=LOCALE)


def _sign(value, signed: bool) -> str:
    if not signed:
        return MINUS if value < 0 else ""
    return "+" if value > 0 else MINUS if value < 0 else "±"



def delta_arrow(delta: str | None) -> str:
    """The arrow st.metric should draw beside a signed German text ("+3,1 %", "−0,48 €", "±0 €").

    Streamlit's "auto" only knows the ASCII hyphen as a minus: beside our true minus it drew an up arrow.
    """
    text = (delta or "").lstrip()
    if text.startswith((MINUS, "-")):
        return "down"
    if text.startswith("+"):
        return "up"
    return "off"

def euro_from_cents(cents: int | None, *, with_cents: bool = False, signed: bool = False) -> str:
    """1011410_00 -> '1.011.410 €'; exact, never through float; '+'/'−' on changes when signed."""
    if cents is None:
        return "–"
    amount = Decimal(abs(int(cents))) / 100
    pattern = "#,##0.00" if with_cents or cents % 100 else "#,##0"
    return f"{_sign(int(cents), signed)}{format_decimal(amount, format=pattern, locale=LOCALE)} €"


def number(value: float | int | Decimal | None, decimals: int = 0, *, signed: bool = False) -> str:
    """1234.5 -> '1.235' (or '1.234,50' with decimals=2); true minus, '+' on changes when signed."""
    if value is None:
        return "–"
    text = _format(value, decimals)
    rounded_zero = text.strip("0,.") == ""
    return ("" if rounded_zero and not signed else _sign(0 if rounded_zero else value, signed)) + text


def percent(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """0.0534 -> '5,3 %' (narrow space; '+5,3 %' when signed)."""
    if value is None:
        return "–"
    text = _format(_decimal(value, 12) * 100, decimals)
    rounded_zero = text.strip("0,.") == ""
    sign = _sign(0 if rounded_zero else value, signed) if (signed or not rounded_zero) else ""
    return f"{sign}{text}{PERCENT_SUFFIX}"


def _missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (whose comparison is NA itself, and NA has no truth value)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def euro_short(cents: int | float | None, *, signed: bool = False) -> str:
    """Compact money for chart labels and KPIs: '27,5 Mio. €', '466 Tsd. €', '950 €' (tables show the exact amount)."""
    if _missing(cents):  # None, NaN or NA: a year without agreement
        return "–"
    euros = float(cents) / 100
    sign = _sign(euros, signed) if round(abs(euros)) else ("±" if signed else "")
    exact = abs(_decimal(cents, 6)) / 100
    if _decimal(exact / 1_000_000, 1) >= 1:
        return f"{sign}{_format(exact / 1_000_000, 1)} Mio. €"
    if _decimal(exact, 0) >= 1_000:
        return f"{sign}{_format(exact / 1_000, 0)} Tsd. €"
    return f"{sign}{_format(exact, 0)} €"


def per_inhabitant(value: float | None, *, signed: bool = False, unit: str = "€ je Einwohner") -> str:
    """4.3712 -> '4,37 € je Einwohner'."""
    if _missing(value):
        return "–"
    return f"{number(value, 2, signed=signed)} {unit}"


def count(n: int | None, singular: str, plural: str) -> str:
    """(1, 'Dokument', 'Dokumente') -> '1 Dokument'; (3, …) -> '3 Dokumente' (thousands separated)."""
    if n is None:
        return "–"
    return f"{number(int(n))} {singular if int(n) == 1 else plural}"


def german_date(value: date | datetime | str | None) -> str:
    """ISO or date -> '6.8.2025' (the form the agreements use)."""
    if value is None or value == "" or value != value:  # None, '' or NaT
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="d.M.yyyy", locale=LOCALE)


def german_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    return f"{german_date(value)} {value:%H:%M}"


def documents_text(total: int, demo: int) -> str:
    """'26 Dokumente, davon 25 Demodaten' / '1 Dokument'."""
    return count(total, "Dokument", "Dokumente") + (f", davon {number(demo)} Demodaten" if demo else "")


def years_text(years) -> str:
    """'2019–2025', '2025' or '' for no years."""
    years = sorted(set(int(y) for y in years))
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


BERLIN = ZoneInfo("Europe/Berlin")


def stored_now() -> datetime:
    """The moment as the store keeps it: naive UTC to the second, whatever the server's zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def berlin_time(value: datetime | str | None) -> datetime | None:
    """A stored moment in Europe/Berlin; naive values are UTC (see stored_now)."""
    if value is None or value == "" or value != value:  # None, '' or NaT
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BERLIN)


def berlin_datetime(value: datetime | str | None) -> str:
    """'1.12.2026, 22:41 MEZ' (MESZ in summer)."""
    local = berlin_time(value)
    if local is None:
        return "–"
    zone = "MESZ" if local.dst() else "MEZ"
    return f"{german_date(local.date())}, {local:%H:%M} {zone}"


def stand(value: datetime | str | None) -> str:
    """The one 'Stand' line of every page, export, deck and briefing: 'Stand: 1.12.2026, 22:41 MEZ'."""
    return f"Stand: {berlin_datetime(value)}"


def per_inhabitant_label(stichtage, unit: str = "€ je Einwohner") -> str:
    """'€ je Einwohner (Stand 31.12.2023)'; a span when the years of a series use different Stichtage."""
    days = sorted({d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
                   for d in stichtage if d is not None and d == d})
    if not days:
        return unit
    if len(days) == 1:
        return f"{unit} (Stand {german_date(days[0])})"
    return f"{unit} (Stand {german_date(days[0])} bis {german_date(days[-1])}, je Jahr ein Stichtag)"


def stichtag_note(year_stichtage) -> str:
    """'Einwohner zum gemeinsamen Stichtag je Budgetjahr: 2020–2024: 31.12.2019 (Zensus 2011); 2025: …'.

    ``year_stichtage`` is an iterable of (agreement_year, stichtag, basis).
    """
    by_day: dict[tuple, list[int]] = {}
    for year, day, basis in sorted(set(year_stichtage)):
        if day is None or day != day:
            continue
        by_day.setdefault((german_date(day), basis), []).append(int(year))
    if not by_day:
        return "Keine gemeinsame Einwohnerzahl für alle Gebietskörperschaften vorhanden."
    parts = [f"{_year_runs(years)}: {day} ({basis})" for (day, basis), years in
             sorted(by_day.items(), key=lambda item: min(item[1]))]
    return "Einwohner zum gemeinsamen Stichtag je Budgetjahr: " + "; ".join(parts)


def _year_runs(years: list[int]) -> str:
    """[2020, 2021, 2023] -> '2020–2021, 2023'."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(years_text(run) for run in runs)
