"""Exports for people: German headers and values, typed XLSX cells, text cells for formula-like text, column sheet."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
from openpyxl import load_workbook

from aqb.present.export import people_csv_bytes, people_xlsx_bytes
from aqb.present.people_export import people_frame

FRAME = pd.DataFrame({
    "agreement_year": [2025, 2024],
    "partner_name": ["Offenbach am Main", "=HYPERLINK(\"http://x\")"],
    "budget_cents": [101141000, None],
    "budget_per_inhabitant_eur": [7.763441234567891, 4.1],
    "change_ratio": [0.05342, -0.1],
    "signed_date": [pd.Timestamp("2025-08-11"), None],
    "change_status": ["new", "ended"],
    "is_demo": [False, True],
    "provenance": ["vereinbarung", "demo"],
})


def _book():
    frame, columns = people_frame(FRAME)
    return load_workbook(io.BytesIO(people_xlsx_bytes({"Daten": (frame, columns)}, ["Hinweis eins"]))), columns


def test_headers_and_values_are_german_with_exact_cents_beside():
    frame, columns = people_frame(FRAME)
    assert list(frame.columns) == ["Jahr", "Gebietskörperschaft", "Budget (€)", "Budget (Cent, exakt)",
                                   "€ je Einwohner", "Veränderung (%)", "Datum", "gegenüber Vorjahr", "aus Demodaten",
                                   "Herkunft"]
    assert frame.iloc[0].tolist() == [2025, "Offenbach am Main", 1011410, 101141000, 7.76, 5.3, date(2025, 8, 11),
                                      "neu", "nein", "Zielvereinbarung"]
    assert frame.iloc[1]["gegenüber Vorjahr"] == "beendet" and frame.iloc[1]["aus Demodaten"] == "ja"
    assert all("_" not in c.header for c in columns)


def test_xlsx_has_typed_cells_frozen_header_autofilter_and_a_column_sheet():
    book, columns = _book()
    sheet = book["Daten"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J3"
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Jahr", "Gebietskörperschaft", "Budget (€)", "Budget (Cent, exakt)"]
    date_cell = sheet.cell(row=2, column=header.index("Datum") + 1)
    assert isinstance(date_cell.value, datetime) and date_cell.value.date() == date(2025, 8, 11)
    assert date_cell.number_format == "D.M.YYYY"
    euro = sheet.cell(row=2, column=3)
    assert (euro.value, euro.number_format) == (1011410, '#,##0 "€"')
    per_inhabitant = sheet.cell(row=2, column=5)
    assert (per_inhabitant.value, per_inhabitant.number_format) == (7.76, '#,##0.00 "€"')
    explained = [(r[1], r[2]) for r in book["Spalten"].iter_rows(min_row=2, values_only=True)]
    assert [h for h, _ in explained] == header
    assert all(text for _, text in explained)
    assert [r[0] for r in book["Hinweise"].iter_rows(values_only=True)] == ["Hinweis", "Hinweis eins"]


def test_formula_like_text_is_a_text_cell_without_apostrophe():
    book, _ = _book()
    cell = book["Daten"].cell(row=3, column=2)
    assert cell.value == "=HYPERLINK(\"http://x\")"  # the value as written, no leading apostrophe
    assert cell.data_type == "s"  # a text cell: never evaluated


def test_csv_is_german_and_guards_formulas():
    frame, columns = people_frame(FRAME)
    lines = people_csv_bytes(frame, columns).decode("utf-8-sig").splitlines()
    assert lines[1] == "2025;Offenbach am Main;1011410;101141000;7,76;5,3;11.8.2025;neu;nein;Zielvereinbarung"
    assert lines[2].startswith("2024;\"'=HYPERLINK(")  # CSV has no text cells: the apostrophe is the only guard
    assert lines[2].endswith(";;4,10;-10,0;;beendet;ja;Demodaten — nicht amtlich")  # ASCII minus: Excel reads a number
