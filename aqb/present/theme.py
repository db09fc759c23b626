"""Colours, German labels and table formats of the dashboard, defined once for every page and chart."""

from __future__ import annotations

from typing import Callable

import pandas as pd
from plotly.colors import get_colorscale

from aqb import fmt

# Okabe–Ito hues (distinguishable with the common colour-vision deficiencies), darkened until each reaches
# 4.5:1 on white (WCAG 1.4.3/1.4.11): the same colour can then draw a bar, a line or a label
# (tests/test_contrast.py computes every ratio).
MEASURE_TYPE_COLOURS = {1: "#0072B2", 2: "#A65E00", 3: "#007A5E", 4: "#AA3377"}
REGIERUNGSBEZIRK_COLOURS = {"Darmstadt": "#B34700", "Gießen": "#0E6E9E", "Kassel": "#444444"}
FALLBACK_COLOUR = "#767676"
PUBLISHED_COLOUR = "#000000"
HESSEN_COLOUR = "#444444"
PEERS_COLOUR = "#A65E00"
PARTNER_COLOUR = "#0072B2"
BACKGROUND_COLOUR = "#FFFFFF"
# Explicit colour lists, not names: plotly.js and plotly.py read some names (e.g. "Blues") in opposite directions.
SEQUENTIAL_SCALE = get_colorscale("Viridis")  # perceptually uniform, readable in greyscale
SHARE_SCALE = get_colorscale("Blues")  # light (none) to dark (every year)
DIVERGING_SCALE = [[0.0, "#B2182B"], [0.5, "#F7F7F7"], [1.0, "#2166AC"]]  # red–blue, safe for red–green deficiency
COVERAGE_COLOURS = {
    "agreement": "#007A5E",
    "demo": "#A65E00",
    "published_only": "#0E6E9E",
    "missing": "#949494",  # still 3:1 on white: "missing" is information, not background
}
# Demo fills may be lighter, but not below 3:1 on white (WCAG 1.4.11): 0.75 keeps every palette colour ≥ 3.1:1.
# Demo points are drawn in that lighter shade (demo_colour) and starred, in every output: never colour alone.
DEMO_OPACITY = 0.75
# Series without a natural key (budget, Mittelabfluss, …): the same order on screen, in the PDF and the PPTX.
SERIES_COLOURS = (PARTNER_COLOUR, "#B34700", "#007A5E", "#AA3377", "#0E6E9E", "#A65E00")
TITLE_COLOUR = "#1F4E79"
HIGHLIGHT_COLOUR = "#A65E00"  # the partner of a briefing among the others (4,97:1 on white)
MUTED_COLOUR = "#595959"
DEMO_TEXT_COLOUR = "#B35900"

# Colour keys of series without a Maßnahmenart or Regierungsbezirk (aqb.analysis.chart_views names them).
_NAMED_COLOURS = {
    "hessen": HESSEN_COLOUR, "peers": PEERS_COLOUR, "highlight": HIGHLIGHT_COLOUR, "published": PUBLISHED_COLOUR,
    "change": FALLBACK_COLOUR, "change:up": "#2166AC", "change:down": "#B2182B",
}

FONT_SIZE = 16  # readable from the back of a meeting room
CHART_HEIGHT = 420  # with headline and key figures above it, the first chart fits a 1440×900 screen

DEMO_LABEL = "Demodaten — nicht amtlich"
DEMO_NOTE = (
    "Demodaten — nicht amtlich: erzeugte Beispiel-Vereinbarungen, damit das Dashboard alle Jahre "
    "und Partner zeigen kann. Sie ersetzen keine Zahl aus einer echten Zielvereinbarung."
)
PUBLISHED_LABEL = "veröffentlicht (Presse/Gremien)"
OFFICIAL_ONLY_LABEL = "nur amtliche Quellen"

