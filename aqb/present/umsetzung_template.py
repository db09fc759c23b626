"""The Umsetzungsstand XLSX template: instructions, a prefilled data sheet, lists for validation."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd

from aqb.present import escape
from aqb.errors import AqbError
from aqb.fmt import german_date

from aqb.analysis.umsetzung import template_rows
from aqb.ingest.umsetzung_sheet import (COLUMNS, DATA_SHEET, DEMO_MARK, INFO_SHEET, LIST_SHEET, YEAR_LABEL)

def template_bytes(con, year: int, *, partner_ags: str = "", include_demo: bool = True) -> bytes:
    """An XLSX template for ``year`` (one partner or all): instructions + prefilled data sheet."""
    rows = template_rows(con, year, partner_ags=partner_ags, include_demo=include_demo)
    if rows.empty:
        scope = f" für {partner_ags}" if partner_ags else ""
        raise AqbError(f"Keine Vereinbarung {year}{scope} im Bestand – für eine Vorlage fehlen die Projekte.")
    return write_workbook(_records(rows), year)


def _records(rows: pd.DataFrame) -> list[dict]:
    records = []
    for r in rows.to_dict("records"):
        records.append({
            "partner_ags": r["partner_ags"], "partner_name": r["partner_name"], "agreement_year": int(r["agreement_year"]),
            "measure_type_label": r["measure_type_label"], "project_name": r["project_name"],
            "approved_cents": _opt_int(r.get("approved_cents")), "spent_cents": _opt_int(r.get("spent_cents")),
            "planned_places": _opt_int(r.get("planned_places")), "participants": _opt_int(r.get("participants")),
            "as_of_date": None if pd.isna(r.get("as_of_date")) else pd.Timestamp(r["as_of_date"]).date(),
            "is_demo": bool(r["is_demo"]),
        })
    return records


def _opt_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def write_workbook(records: list[dict], year: int, *, demo_sheet: bool = False) -> bytes:
    """Write the workbook: 'Anleitung', 'Umsetzungsstand' (one row per record) and a hidden 'Listen'."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    data = wb.create_sheet(DATA_SHEET)
    lists = wb.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"

    bold = Font(bold=True)
    has_demo = demo_sheet or any(r.get("is_demo") for r in records)
    info["A1"] = f"Umsetzungsstand AQB {year} – Vorlage für die Umsetzungsbesprechung (§ 6)"
    info["A1"].font = Font(bold=True, size=14)
    info["A3"], info["B3"] = YEAR_LABEL, year
    info["A3"].font = bold
    info["A4"], info["B4"] = "Erstellt am:", german_date(date.today())
    lines = [
        "So wird die Tabelle ausgefüllt:",
        "1. Im Blatt „Umsetzungsstand“ steht je Projekt der Vereinbarung eine Zeile; AGS, Jahr und Projekt nicht ändern.",
        "2. Bewilligt und Ausgezahlt/abgerufen in Euro eintragen (Zahl, bis 2 Nachkommastellen, keine Formeln nötig).",
        "3. Ausgezahlt/abgerufen darf den bewilligten Betrag nicht übersteigen; Beträge und Zahlen nie negativ.",
        "4. Geplante Plätze und Teilnehmende bisher als ganze Zahlen; leer lassen, wenn nicht erhoben.",
        "5. Stand = Datum, auf das sich die Angaben beziehen (z. B. 30.9.2025).",
        "6. Zeilen ohne jede Angabe werden beim Einlesen ausgelassen; Projekte, die fehlen, gelten als nicht gemeldet.",
        "",
        "Beim Einlesen (aqb import-umsetzung DATEI oder Upload im Dashboard) wird jede Zeile geprüft. Ist eine Zeile",
        "fehlerhaft, wird die ganze Datei abgelehnt und jede fehlerhafte Zeile mit dem Grund genannt – nichts wird halb",
        "übernommen. Eine korrigierte Datei ersetzt den bisherigen Stand je Gebietskörperschaft und Jahr vollständig.",
    ]
    for offset, line in enumerate(lines):
        info.cell(row=6 + offset, column=1, value=line)
    row = 6 + len(lines) + 1
    info.cell(row=row, column=1, value="Spalte").font = bold
    info.cell(row=row, column=2, value="Bedeutung").font = bold
    for column in COLUMNS:
        row += 1
        info.cell(row=row, column=1, value=column.header)
        info.cell(row=row, column=2, value=column.help_text)
    if has_demo:
        row += 2
        cell = info.cell(row=row, column=1, value=f"{DEMO_MARK}: Zeilen mit diesem Hinweis gehören zu Demodaten "
                                                 "(generierte Vereinbarungen oder Zahlen), nicht zu amtlichen Quellen.")
        cell.font = Font(bold=True, color="B00020")
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90

    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for idx, column in enumerate(COLUMNS, start=1):
        cell = data.cell(row=1, column=idx, value=column.header)
        cell.font = bold
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        data.column_dimensions[cell.column_letter].width = column.width
    data.freeze_panes = "A2"
    for n, record in enumerate(records, start=2):
        values = [
            record["partner_ags"], record["partner_name"], record["agreement_year"], record.get("measure_type_label"),
            record["project_name"],
            None if record.get("approved_cents") is None else Decimal(record["approved_cents"]) / 100,
            None if record.get("spent_cents") is None else Decimal(record["spent_cents"]) / 100,
            record.get("planned_places"), record.get("participants"), record.get("as_of_date"),
            DEMO_MARK if (demo_sheet or record.get("is_demo")) else None,
        ]
        for idx, value in enumerate(values, start=1):
            escape.xlsx_text(data.cell(row=n, column=idx), value)  # a project name never becomes a formula
    last = max(len(records) + 1, 2) + 200  # room for rows added by hand
    for letter in ("F", "G"):
        for n in range(2, last + 1):
            data[f"{letter}{n}"].number_format = '#,##0.00 "€"'
    for n in range(2, last + 1):
        data[f"A{n}"].number_format = "@"
        data[f"J{n}"].number_format = "D.M.YYYY"

    partners = sorted({(r["partner_ags"], r["partner_name"]) for r in records})
    projects = sorted({r["project_name"] for r in records})
    lists["A1"], lists["B1"], lists["C1"] = "AGS", "Gebietskörperschaft", "Projekt"
    for n, (ags, name) in enumerate(partners, start=2):
        lists.cell(row=n, column=1, value=ags)
        lists.cell(row=n, column=2, value=name)
    for n, name in enumerate(projects, start=2):
        lists.cell(row=n, column=3, value=name)

    def validation(kind, sqref, title, message, **kwargs):
        dv = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, errorTitle=title, error=message,
                            **kwargs)
        dv.add(sqref)
        data.add_data_validation(dv)

    first, end = 2, last
    if partners:
        validation("list", f"A{first}:A{end}", "AGS unbekannt", "Bitte eine AGS aus der Liste wählen.",
                   formula1=f"{LIST_SHEET}!$A$2:$A${len(partners) + 1}")
    if projects:
        validation("list", f"E{first}:E{end}", "Projekt unbekannt",
                   "Das Projekt steht in keiner Vereinbarung dieser Vorlage.",
                   formula1=f"{LIST_SHEET}!$C$2:$C${len(projects) + 1}")
    validation("whole", f"C{first}:C{end}", "Falsches Jahr", f"Diese Vorlage gilt für {year}.",
               operator="equal", formula1=str(year))
    validation("decimal", f"F{first}:F{end}", "Ungültiger Betrag", "Betrag in Euro, nicht negativ.",
               operator="greaterThanOrEqual", formula1="0")
    validation("custom", f"G{first}:G{end}", "Ungültiger Betrag",
               "Ausgezahlt/abgerufen: Betrag in Euro, nicht negativ und höchstens der bewilligte Betrag.",
               formula1=f"AND(ISNUMBER(G{first}),G{first}>=0,OR(F{first}=\"\",G{first}<=F{first}))")
    for letter in ("H", "I"):
        validation("whole", f"{letter}{first}:{letter}{end}", "Ungültige Zahl", "Ganze Zahl, nicht negativ.",
                   operator="greaterThanOrEqual", formula1="0")
    validation("date", f"J{first}:J{end}", "Ungültiges Datum",
               f"Datum zwischen 1.1.{year} und 31.12.{year + 1}.", operator="between",
               formula1=f"DATE({year},1,1)", formula2=f"DATE({year + 1},12,31)")

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
