"""Tables for people: the screen's German headers and values, amounts rounded as shown plus exact cents, typed cells.

One frame in canonical column names becomes one frame a reader of the CSV/XLSX understands without
the code: headers from the same labels as the screen (``theme.COLUMN_LABELS``), German values
(neu/fortgeführt/beendet, ja/nein, amtlich/Demodaten), dates as real dates, money rounded the way the
table on screen shows it with the exact cents in a column of their own, relative app links made
absolute. Each output column gets a line for the sheet that explains the columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from aqb import fmt
from aqb.present import theme

EXACT_SUFFIX = " (Cent, exakt)"
# What a column means, for the explanation sheet; a column without an entry is explained by its label.
DESCRIPTIONS = {
    "agreement_year": "Jahr der Zielvereinbarung (Budgetjahr).",
    "partner_ags": "Amtlicher Gemeindeschlüssel der Gebietskörperschaft.",
    "partner_name": "Landkreis oder kreisfreie Stadt.",
    "partner_kind": "Landkreis oder kreisfreie Stadt.",
    "regierungsbezirk": "Regierungsbezirk (Darmstadt, Gießen, Kassel).",
    "population": "Einwohnerzahl, mit der je-Einwohner-Werte gerechnet werden.",
    "population_stichtag": "Stichtag der Einwohnerzahl, mit der die Werte je Einwohner der Zeile gerechnet sind: ein "
                           "gemeinsamer Stichtag für alle Gebietskörperschaften eines Budgetjahres.",
    "population_basis": "Zensus, auf dem die Fortschreibung der Einwohnerzahl beruht (Zensus 2011 oder 2022).",
    "budget_cents": "Haushaltsmittel laut § 4 der Zielvereinbarung.",
    "budget_per_inhabitant_eur": "Budget geteilt durch die Einwohner, auf Cent gerundet.",
    "hessen_per_inhabitant_eur": "Summe der Budgets aller Vereinbarungen geteilt durch deren Einwohner.",
    "peers_per_inhabitant_eur": "Dasselbe für die Gebietskörperschaften gleicher Art im Regierungsbezirk.",
    "budget_rank": "Platz nach Budget bzw. € je Einwohner (1 = höchster Wert).",
    "provenance": "amtlich = aus einer echten Zielvereinbarung; Demodaten = erzeugtes Beispiel, nicht amtlich; "
                  "gemischt = Summe aus beidem.",
    "project_count": "Anzahl der Projekte nach § 5.",
    "demo_project_count": "davon Projekte aus Demodaten.",
    "project_share": "Anteil an allen Projekten der Auswahl im Jahr, in Prozent.",
    "change_status": "neu, fortgeführt oder beendet gegenüber dem Vorjahr.",
    "change_ratio": "Veränderung gegenüber dem Vergleichsjahr, in Prozent.",
    "measure_type_label": "Maßnahmenart nach § 5 (1 bis 4).",
    "project_name": "Projektname wie in der Vereinbarung.",
    "source_line": "Zeile der Angabe im Quelldokument.",
    "source_page": "Seite der Angabe im Quelldokument.",
    "source_url": "Fundstelle des veröffentlichten Betrags.",
    "link": "Adresse der Seite der Gebietskörperschaft im Dashboard (Jahr der Vereinbarung).",
    "signed_date": "Datum der Unterschrift.",
    "status": "Entwurf, unterzeichnet oder veröffentlicht.",
    "ministry_name": "Das Ministerium, das die Vereinbarung für das Land schließt.",
    "provider": "Träger des Projekts, soweit § 5 ihn nennt.",
    "amount_cents": "Betrag laut Quelle.",
    "is_part_of_budget": "ja = zählt zum Budget (die Summe dieser Zeilen ist das Budget); nein = „davon“-Zeile, "
                         "die das Budget nur aufschlüsselt.",
    "source_file": "Dateiname des Quelldokuments im Bestand.",
    "source_snippet": "Wortlaut der Stelle im Quelldokument, aus der der Wert gelesen wurde.",
    "source_sha256": "Prüfsumme der Quelldatei: weist nach, welche Fassung gelesen wurde.",
    "ingested_at": "Zeitpunkt, zu dem das Dokument in den Bestand übernommen wurde.",
    "warnings": "Hinweise des Parsers beim Einlesen (leer: keine).",
    "scope": "Wofür der Betrag gilt: das Land Hessen oder eine Gebietskörperschaft.",
    "is_aqb": "ja = Betrag des AQB selbst; nein = Vorgänger- oder Zusatzprogramm.",
    "amount_precision": "exakt, gerundet/vorläufig oder in Aussicht gestellt – wie die Quelle den Betrag nennt.",
}


@dataclass(frozen=True)
class Column:
    """One output column: its header, what it means, and how the XLSX cell is typed."""

    header: str
    description: str
    kind: str  # "euro", "cents", "eur2", "int", "pct", "date", "datetime", "text", "year"


# Columns the screen does not show under a header of their own but a download may carry.
EXTRA_LABELS = {
    "is_demo": "aus Demodaten",
    "has_agreement": "mit Vereinbarung",
    "has_published_aqb": "veröffentlichter AQB-Betrag",
    "is_aqb": "AQB-Betrag",
    "hessen_demo_count": "Hessen-Durchschnitt mit Demodaten",
    "peers_demo_count": "Vergleichsgruppe mit Demodaten",
    "demo_match_count": "davon Demo",
    "match_count": "Treffer",
    "demo_agreement_years_count": "Jahre mit Demo-Vereinbarung",
    "hessen_agreements_count": "Vereinbarungen im Hessen-Durchschnitt",
    "status_date": "Stand vom",
    "ingested_at": "eingelesen am",
    "parser_version": "Parser-Version",
    "warnings": "Hinweise beim Einlesen",
    "budget_source_page": "Seite (§ 4)",
    "budget_source_line": "Zeile (§ 4)",
    "official_name": "amtlicher Name",
    "ministry_name": "Ministerium",
    "provider": "Träger",
    "source_snippet": "Textstelle",
    "line_position": "Pos. (§ 4)",
}


def _label(column: str, frame: pd.DataFrame | None = None) -> str:
    if column in theme.COLUMN_LABELS:
        return theme.column_label(column, frame)
    return EXTRA_LABELS.get(column) or column.replace("_", " ")


def _description(column: str, frame: pd.DataFrame) -> str:
    """What the column means; for a per-capita column also the Stichtag(e) its values use."""
    text = DESCRIPTIONS.get(column, _label(column) + ".")
    days = sorted({pd.Timestamp(d).date() for d in theme.stichtage(column, frame)})
    if days:
        named = ", ".join(fmt.german_date(d) for d in days)
        text += (f" Einwohner zum Stichtag {named}." if len(days) == 1 else
                 f" Einwohner zum gemeinsamen Stichtag des jeweiligen Budgetjahres ({named}; Spalte Einwohner-Stichtag).")
    return text


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _to_date(value):
    return None if _missing(value) else pd.Timestamp(value).date()


def _to_datetime(value):
    if _missing(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("Europe/Berlin").tz_localize(None)
    return stamp.to_pydatetime()


def people_frame(frame: pd.DataFrame, columns: list[str] | None = None, kinds: dict[str, str] | None = None,
                 *, base_url: str = "") -> tuple[pd.DataFrame, list[Column]]:
    """``frame``'s ``columns`` for people, and the explanation of each output column.

    Amount columns (``*_cents``) become the euro amount as the screen shows it plus the exact cents;
    per-inhabitant values two decimals; shares and ratios percent with one decimal.
    """
    columns = theme.with_stichtag_column(frame, [c for c in (columns or list(frame.columns)) if c in frame.columns])
    kinds = kinds or {}
    out: dict[str, list] = {}
    docs: list[Column] = []

    def add(header: str, values: list, description: str, kind: str) -> None:
        while header in out:  # two source columns with one label ("Veränderung") stay apart
            header += " "
        out[header] = values
        docs.append(Column(header.strip(), description, kind))

    for column in columns:
        values = frame[column].tolist()
        kind = kinds.get(column, theme.default_kind(column))
        header, description = _label(column, frame), _description(column, frame)
        if kind == "cents":
            euros = [None if _missing(v) else int(v) / 100 for v in values]
            whole = all(v is None or float(v).is_integer() for v in euros)
            add(f"{header} (€)", [None if v is None else (int(v) if whole else round(v, 2)) for v in euros],
                description + " In Euro, wie auf dem Bildschirm.", "euro" if whole else "eur2")
            add(header + EXACT_SUFFIX, [None if _missing(v) else int(v) for v in values],
                description + " Exakter Betrag in Cent.", "cents")
        elif kind == "eur2":
            add(f"{header}" if "€" in header else f"{header} (€)",
                [None if _missing(v) else round(float(v), 2) for v in values], description, "eur2")
        elif kind in ("pct", "pct_signed", "pct0"):
            add(f"{header} (%)", [None if _missing(v) else round(float(v) * 100, 1) for v in values], description, "pct")
        elif kind in ("int", "number"):
            add(header, [None if _missing(v) else int(round(float(v))) for v in values], description, "int")
        elif kind == "year":
            add(header, [None if _missing(v) else int(v) for v in values], description, "year")
        elif kind == "date":
            add(header, [_to_date(v) for v in values], description, "date")
        elif kind == "datetime":
            add(header, [_to_datetime(v) for v in values], description + " Ortszeit Europe/Berlin.", "datetime")
        elif kind == "bool":
            add(header, [None if _missing(v) else ("ja" if bool(v) else "nein") for v in values], description, "text")
        elif column == "link":
            add(header, [None if _missing(v) else _absolute(str(v), base_url) for v in values], description, "text")
        elif kind == "text":
            add(header, [None if _missing(v) else str(v) for v in values], description, "text")
        else:  # mapped codes: provenance, status, change_status, side, coverage, note_kind
            formatter = theme.FORMATTERS[kind]
            add(header, [None if _missing(v) else formatter(v) for v in values], description, "text")
    # object columns: an integer column with gaps stays integer (no 1011410.0 in the CSV)
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in out.items()}, index=range(len(frame))), docs


def _absolute(link: str, base_url: str) -> str:
    if "://" in link or not base_url:
        return link
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def csv_cell(value, kind: str) -> str:
    """A CSV cell in German notation: decimal comma, dates 6.8.2025, no thousands separator (Excel reads it)."""
    if _missing(value):
        return ""
    if kind in ("eur2", "pct"):
        return f"{value:.{2 if kind == 'eur2' else 1}f}".replace(".", ",")
    if isinstance(value, datetime):
        return f"{value.day}.{value.month}.{value.year} {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)


XLSX_FORMATS = {
    "euro": '#,##0 "€"',
    "cents": "0",
    "eur2": '#,##0.00 "€"',
    "int": "#,##0",
    "year": "0",
    "pct": '0.0 "%"',
    "date": "D.M.YYYY",
    "datetime": "D.M.YYYY hh:mm",
}
