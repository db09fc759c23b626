"""German number, money and date formats for the UI and exports (one place, via Babel)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

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