PROVENANCE_LABELS = {"vereinbarung": "Zielvereinbarung", "demo": DEMO_LABEL, "gemischt": "gemischt (amtlich + Demo)"}
STATUS_LABELS = {"entwurf": "Entwurf", "unterzeichnet": "unterzeichnet", "veroeffentlicht": "veröffentlicht"}
SIDE_LABELS = {"ministry": "Ministerium", "partner": "Gebietskörperschaft"}
CHANGE_STATUS_LABELS = {
    "new": "neu",
    "continued": "fortgeführt",
    "ended": "beendet",
    "no_previous_year": "kein Vorjahr im Bestand",
}
COVERAGE_LABELS = {
    "agreement": "Zielvereinbarung (amtlich)",
    "demo": "nur Demodaten",
    "published_only": "nur veröffentlichter Betrag",
    "missing": "fehlt",
}
NOTE_KIND_LABELS = {
    "published_difference": "Abweichung zu veröffentlichtem Betrag",
    "jump": "Sprung zum Vorjahr",
    "parser_warning": "Hinweis beim Einlesen",
}
KIND_PLURAL = {"Landkreis": "Landkreise", "kreisfreie Stadt": "kreisfreie Städte"}
KIND_OPTIONS = {"alle": (), "Landkreise": ("Landkreis",), "kreisfreie Städte": ("kreisfreie Stadt",)}
DISPLAY_OPTIONS = ("absolut", "je Einwohner")

# Column -> German header, for the tables under every chart.
COLUMN_LABELS = {
    "agreement_year": "Jahr",
    "programme_label": "Programm",
    "line_role_label": "Art des Betrags",
    "is_part_of_budget": "zählt zum Budget",
    "reading_method": "gelesen aus",
    "partner_ags": "AGS",
    "partner_name": "Gebietskörperschaft",
    "partner_kind": "Art",
    "regierungsbezirk": "Regierungsbezirk",
    "population": "Einwohner",
    "population_stichtag": "Einwohner-Stichtag",
    "population_stichtag_a": "Einwohner-Stichtag Jahr A",
    "population_stichtag_b": "Einwohner-Stichtag Jahr B",
    "map_stichtag": "Einwohner-Stichtag des Werts",
    "population_basis": "Fortschreibungsbasis",
    "version_number": "Fassung Nr.",
    "version_kind": "Fassung",
    "ingested_at_text": "eingelesen",
    "changes": "Was sich geändert hat",
    "renamed_from": "Name im Vorjahr",
    "budget_cents": "Budget",
    "budget_per_inhabitant_eur": "€ je Einwohner",
    "budget_rank": "Rang",
    "status": "Status",
    "status_date": "Stand vom",
    "provenance": "Herkunft",
    "project_count": "Projekte",
    "demo_project_count": "davon Demo",
    "project_share": "Anteil",
    "partner_count": "Partner mit Projekten",
    "partners_valid_count": "Partner (gültig)",
    "agreements_count": "Vereinbarungen",
    "signed_count": "unterzeichnet",
    "real_agreements_count": "amtlich",
    "demo_agreements_count": "Demo",
    "real_budget_cents": "davon amtlich",
    "demo_budget_cents": "davon Demo",
    "population_with_agreement": "Einwohner mit Vereinbarung",
    "measure_type_code": "Nr.",
    "measure_type_label": "Maßnahmenart",
    "measure_type_name": "Maßnahmenart",
    "project_name": "Projekt",
    "project_position": "Pos.",
    "change_status": "gegenüber Vorjahr",
    "years_with_projects": "Jahre mit Projekten",
    "agreement_years_count": "Jahre mit Vereinbarung",
    "hessen_per_inhabitant_eur": "Hessen-Durchschnitt € je Einwohner",
    "peers_per_inhabitant_eur": "Vergleichsgruppe € je Einwohner",
    "peers_count": "Vergleichspartner",
    "side": "Seite",
    "signer_name": "Name",
    "signer_role": "Funktion",
    "signed_place": "Ort",
    "signed_date": "Datum",
    "source_file": "Quelldatei",
    "file_format": "Format",
    "byte_size": "Größe (Bytes)",
    "source_page": "Seite",
    "source_line": "Zeile",
    "budget_source_snippet": "Satz mit dem Budget (§ 4)",
    "amount_cents": "Betrag",
    "amount_precision": "Genauigkeit",
    "programme": "Programm",
    "scope": "Bezug",
    "note": "Anmerkung",
    "source_url": "Quelle",
    "note_kind": "Art des Hinweises",
    "detail": "Einzelheiten",
    "compare_cents": "Vergleichswert",
    "change_ratio": "Veränderung",
    "budget_a_cents": "Budget Jahr A",
    "budget_b_cents": "Budget Jahr B",
    "change_cents": "Veränderung",
    "value_a": "Wert Jahr A",
    "value_b": "Wert Jahr B",
    "change_value": "Veränderung",
    "coverage_status": "Stand",
    "published_count": "veröffentlichte Beträge",
    "is_current": "aktuelle Fassung",
    "first_ingested_at": "eingelesen am",
    "source_sha256": "SHA-256",
    "map_value": "Wert",
    "link": "Vereinbarung",
    "is_comparison_demo": "Vergleichsjahr aus Demodaten",
}


