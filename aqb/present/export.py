"""Tables to German-friendly CSV (;, UTF-8 with BOM), XLSX and Parquet, safe against formula injection.

``export_store`` (``aqb export``) writes the store in two forms: for people (the default) with the
screen's German headers and values, amounts rounded as shown plus exact cents, and a sheet that
explains every column; and a machine form (``aqb export --roh``, always for Parquet) with the
store's column names and codes, for scripts.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from aqb.errors import AqbError
from aqb.fmt import stand
from aqb.present import theme
from aqb.present.people_export import XLSX_FORMATS, Column, csv_cell, people_frame
from aqb.store.queries import load_query, run_query

EXPORT_TABLES = {
    "vereinbarungen": "agreements_export",
    "projekte": "projects_export",
    "haushaltszeilen": "budget_lines_export",
    "unterschriften": "signatures_export",
    "veroeffentlichte_betraege": "published_amounts_export",
}
# The people form of each table: its sheet name and the columns a reader needs, in reading order (codes that
# have a German label in another column, and is_demo beside provenance, stay in the machine form only).
PEOPLE_TABLES = {
    "vereinbarungen": ("Vereinbarungen", [
        "agreement_year", "partner_ags", "partner_name", "partner_kind", "regierungsbezirk", "budget_cents",
        "project_count", "status", "status_date", "provenance", "ministry_name", "source_file", "ingested_at",
        "parser_version", "warnings", "source_sha256"]),
    "projekte": ("Projekte", [
        "agreement_year", "partner_ags", "partner_name", "project_position", "measure_type_name", "project_name",
        "provider", "amount_cents", "provenance", "source_file", "source_line", "source_snippet"]),
    "haushaltszeilen": ("Haushaltszeilen", [
        "agreement_year", "partner_ags", "partner_name", "line_position", "programme_label", "line_role_label",
        "amount_cents", "is_part_of_budget", "provenance", "source_file", "source_page", "source_line",
        "source_snippet"]),
    "unterschriften": ("Unterschriften", [
        "agreement_year", "partner_ags", "partner_name", "side", "signed_place", "signed_date", "signer_name",
        "signer_role", "provenance", "source_file"]),
    "veroeffentlichte_betraege": ("Veröffentlichte Beträge", [
        "agreement_year", "partner_ags", "scope", "programme", "is_aqb", "amount_cents", "amount_precision", "note",
        "source_url"]),
}
# Positions, pages and lines are counts of their own kind: plain integers, no thousands separator.
PEOPLE_KINDS = {"project_position": "year", "line_position": "year", "source_page": "year", "source_line": "year"}
FORMATS = ("csv", "xlsx", "parquet")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEMO_NOTE = "Zeilen mit provenance = demo sind Demodaten – nicht amtlich."


def neutralize(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def with_euro_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add an exact ``*_eur`` Decimal column next to each ``*_cents`` column."""
    frame = frame.copy()
    for column in [c for c in frame.columns if c.endswith("_cents")]:
        frame[column[: -len("_cents")] + "_eur"] = [
            None if pd.isna(v) else Decimal(int(v)) / 100 for v in frame[column]
        ]
    return frame


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralize)
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """';'-separated, decimal comma, UTF-8 with BOM: opens correctly in a German Excel."""
    frame = safe_frame(frame)
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, Decimal)).any():
            frame[column] = frame[column].map(lambda v: "" if v is None else f"{v:.2f}".replace(".", ","))
    return frame.to_csv(sep=";", index=False, decimal=",").encode("utf-8-sig")


def xlsx_bytes(frames: dict[str, pd.DataFrame], notes: list[str] | None = None) -> bytes:
    """One sheet per frame (names cut to Excel's 31 characters), plus a 'Hinweise' sheet.

    Formula-like text is kept as written in a text cell (no apostrophe in the value); header row frozen,
    autofilter on, dates as date cells in German format.
    """
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in frames.items():
            out = frame.copy()
            for column in out.columns:
                if isinstance(out[column].dtype, pd.DatetimeTZDtype):
                    out[column] = out[column].dt.tz_convert("Europe/Berlin").dt.tz_localize(None)
            out.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for idx, column in enumerate(out.columns, start=1):
                number_format = ('#,##0.00 "€"' if column.endswith("_eur") else "D.M.YYYY" if column.endswith("_date")
                                 else "D.M.YYYY hh:mm" if column.endswith("_at") else None)
                for (cell,) in sheet.iter_rows(min_row=2, min_col=idx, max_col=idx):
                    if cell.data_type == "f":
                        cell.data_type = "s"  # text that looks like a formula stays text, never evaluated
                    elif number_format and cell.value is not None:
                        cell.number_format = number_format
            sheet.freeze_panes = "A2"
            if len(out.columns):
                sheet.auto_filter.ref = sheet.dimensions
        if notes:
            pd.DataFrame({"Hinweis": notes}).to_excel(writer, sheet_name="Hinweise", index=False)
    return buffer.getvalue()


def people_csv_bytes(frame: pd.DataFrame, columns: list[Column]) -> bytes:
    """A people frame (``people_export.people_frame``) as German CSV; formula-like text keeps a leading apostrophe.

    CSV has no cell types, so the apostrophe is the only guard there; the XLSX uses text cells instead.
    """
    kinds = [c.kind for c in columns]
    body = pd.DataFrame({
        name: [neutralize(csv_cell(v, kind)) if kind == "text" else csv_cell(v, kind) for v in frame[name].tolist()]
        for name, kind in zip(frame.columns, kinds)
    }, index=frame.index)
    return body.to_csv(sep=";", index=False).encode("utf-8-sig")


