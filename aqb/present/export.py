"""Tables to German-friendly CSV (;, UTF-8 with BOM), XLSX and Parquet, safe against formula injection."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from aqb.errors import AqbError
from aqb.fmt import stand
from aqb.present.people_export import XLSX_FORMATS, Column, csv_cell
from aqb.store.queries import load_query, run_query

EXPORT_TABLES = {
    "vereinbarungen": "agreements_export",
    "projekte": "projects_export",
    "haushaltszeilen": "budget_lines_export",
    "unterschriften": "signatures_export",
    "veroeffentlichte_betraege": "published_amounts_export",
}
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


def export_store(con, out_dir: Path, fmt: str, *, include_demo: bool) -> list[Path]:
    """Write every export table in ``fmt`` into ``out_dir``; returns the files written."""
    if fmt not in FORMATS:
        raise AqbError(f"Format {fmt!r} unbekannt (erlaubt: {', '.join(FORMATS)}).")
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {}
    for name, query in EXPORT_TABLES.items():
        _, needed = load_query(query)
        params = {"include_demo": include_demo} if "include_demo" in needed else {}
        frames[name] = with_euro_columns(run_query(con, query, **params))
    stand_line = stand(run_query(con, "store_status").iloc[0]["built_at"])
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