# Columns whose values rest on a population figure: their header names the Stichtag of the frame's rows
# („€ je Einwohner (Stand 31.12.2019)“), read from the column(s) given here. value_a/value_b are per-capita
# values only when the comparison carries their Stichtage (frames.year_comparison in per-capita mode).
STICHTAG_SOURCES = {
    "budget_per_inhabitant_eur": ("population_stichtag",),
    "hessen_per_inhabitant_eur": ("population_stichtag",),
    "peers_per_inhabitant_eur": ("population_stichtag",),
    "population": ("population_stichtag",),
    "population_with_agreement": ("population_stichtag",),
    "value_a": ("population_stichtag_a",),
    "value_b": ("population_stichtag_b",),
    "change_value": ("population_stichtag_a", "population_stichtag_b"),
    "map_value": ("map_stichtag",),
}
PER_CAPITA_UNITS = {"value_a": "€ je Einwohner Jahr A", "value_b": "€ je Einwohner Jahr B",
                    "change_value": "Veränderung € je Einwohner", "map_value": "Wert, € je Einwohner"}


def stichtage(column: str, frame: pd.DataFrame | None) -> list:
    """The Stichtage behind ``column``'s values in ``frame`` (empty: not a per-capita column, or none known)."""
    if frame is None:
        return []
    days = []
    for source in STICHTAG_SOURCES.get(column, ()):
        if source in frame.columns:
            days += [d for d in frame[source].tolist() if d is not None and d == d]
    return days


def column_label(column: str, frame: pd.DataFrame | None = None) -> str:
    """The German header of ``column``; a per-capita column names the Stichtag(e) of ``frame``'s rows.

    One Stichtag: '€ je Einwohner (Stand 31.12.2019)'; several (a table over budget years): the span, and
    ``with_stichtag_column`` adds each row's Stichtag as a column.
    """
    days = stichtage(column, frame)
    if not days:
        return COLUMN_LABELS.get(column, column)
    return fmt.per_inhabitant_label(days, PER_CAPITA_UNITS.get(column, COLUMN_LABELS.get(column, column)))