def people_xlsx_bytes(sheets: dict[str, tuple[pd.DataFrame, list[Column]]], notes: list[str] | None = None) -> bytes:
    """One sheet per people frame with typed cells, frozen header row and autofilter, a sheet 'Spalten'
    explaining every column and a sheet 'Hinweise'.

    Text that a spreadsheet would run as a formula is stored as a text cell — the value itself is unchanged.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    explained = []
    for name, (frame, columns) in sheets.items():
        sheet = book.create_sheet(name[:31])
        sheet.append([c.header for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in frame.itertuples(index=False):
            sheet.append([None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in row])
        for idx, column in enumerate(columns, start=1):
            number_format = XLSX_FORMATS.get(column.kind)
            width = max([len(column.header)] + [len(str(v)) for v in frame.iloc[:200, idx - 1].tolist()])
            sheet.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 8), 60)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=idx, max_col=idx):
                if column.kind == "text" and cell.data_type == "f":
                    cell.data_type = "s"  # shown and stored as the text it is, never evaluated
                elif number_format and cell.value is not None:
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
        if len(columns):
            sheet.auto_filter.ref = sheet.dimensions
        explained += [(name[:31], c.header, c.description) for c in columns]
    info = book.create_sheet("Spalten")
    info.append(["Tabelle", "Spalte", "Bedeutung"])
    for row in explained:
        info.append(list(row))
    for cell in info[1]:
        cell.font = bold
    info.column_dimensions["A"].width, info.column_dimensions["B"].width, info.column_dimensions["C"].width = 16, 36, 90
    info.freeze_panes = "A2"
    if notes:
        hints = book.create_sheet("Hinweise")
        hints.append(["Hinweis"])
        hints["A1"].font = bold
        for note in notes:
            hints.append([note])
        hints.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_store(con, out_dir: Path, fmt: str, *, include_demo: bool, machine: bool = False) -> list[Path]:
    """Write every export table in ``fmt`` into ``out_dir``; returns the files written.

    People form unless ``machine`` (Parquet is always the machine form: typed columns for scripts).
    Raises AqbError for an unknown format.
    """
    if fmt not in FORMATS:
        raise AqbError(f"Format {fmt!r} unbekannt (erlaubt: {', '.join(FORMATS)}).")
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {}
    for name, query in EXPORT_TABLES.items():
        _, needed = load_query(query)
        params = {"include_demo": include_demo} if "include_demo" in needed else {}
        frames[name] = run_query(con, query, **params)
    stand_line = stand(run_query(con, "store_status").iloc[0]["built_at"])
    if machine or fmt == "parquet":
        return _write_machine(out_dir, fmt, {k: with_euro_columns(v) for k, v in frames.items()}, stand_line)
    return _write_people(out_dir, fmt, frames, stand_line)


def _write_people(out_dir: Path, fmt: str, frames: dict[str, pd.DataFrame], stand_line: str) -> list[Path]:
    sheets = {}
    for name, (sheet, columns) in PEOPLE_TABLES.items():
        sheets[name] = (sheet, *people_frame(frames[name], columns, PEOPLE_KINDS))
    notes = [stand_line, "Beträge in Euro gerundet wie im Dashboard; der exakte Betrag steht in der Spalte "
                         "„… (Cent, exakt)“ daneben."]
    if any((f["provenance"] == "demo").any() for f in frames.values() if "provenance" in f):
        notes.append(f"{theme.DEMO_NOTE} Zeilen mit Herkunft „{theme.PROVENANCE_LABELS['demo']}“ sind Demodaten.")
    if fmt == "xlsx":
        path = out_dir / "aqb_export.xlsx"
        path.write_bytes(people_xlsx_bytes({sheet: (frame, cols) for sheet, frame, cols in sheets.values()}, notes))
        return [path]
    written = [out_dir / "STAND.txt", out_dir / "spalten.csv"]
    # The Stand beside the files, as in the machine form; what the columns mean is in spalten.csv.
    written[0].write_text(f"AQB-Dashboard, Export · {stand_line}\n", encoding="utf-8")
    explained = pd.DataFrame([(sheet, c.header, c.description) for sheet, _, cols in sheets.values() for c in cols],
                             columns=["Tabelle", "Spalte", "Bedeutung"])
    written[1].write_bytes(explained.to_csv(sep=";", index=False).encode("utf-8-sig"))
    for name, (_, frame, cols) in sheets.items():
        path = out_dir / f"{name}.csv"
        path.write_bytes(people_csv_bytes(frame, cols))
        written.append(path)
    return written


def _write_machine(out_dir: Path, fmt: str, frames: dict[str, pd.DataFrame], stand_line: str) -> list[Path]:
    written = []
    if fmt == "xlsx":
        path = out_dir / "aqb_export.xlsx"
        path.write_bytes(xlsx_bytes(frames, notes=[DEMO_NOTE, stand_line]))
        written.append(path)
    else:  # CSV and Parquet have no place for a note: the Stand goes beside them
        path = out_dir / "STAND.txt"
        path.write_text(f"AQB-Dashboard, Export · {stand_line}\n", encoding="utf-8")
        written.append(path)
    for name, frame in frames.items():
        if fmt == "csv":
            path = out_dir / f"{name}.csv"
            path.write_bytes(csv_bytes(frame))
        elif fmt == "parquet":
            path = out_dir / f"{name}.parquet"
            out = frame.copy()
            for column in [c for c in out.columns if c.endswith("_eur")]:
                # Quantized Decimals become an exact decimal128(…, 2) column in Parquet.
                out[column] = out[column].map(lambda v: None if v is None else v.quantize(Decimal("0.01")))
            out.to_parquet(path, index=False)
        else:
            continue
        written.append(path)
    return written
