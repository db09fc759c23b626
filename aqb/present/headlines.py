"""The one-sentence headline each analysis page opens with: its main finding in numbers (German, via aqb.fmt).

Pure functions over the frames the page already has; they never say more than the frame holds
(a comparison over fewer than two values is not made).
"""

from __future__ import annotations

import pandas as pd

from aqb import fmt


def _money(cents) -> str:
    return fmt.euro_short(None if cents is None or pd.isna(cents) else int(cents))


def _value(value, per_inhabitant: bool) -> str:
    if value is None or pd.isna(value):
        return "–"
    return fmt.per_inhabitant(float(value)) if per_inhabitant else _money(value)


def overview(year: int, year_row: dict | None, previous_row: dict | None, ranking: pd.DataFrame,
             per_inhabitant: bool = False) -> str:
    """'2025: 26 Vereinbarungen über zusammen 27,5 Mio. € (+3,2 % zu 2024); größtes Budget: Frankfurt am Main (2,6 Mio. €).'"""
    if year_row is None or not year_row.get("agreements_count"):
        return f"Für {year} liegt in der Auswahl keine Zielvereinbarung vor."
    count = int(year_row["agreements_count"])
    text = f"{year}: {fmt.count(count, 'Vereinbarung', 'Vereinbarungen')} über zusammen {_money(year_row['budget_cents'])}"
    if previous_row is not None and previous_row.get("agreements_count") and previous_row.get("budget_cents"):
        change = year_row["budget_cents"] / previous_row["budget_cents"] - 1
        same = int(previous_row["agreements_count"]) == count
        text += f" ({fmt.percent(change, signed=True)} zu {year - 1}{'' if same else ', andere Zahl an Vereinbarungen'})"
    column = "budget_per_inhabitant_eur" if per_inhabitant else "budget_cents"
    if len(ranking) >= 2 and column in ranking:
        top = ranking.sort_values(column, ascending=False).iloc[0]
        label = "höchster Wert je Einwohner" if per_inhabitant else "größtes Budget"
        text += f"; {label}: {top['partner_name']} ({_value(top[column], per_inhabitant)})"
    return text + "."


def partner(name: str, year: int, history: pd.DataFrame) -> str:
    """'Offenbach am Main erhält 2025 1,0 Mio. € – 7,76 € je Einwohner, 1,20 € über dem Hessen-Durchschnitt.'"""
    row = history[(history["agreement_year"] == year) & history["budget_cents"].notna()]
    if row.empty:
        return f"Für {name} liegt für {year} keine Zielvereinbarung vor."
    r = row.iloc[0]
    text = f"{name} erhält {year} {fmt.euro_from_cents(int(r['budget_cents']))}"
    if pd.notna(r.get("budget_per_inhabitant_eur")):
        text += f" – {fmt.per_inhabitant(float(r['budget_per_inhabitant_eur']))}"
        hessen = r.get("hessen_per_inhabitant_eur")
        if pd.notna(hessen) and int(r.get("hessen_agreements_count") or 0) >= 3:
            gap = float(r["budget_per_inhabitant_eur"]) - float(hessen)
            side = "über" if gap > 0 else "unter" if gap < 0 else "gleich"
            text += (f", {fmt.number(abs(gap), 2)} € {side} dem Hessen-Durchschnitt" if side != "gleich"
                     else ", genau der Hessen-Durchschnitt")
    return text + "."


def year_comparison(comparison: pd.DataFrame, year_a: int, year_b: int, per_inhabitant: bool) -> str:
    """'2019 → 2025: Budget höher bei 20 von 26 Gebietskörperschaften; am stärksten Kassel (+45,0 %).'"""
    if year_a == year_b:
        return f"Zeitraum {year_a}: für einen Vergleich zwei verschiedene Jahre wählen."
    if comparison.empty:
        return f"Keine Gebietskörperschaft hat {year_a} und {year_b} eine Vereinbarung."
    column = "change_value"
    up = int((comparison[column] > 0).sum())
    unit = "€ je Einwohner" if per_inhabitant else "Budget"
    text = (f"{year_a} → {year_b}: {unit} höher bei {up} von "
            f"{fmt.count(len(comparison), 'Gebietskörperschaft', 'Gebietskörperschaften')}")
    ratio = comparison["change_ratio"].dropna()
    if len(ratio):
        top = comparison.loc[ratio.abs().idxmax()]
        text += f"; größte Veränderung: {top['partner_name']} ({fmt.percent(float(top['change_ratio']), signed=True)})"
    return text + "."