def with_stichtag_column(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """``columns`` plus population_stichtag after the last per-capita column when the rows use several Stichtage."""
    if "population_stichtag" in columns or "population_stichtag" not in frame.columns:
        return columns
    per_capita = [i for i, c in enumerate(columns) if "population_stichtag" in STICHTAG_SOURCES.get(c, ())]
    if not per_capita or frame["population_stichtag"].dropna().nunique() < 2:
        return columns
    last = per_capita[-1] + 1
    return [*columns[:last], "population_stichtag", *columns[last:]]


def _euro(value) -> str:
    return "–" if pd.isna(value) else fmt.euro_from_cents(int(value))


def _euro2(value) -> str:
    return "–" if pd.isna(value) else fmt.per_inhabitant(float(value), unit="€")


def _int(value) -> str:
    return "–" if pd.isna(value) else fmt.number(int(value))


def _pct(value) -> str:
    return "–" if pd.isna(value) else fmt.percent(float(value))


def _pct_signed(value) -> str:
    return "–" if pd.isna(value) else fmt.percent(float(value), signed=True)


def _date(value) -> str:
    return "–" if value is None or pd.isna(value) else fmt.german_date(pd.Timestamp(value).date())


def _datetime(value) -> str:
    return "–" if value is None or pd.isna(value) else fmt.german_datetime(pd.Timestamp(value).to_pydatetime())


def _mapped(mapping: dict) -> Callable:
    return lambda value: "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else mapping.get(value, str(value))


def _yes_no(value) -> str:
    return "ja" if bool(value) else "nein"


def _plain(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


FORMATTERS: dict[str, Callable] = {
    "cents": _euro,
    "eur2": _euro2,
    "int": _int,
    "year": lambda v: "–" if pd.isna(v) else str(int(v)),
    "pct": _pct,
    "pct_signed": _pct_signed,
    "pct0": lambda v: "–" if v is None or pd.isna(v) else fmt.percent(float(v), 0),
    "euro_short": lambda v: "–" if v is None or pd.isna(v) else euro_short(float(v) * 100),
    "number": lambda v: "–" if v is None or pd.isna(v) else fmt.number(v),
    "date": _date,
    "datetime": _datetime,
    "provenance": _mapped(PROVENANCE_LABELS),
    "status": _mapped(STATUS_LABELS),
    "side": _mapped(SIDE_LABELS),
    "change_status": _mapped(CHANGE_STATUS_LABELS),
    "coverage": _mapped(COVERAGE_LABELS),
    "note_kind": _mapped(NOTE_KIND_LABELS),
    "bool": _yes_no,
    "text": _plain,
}


def default_kind(column: str) -> str:
    """The formatter a column gets by its name (units are in the names)."""
    if column.endswith("_cents"):
        return "cents"
    if column.endswith("_eur"):
        return "eur2"
    if column.endswith(("_count", "_size")) or column in {"population", "budget_rank", "population_with_agreement"}:
        return "int"
    if column == "agreement_year":
        return "year"
    if column.endswith(("_share", "_ratio")):
        return "pct_signed" if column.endswith("_ratio") else "pct"
    if column.endswith("_date") or "_stichtag" in column:
        return "date"
    if column.endswith("_at"):
        return "datetime"
    if column.startswith(("is_", "has_")):
        return "bool"
    if column in {"provenance", "status", "side", "change_status", "note_kind"}:
        return column
    if column == "coverage_status":
        return "coverage"
    return "text"


def display_table(frame: pd.DataFrame, columns: list[str] | None = None, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``frame`` as German-formatted text under German headers (for on-screen tables)."""
    columns = with_stichtag_column(frame, [c for c in (columns or list(frame.columns)) if c in frame.columns])
    kinds = kinds or {}
    shown = {}
    for column in columns:
        formatter = FORMATTERS[kinds.get(column, default_kind(column))]
        shown[column_label(column, frame)] = [formatter(v) for v in frame[column].tolist()]
    return pd.DataFrame(shown, index=range(len(frame)))


def label(column: str) -> str:
    return COLUMN_LABELS.get(column, column)


def measure_colour(code: int) -> str:
    return MEASURE_TYPE_COLOURS.get(int(code), FALLBACK_COLOUR)


def bezirk_colour(name: str) -> str:
    return REGIERUNGSBEZIRK_COLOURS.get(name, FALLBACK_COLOUR)


def colour_for(key: str | None, index: int = 0) -> str:
    """The colour of a series or category by its key ('measure:2', 'bezirk:Kassel', 'budget'), else by position.

    Web (Plotly), PDF (reportlab) and PPTX (python-pptx) all ask here, so a Maßnahmenart or
    Regierungsbezirk has one colour in every output.
    """
    kind, _, value = (key or "").partition(":")
    if kind == "measure" and value.isdigit():
        return measure_colour(int(value))
    if kind == "bezirk":
        return bezirk_colour(value)
    if kind == "budget":
        return PARTNER_COLOUR
    if kind in _NAMED_COLOURS:
        return _NAMED_COLOURS[kind] if not value else _NAMED_COLOURS.get(f"{kind}:{value}", FALLBACK_COLOUR)
    if kind == "coverage" and value in COVERAGE_COLOURS:
        return COVERAGE_COLOURS[value]
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def demo_colour(colour: str) -> str:
    """The lighter shade demo points are drawn in, in every output (Plotly, PPTX, PDF): the colour at
    DEMO_OPACITY on white, so a chart looks the same whether a renderer knows opacity or not."""
    r, g, b = (round(c * DEMO_OPACITY + 255 * (1 - DEMO_OPACITY)) for c in rgb(colour))
    return f"#{r:02X}{g:02X}{b:02X}"


def rgb(colour: str) -> tuple[int, int, int]:
    """'#0072B2' -> (0, 114, 178), for reportlab and python-pptx."""
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


# The one formatting module decides; these names stay for the pages that already call them.
euro_short = fmt.euro_short


def per_inhabitant(value: float | None) -> str:
    return fmt.per_inhabitant(None if value is None or pd.isna(value) else float(value))


GLOSSARY_AND_METHOD = """
**Glossar**

- **AQB** – Ausbildungs- und Qualifizierungsbudget: jährliche Landesmittel für regionale Arbeitsmarktförderung.
- **Zielvereinbarung** – jährliche Vereinbarung zwischen Ministerium und Gebietskörperschaft: Budget (§ 4),
  Projekte nach Maßnahmenart (§ 5), Unterschriften beider Seiten.
- **Gebietskörperschaft / Partner** – einer der 21 Landkreise und 5 kreisfreien Städte (ab 2026 ggf. Hanau als 27.),
  geführt über den Amtlichen Gemeindeschlüssel (AGS).
- **Maßnahmenart** – eine der vier Kategorien in § 5: 1 Ausbildungsvorbereitung, 2 Ausbildung und
  Ausbildungscoaching, 3 Qualifizierungsprojekte, 4 Weiterbildung für Personal.
- **Veröffentlichter Betrag** – Zahl aus Pressemitteilung oder Gremienunterlage, mit Quelle und Genauigkeit
  (exakt, gerundet/vorläufig, in Aussicht gestellt); kein Ersatz für eine Vereinbarung.
- **Demodaten — nicht amtlich** – erzeugte Beispiel-Vereinbarungen, damit alle Partner und Jahre gezeigt werden
  können. Schraffiert bzw. mit * markiert; „nur amtliche Quellen“ blendet sie aus.

**Methode**

- Jeder Betrag stammt aus dem Satz in § 4 der jeweiligen Vereinbarung; Seite „Gebietskörperschaft“ zeigt diesen
  Satz und bietet das Originaldokument zum Download. Beträge werden exakt in Cent gespeichert und summiert.
- Summen, Rangfolgen und Anteile beziehen sich auf die **aktuelle Fassung** je Partner und Jahr; ersetzte Fassungen
  bleiben in der Historie. „x von N“ zählt die im jeweiligen Jahr gültigen Gebietskörperschaften.
- **€ je Einwohner**: Budget geteilt durch die Einwohnerzahl an **einem gemeinsamen Stichtag je Budgetjahr**: der
  31.12. des Vorjahres, wenn es ihn für alle Partner des Jahres gibt, sonst der letzte frühere Stichtag, den alle
  haben (data/reference/population.csv, Fortschreibung Statistik 12411; bis 31.12.2023 auf Basis Zensus 2011, ab
  31.12.2024 Zensus 2022 – nie zwei Basen in einem Vergleich). Jede Angabe nennt ihren Stichtag; eine Tabelle über Jahre mit
  verschiedenen Stichtagen nennt die Spanne und je Zeile den Stichtag (Spalte „Einwohner-Stichtag“). **Hessen-Durchschnitt**: Summe der Budgets geteilt durch die Summe der Einwohner der Partner mit
  Vereinbarung im selben Jahr. **Vergleichsgruppe**: die übrigen Partner gleicher Art im selben Regierungsbezirk.
- Projekte gelten als **neu**, **fortgeführt** oder **beendet** im Vergleich mit der Vereinbarung des Vorjahres:
  zuerst gilt die gepflegte Liste data/reference/project_aliases.csv (Umbenennungen, Zusammenlegungen, Teilungen),
  dann gleiche Namen (ohne Groß-/Kleinschreibung, Satzzeichen), dann ähnliche Namen derselben Maßnahmenart
  (rapidfuzz token_sort_ratio ab 85 von 100); so zugeordnete Projekte zeigen „umbenannt aus …“.
- **Stand** ist der Zeitpunkt, zu dem der Bestand gebaut wurde, in deutscher Zeit (MEZ/MESZ).
- **Hinweise zur Datenqualität**: Warnungen des Einlesens, Abweichungen zwischen Vereinbarung und
  veröffentlichtem AQB-Betrag desselben Jahres und Veränderungen um mehr als 25 % zum Vorjahr.
"""


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of '#RRGGBB' or 'rgb(r, g, b)'."""
    colour = colour.strip()
    if colour.startswith("rgb"):
        channels = [float(x) / 255 for x in colour[colour.index("(") + 1: colour.index(")")].split(",")[:3]]
    else:
        channels = [int(colour.lstrip("#")[i: i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio (1 to 21) of two colours."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast on ``fill`` (always at least 4.58:1)."""
    return "#000000" if contrast_ratio(fill, "#000000") >= contrast_ratio(fill, "#FFFFFF") else "#FFFFFF"