def measure_types(year: int, mix: pd.DataFrame) -> str:
    """'2025: Qualifizierung ist die häufigste Maßnahmenart – 88 von 207 Projekten (42,5 %).'"""
    this = mix[mix["agreement_year"] == year] if "agreement_year" in mix else mix
    total = int(this["project_count"].sum()) if len(this) else 0
    if not total:
        return f"Für {year} sind in der Auswahl keine Projekte erfasst."
    by_type = this.groupby("measure_type_label", as_index=False)["project_count"].sum()
    top = by_type.sort_values(["project_count", "measure_type_label"], ascending=[False, True]).iloc[0]
    return (f"{year}: {top['measure_type_label']} ist die häufigste Maßnahmenart – {fmt.number(int(top['project_count']))} "
            f"von {fmt.count(total, 'Projekt', 'Projekten')} ({fmt.percent(int(top['project_count']) / total)}).")


def map_spread(year: int, values: pd.DataFrame, measure: str, per_inhabitant: bool) -> str:
    """'2025: Budget je Einwohner von 2,10 € (Kassel) bis 9,80 € (Fulda) bei 26 Gebietskörperschaften.'"""
    known = values[values["has_agreement"]] if "has_agreement" in values else values
    known = known.dropna(subset=["map_value"])
    if len(known) < 2:
        return f"{year}: zu wenige Gebietskörperschaften mit Wert für einen Vergleich ({len(known)})."
    low, high = known.loc[known["map_value"].idxmin()], known.loc[known["map_value"].idxmax()]
    money = measure == "Budget"

    def show(v) -> str:  # map_value: euros (or € je Einwohner), a count, or a ratio
        if money:
            return fmt.per_inhabitant(float(v), unit="€") if per_inhabitant else _money(float(v) * 100)
        if measure == "Projekte":
            return fmt.number(int(v))
        return fmt.percent(float(v), signed=measure.startswith("Veränderung"))

    label = f"{measure} je Einwohner" if money and per_inhabitant else measure
    return (f"{year}: {label} von {show(low['map_value'])} ({low['partner_name']}) bis {show(high['map_value'])} "
            f"({high['partner_name']}) bei {fmt.count(len(known), 'Gebietskörperschaft', 'Gebietskörperschaften')}.")


def projects_found(counts: pd.DataFrame, text: str) -> str:
    """'42 Projekte mit „Coaching“, die meisten 2025 (9).'"""
    found = int(counts["project_count"].sum()) if len(counts) else 0
    subject = f" mit „{text}“" if text else ""
    if not found:
        return f"Keine Projekte{subject} in der Auswahl."
    per_year = counts.groupby("agreement_year")["project_count"].sum()
    best = int(per_year.idxmax())
    return (f"{fmt.count(found, 'Projekt', 'Projekte')}{subject} in der Auswahl, die meisten {best} "
            f"({fmt.number(int(per_year.max()))}).")


def coverage(coverage_frame: pd.DataFrame) -> str:
    """'1 von 182 Partner-Jahren ist durch eine amtliche Zielvereinbarung belegt, 181 durch Demodaten.'"""
    status = coverage_frame["coverage_status"].value_counts()
    total = int(status.sum())
    real = int(status.get("agreement", 0))
    demo = int(status.get("demo", 0))
    verb = "ist" if real == 1 else "sind"
    text = f"{fmt.number(real)} von {fmt.count(total, 'Partner-Jahr', 'Partner-Jahren')} {verb} durch eine amtliche " \
           "Zielvereinbarung belegt"
    if demo:
        text += f", {fmt.number(demo)} nur durch Demodaten"
    missing = int(status.get("missing", 0)) + int(status.get("published_only", 0))
    if missing:
        text += f", {fmt.number(missing)} ohne Vereinbarung"
    return text + "."
