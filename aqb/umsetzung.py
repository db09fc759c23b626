"""Umsetzungsstand (plan vs. actual): the XLSX template, its all-or-nothing import and the demo sheet.

The agreement is the plan; in autumn each partner reports per project what was approved, spent
(called off), how many places were planned and how many participants came. A sheet is checked
row by row against the store; one bad row refuses the whole file with a German list of every
problem, so nothing is ever half-imported. An accepted sheet replaces, per partner x year it
contains, everything stored before for that partner x year, in one new snapshot. Generated demo
figures never replace figures imported from a real sheet.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path

import duckdb
import pandas as pd

from aqb import snapshots
from aqb.errors import AqbError, StoreError
from aqb.fmt import euro_from_cents, german_date
from aqb.money import parse_plain_number
from aqb.partners import match_partner, normalize
from aqb.queries import run_query
from aqb.reference import Partner, load_partners
from aqb.settings import Settings

DATA_SHEET = "Umsetzungsstand"
INFO_SHEET = "Anleitung"
LIST_SHEET = "Listen"
YEAR_LABEL = "Jahr der Vorlage:"
DEMO_MARK = "Demodaten — nicht amtlich"
DEMO_YEAR = 2025
DEMO_SEED = 20251
DEMO_FILE = f"umsetzungsstand_{DEMO_YEAR}_demo.xlsx"
DATA_SUBDIR = "umsetzung"  # real sheets in data/umsetzung/ are re-imported by `aqb build`
PROVENANCE_SHEET, PROVENANCE_DEMO = "umsetzung", "demo"
MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 200
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # a zip bomb disguised as .xlsx is refused before openpyxl opens it

NEW, REPLACED, UNCHANGED, SKIPPED = "neu", "ersetzt", "unverändert", "übersprungen"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    help_text: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("partner_ags", "AGS", 9, "Amtlicher Gemeindeschlüssel der Gebietskörperschaft, z. B. 06413."),
    Column("partner_name", "Gebietskörperschaft", 26, "Name; wird nur gebraucht, wenn die AGS fehlt.",
           ("partner", "name", "landkreis/stadt")),
    Column("agreement_year", "Jahr", 7, "Jahr der Zielvereinbarung (muss zum Jahr der Vorlage passen).",
           ("vereinbarungsjahr",)),
    Column("measure_type_label", "Maßnahmenart", 24, "Nur zur Orientierung, wird beim Einlesen nicht geprüft."),
    Column("project_name", "Projekt", 52, "Projektname genau wie in § 5 der Vereinbarung.", ("projektname", "maßnahme")),
    Column("approved", "Bewilligt (€)", 16, "Bewilligter Betrag in Euro (bis 2 Nachkommastellen).",
           ("bewilligt", "bewilligt €", "bewilligt in €")),
    Column("spent", "Ausgezahlt/abgerufen (€)", 16,
           "Bisher ausgezahlte bzw. abgerufene Mittel in Euro; höchstens der bewilligte Betrag.",
           ("ausgezahlt", "abgerufen", "ausgezahlt (€)", "abgerufen (€)", "ausgezahlt/abgerufen")),
    Column("planned_places", "Geplante Plätze", 10, "Geplante Teilnehmendenplätze (ganze Zahl, darf leer bleiben).",
           ("plätze", "geplante teilnehmendenplätze")),
    Column("participants", "Teilnehmende bisher", 12, "Bisher erreichte Teilnehmende (ganze Zahl, darf leer bleiben).",
           ("teilnehmende", "teilnehmer")),
    Column("as_of_date", "Stand (Datum)", 13, "Datum, auf das sich die Angaben beziehen, z. B. 30.9.2025.",
           ("stand", "datum", "stichtag")),
    Column("note", "Hinweis", 28, "Wird nicht eingelesen."),
)
REQUIRED = ("agreement_year", "project_name", "approved", "spent", "planned_places", "participants", "as_of_date")
VALUE_KEYS = ("approved", "spent", "planned_places", "participants", "as_of_date")
LABEL = {c.key: c.header.replace(" (€)", "") for c in COLUMNS}
LABEL["spent"] = "Ausgezahlt"


class SheetRefused(AqbError):
    """A sheet that is not imported at all; ``errors`` holds one German line per problem ("Zeile 7: …")."""

    def __init__(self, file_name: str, errors: list[str]):
        self.file_name = file_name
        self.errors = list(errors)
        shown = self.errors[:MAX_ERRORS_SHOWN]
        more = len(self.errors) - len(shown)
        lines = shown + ([f"… und {more} weitere Fehler"] if more > 0 else [])
        super().__init__(f"{file_name}: nichts übernommen, {_problem_count(self.errors)}:\n" + "\n".join(lines))


def _problem_count(errors: list[str]) -> str:
    rows = {m.group(1) for m in (re.match(r"Zeile (\d+):", e) for e in errors) if m}
    if rows:
        return f"{len(rows)} fehlerhafte Zeile" + ("n" if len(rows) != 1 else "")
    return "die Datei ist fehlerhaft"


@dataclass(frozen=True)
class StatusRow:
    """One validated row: money in cents, counts as integers."""

    sheet_row: int
    partner_ags: str
    partner_name: str
    agreement_year: int
    project_name: str
    approved_cents: int
    spent_cents: int
    planned_places: int | None
    participants: int | None
    as_of_date: date


@dataclass
class PartnerOutcome:
    partner_ags: str
    partner_name: str
    agreement_year: int
    outcome: str
    row_count: int
    message: str


@dataclass
class ImportReport:
    file_name: str
    outcomes: list[PartnerOutcome] = field(default_factory=list)
    blank_rows: int = 0
    snapshot: Path | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def row_count(self) -> int:
        return sum(o.row_count for o in self.outcomes if o.outcome in (NEW, REPLACED))

    def summary(self) -> str:
        text = (f"{self.file_name}: {self.row_count} Zeilen übernommen – {self.count(NEW)} neu, "
                f"{self.count(REPLACED)} ersetzt, {self.count(UNCHANGED)} unverändert, "
                f"{self.count(SKIPPED)} übersprungen (Gebietskörperschaft × Jahr)")
        if self.blank_rows:
            text += f"; {self.blank_rows} Zeilen ohne Angaben ausgelassen"
        return text


# ---------------------------------------------------------------------------------------------
# Store access


def _schema_sql() -> str:
    return resources.files("aqb").joinpath("sql/schema.sql").read_text(encoding="utf-8")


def status_available(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the store has the implementation_status table (stores built before it lack it)."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_name = 'implementation_status'"
    ).fetchone()
    return bool(found and found[0])


def find_partner(reference_dir: Path, text: str, year: int | None = None) -> Partner:
    """The partner meant by an AGS ("06413", "6413") or a name ("Offenbach am Main"); raises AqbError."""
    partners = load_partners(reference_dir)
    wanted = str(text).strip()
    if re.fullmatch(r"\d{4,5}", wanted):
        found = [p for p in partners if p.ags == wanted.zfill(5)]
    else:
        found = list(match_partner(wanted, partners).candidates)
    if year is not None and len({p.ags for p in found}) == 1 and len(found) > 1:
        found = [p for p in found if p.is_partner_in(year)] or found
    unique = {p.ags: p for p in found}
    if not unique:
        raise AqbError(f"Gebietskörperschaft „{wanted}“ unbekannt (AGS oder Name, z. B. 06413 oder „Offenbach am Main“).")
    if len(unique) > 1:
        names = ", ".join(f"{p.name} ({p.ags})" for p in unique.values())
        raise AqbError(f"„{wanted}“ ist nicht eindeutig: {names}.")
    return next(iter(unique.values()))


# Invariants of the Umsetzungsstand as data tests (same shape as aqb.checks.CHECKS): rows that break a rule.
STATUS_CHECKS = {
    "status_amounts_valid": """
        select partner_ags, agreement_year, project_name from implementation_status
        where approved_cents < 0 or spent_cents < 0 or spent_cents > approved_cents
           or planned_places < 0 or participants < 0""",
    "status_belongs_to_current_project": """
        select s.partner_ags, s.agreement_year, s.project_name from implementation_status as s
        anti join (select a.partner_ags, a.agreement_year, p.project_name
                   from agreements as a join projects as p using (agreement_id)) as k
            using (partner_ags, agreement_year, project_name)""",
    "status_demo_flag_matches_provenance": """
        select partner_ags, agreement_year, project_name from implementation_status
        where provenance = 'demo' and not is_demo""",
    "status_partner_year_one_source": """
        select partner_ags, agreement_year from implementation_status
        group by all having count(distinct provenance) > 1""",
}


def run_status_checks(con) -> dict[str, list[tuple]]:
    """The Umsetzungsstand checks that fail, with their offending rows (empty dict = consistent)."""
    if not status_available(con):
        return {}
    failures = {}
    for name, sql in STATUS_CHECKS.items():
        found = con.execute(sql).fetchall()
        if found:
            failures[name] = found
    return failures


# ---------------------------------------------------------------------------------------------
# Template


def template_rows(con, year: int, *, partner_ags: str = "", include_demo: bool = True) -> pd.DataFrame:
    """The projects of the year's agreements, prefilled with the last imported real figures."""
    if not status_available(con):
        raise StoreError("Der Bestand hat noch keine Tabelle für den Umsetzungsstand: `aqb build` ergänzt sie.")
    return run_query(con, "umsetzung_template_rows", agreement_year=year, partner_ags=partner_ags,
                     include_demo=include_demo)


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
            data.cell(row=n, column=idx, value=value)
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


# ---------------------------------------------------------------------------------------------
# Reading and validating a sheet


@dataclass
class RawSheet:
    file_name: str
    template_year: int | None
    rows: list[tuple[int, dict]]  # (Excel row number, {column key: cell value})


def _header_key(text) -> str | None:
    if text is None:
        return None
    wanted = re.sub(r"\s+", " ", str(text)).strip().casefold()
    for column in COLUMNS:
        names = {column.header.casefold(), column.header.replace(" (€)", "").casefold(), *column.aliases}
        if wanted in names:
            return column.key
    return None


def read_sheet(data: bytes, file_name: str, max_bytes: int = 20 * 1024 * 1024) -> RawSheet:
    """The raw rows of the data sheet; raises SheetRefused when the file is no usable workbook."""
    if len(data) > max_bytes:
        raise SheetRefused(file_name, [f"Datei größer als {max_bytes // (1024 * 1024)} MB."])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise SheetRefused(file_name, ["Datei entpackt zu groß – keine gewöhnliche Tabelle."])
    except zipfile.BadZipFile:
        raise SheetRefused(file_name, ["Keine XLSX-Datei (Excel-Arbeitsmappe); bitte die Vorlage verwenden."]) from None

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetRefused(file_name, [f"Arbeitsmappe nicht lesbar ({type(exc).__name__})."]) from None
    try:
        template_year = None
        if INFO_SHEET in wb.sheetnames:
            for row in wb[INFO_SHEET].iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
                if row and row[0] == YEAR_LABEL and isinstance(row[1], (int, float)):
                    template_year = int(row[1])
        sheet = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header = next(rows_iter, None) or ()
        keys = [_header_key(h) for h in header]
        present = set(keys) - {None}
        missing = [LABEL[k] for k in REQUIRED if k not in present]
        if "partner_ags" not in present and "partner_name" not in present:
            missing.insert(0, "AGS oder Gebietskörperschaft")
        if missing:
            raise SheetRefused(file_name, [
                f"Blatt „{sheet.title}“, Kopfzeile: Spalte(n) {', '.join('„' + m + '“' for m in missing)} fehlen – "
                "bitte die Vorlage (aqb template umsetzung) verwenden."
            ])
        rows = []
        for number, values in enumerate(rows_iter, start=2):
            if number - 1 > MAX_ROWS:
                raise SheetRefused(file_name, [f"Mehr als {MAX_ROWS} Zeilen – so viele Projekte gibt es nicht."])
            record = {k: v for k, v in zip(keys, values) if k is not None}
            rows.append((number, record))
        return RawSheet(file_name, template_year, rows)
    finally:
        wb.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    if isinstance(value, (datetime, date)):
        return german_date(value)
    return str(value).strip()


def _cents(value) -> tuple[int | None, str | None]:
    """(cents, None) or (None, reason) for a money cell: number or German text like '120.000,50 €'."""
    if isinstance(value, bool):
        return None, "ist keine Zahl"
    if isinstance(value, int):
        return value * 100, None
    if isinstance(value, (float, Decimal)):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return None, "ist keine Zahl"
        if not amount.is_finite():
            return None, "ist keine Zahl"
        rounded = amount.quantize(Decimal("0.01"))
        if abs(amount - rounded) > Decimal("0.000001"):  # tolerate binary noise of computed cells
            return None, "hat mehr als zwei Nachkommastellen"
        return int(rounded * 100), None
    if isinstance(value, str):
        text = re.sub(r"(?i)\s*(€|eur|euro)\s*$", "", value.strip())
        negative = text.startswith(("-", "−"))
        if negative:
            text = text[1:].strip()
        cents = parse_plain_number(text)
        if cents is None:
            return None, "ist keine Zahl"
        return (-cents if negative else cents), None
    return None, "ist keine Zahl"


def _count(value) -> tuple[int | None, str | None]:
    if isinstance(value, bool):
        return None, "ist keine ganze Zahl"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        return (int(value), None) if value.is_integer() else (None, "ist keine ganze Zahl")
    if isinstance(value, str):
        text = value.strip().replace(".", "")
        negative = text.startswith(("-", "−"))
        digits = text[1:].strip() if negative else text
        if digits.isdigit():
            return (-int(digits) if negative else int(digits)), None
    return None, "ist keine ganze Zahl"


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        try:
            if match:
                return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _project_key(name: str) -> str:
    return normalize(name)


@dataclass
class _Context:
    """What the store knows: partners by AGS and the projects of every current agreement."""

    partners: dict[str, str]  # ags -> name
    projects: dict[tuple[str, int], dict[str, str]]  # (ags, year) -> normalized name -> stored name
    reference: tuple[Partner, ...]

    @classmethod
    def load(cls, con, settings: Settings) -> "_Context":
        partners = {r.partner_ags: r.partner_name for r in run_query(con, "umsetzung_partners").itertuples()}
        projects: dict[tuple[str, int], dict[str, str]] = {}
        for r in run_query(con, "umsetzung_known_projects").itertuples():
            projects.setdefault((r.partner_ags, int(r.agreement_year)), {})[_project_key(r.project_name)] = r.project_name
        return cls(partners, projects, load_partners(settings.reference_dir))


def validate(sheet: RawSheet, context: _Context, *, expected_year: int | None = None,
             today: date | None = None) -> tuple[list[StatusRow], int]:
    """Check every row; returns (rows, blank row count) or raises SheetRefused listing every problem."""
    today = today or date.today()
    year_wanted = expected_year or sheet.template_year
    errors: list[str] = []
    rows: list[StatusRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    blank = 0
    for number, cells in sheet.rows:
        ident = [cells.get(k) for k in ("partner_ags", "partner_name", "agreement_year", "project_name")]
        values = [cells.get(k) for k in VALUE_KEYS]
        if all(_blank(v) for v in ident + values):
            continue
        if all(_blank(v) for v in values):
            blank += 1
            continue
        problems: list[str] = []

        ags, name = _row_partner(cells, context, problems)
        year = None
        raw_year = cells.get("agreement_year")
        if _blank(raw_year):
            problems.append("Jahr fehlt")
        else:
            year, reason = _count(raw_year)
            if reason or not (1990 <= year <= 2100):
                problems.append(f"Jahr („{_shown(raw_year)}“) ist keine Jahreszahl")
                year = None
            elif year_wanted and year != year_wanted:
                problems.append(f"Jahr {year} passt nicht zur Vorlage für {year_wanted}")
                year = None

        project = None
        raw_project = cells.get("project_name")
        if _blank(raw_project):
            problems.append("Projekt fehlt")
        elif ags and year:
            known = context.projects.get((ags, year))
            if known is None:
                problems.append(f"Für {name} gibt es keine Vereinbarung {year} im Bestand")
            else:
                project = known.get(_project_key(str(raw_project)))
                if project is None:
                    problems.append(f"Projekt „{_shown(raw_project)}“ steht nicht in der Vereinbarung {name} {year}")

        money = {}
        for key in ("approved", "spent"):
            raw = cells.get(key)
            if _blank(raw):
                problems.append(f"{LABEL[key]} fehlt")
                continue
            cents, reason = _cents(raw)
            if reason:
                problems.append(f"{LABEL[key]} („{_shown(raw)}“) {reason}")
            elif cents < 0:
                problems.append(f"{LABEL[key]} ({euro_from_cents(cents)}) ist negativ")
            else:
                money[key] = cents
        if len(money) == 2 and money["spent"] > money["approved"]:
            problems.append(f"Ausgezahlt ({euro_from_cents(money['spent'])}) größer als bewilligt "
                            f"({euro_from_cents(money['approved'])})")

        counts = {}
        for key in ("planned_places", "participants"):
            raw = cells.get(key)
            if _blank(raw):
                counts[key] = None
                continue
            number_value, reason = _count(raw)
            if reason:
                problems.append(f"{LABEL[key]} („{_shown(raw)}“) {reason}")
            elif number_value < 0:
                problems.append(f"{LABEL[key]} ({number_value}) ist negativ")
            else:
                counts[key] = number_value

        as_of = None
        raw_date = cells.get("as_of_date")
        if _blank(raw_date):
            problems.append("Stand (Datum) fehlt")
        else:
            as_of = _date(raw_date)
            if as_of is None:
                problems.append(f"Stand („{_shown(raw_date)}“) ist kein Datum (T.M.JJJJ)")
            elif as_of > today:
                problems.append(f"Stand {german_date(as_of)} liegt in der Zukunft")
                as_of = None
            elif year and not (date(year, 1, 1) <= as_of <= date(year + 1, 12, 31)):
                problems.append(f"Stand {german_date(as_of)} passt nicht zum Jahr {year}")
                as_of = None

        if project and ags and year:
            key = (ags, year, project)
            if key in seen:
                problems.append(f"Projekt „{project}“ steht doppelt in der Datei (auch Zeile {seen[key]})")
            else:
                seen[key] = number

        if problems:
            errors.extend(f"Zeile {number}: {p}" for p in problems)
            continue
        rows.append(StatusRow(
            sheet_row=number, partner_ags=ags, partner_name=name, agreement_year=year, project_name=project,
            approved_cents=money["approved"], spent_cents=money["spent"], planned_places=counts["planned_places"],
            participants=counts["participants"], as_of_date=as_of,
        ))
    if errors:
        raise SheetRefused(sheet.file_name, errors)
    if not rows:
        raise SheetRefused(sheet.file_name, ["Keine ausgefüllte Zeile gefunden – nichts einzulesen."])
    return rows, blank


def _row_partner(cells: dict, context: _Context, problems: list[str]) -> tuple[str | None, str | None]:
    raw_ags, raw_name = cells.get("partner_ags"), cells.get("partner_name")
    ags = None
    if not _blank(raw_ags):
        text = str(int(raw_ags)) if isinstance(raw_ags, (int, float)) and not isinstance(raw_ags, bool) else str(raw_ags)
        text = text.strip()
        if re.fullmatch(r"\d{4,5}", text) and text.zfill(5) in context.partners:
            ags = text.zfill(5)
        else:
            problems.append(f"Gebietskörperschaft mit AGS „{_shown(raw_ags)}“ unbekannt")
            return None, None
    if not _blank(raw_name):
        found = {p.ags for p in match_partner(str(raw_name), context.reference).candidates}
        if ags is None:
            if len(found) != 1 or next(iter(found)) not in context.partners:
                problems.append(f"Gebietskörperschaft „{_shown(raw_name)}“ unbekannt")
                return None, None
            ags = next(iter(found))
        elif found and ags not in found:
            problems.append(f"AGS {ags} gehört zu {context.partners[ags]}, nicht zu „{_shown(raw_name)}“")
            return None, None
    if ags is None:
        problems.append("Gebietskörperschaft fehlt (AGS oder Name)")
        return None, None
    return ags, context.partners[ags]


# ---------------------------------------------------------------------------------------------
# Import


def import_file(path: Path, settings: Settings, *, actor: str = "cli", expected_year: int | None = None) -> ImportReport:
    """Import one sheet from disk (see import_sheets)."""
    path = Path(path)
    if not path.is_file():
        raise AqbError(f"{path.name}: Datei nicht gefunden.")
    return import_sheets([(path.name, path.read_bytes())], settings, actor=actor, expected_year=expected_year)[0]


def import_sheets(sheets: list[tuple[str, bytes]], settings: Settings, *, actor: str = "cli", is_demo: bool = False,
                  expected_year: int | None = None, today: date | None = None) -> list[ImportReport]:
    """Validate and import sheets into one new snapshot; all or nothing.

    Raises SheetRefused (with every bad row) when any sheet has a problem, StoreError when no store
    exists. Demo sheets never replace rows imported from a real sheet. Nothing is published when
    nothing changed.
    """
    raw = [read_sheet(data, name, settings.max_file_bytes) for name, data in sheets]
    with snapshots.writer_lock(settings):
        current = snapshots.current_snapshot(settings)
        if current is None:
            raise StoreError("Noch kein Bestand: zuerst `aqb build`, dann den Umsetzungsstand einlesen.")
        reader = duckdb.connect(str(current), read_only=True)
        try:
            context = _Context.load(reader, settings)
        finally:
            reader.close()
        validated = [(sheet, *validate(sheet, context, expected_year=expected_year, today=today)) for sheet in raw]
        temp = snapshots.start_snapshot(settings)
        try:
            con = duckdb.connect(str(temp))
            try:
                reports = _apply(con, validated, is_demo=is_demo, actor=actor)
                con.execute("checkpoint")
            finally:
                con.close()
            changed = any(r.count(NEW) or r.count(REPLACED) for r in reports)
            if changed:
                snapshot = snapshots.publish_snapshot(settings, temp)
            else:
                temp.unlink(missing_ok=True)
                snapshot = current
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    for report in reports:
        report.snapshot = snapshot
    return reports


_COMPARED = ("project_name", "approved_cents", "spent_cents", "planned_places", "participants", "as_of_date")


def _apply(con, validated, *, is_demo: bool, actor: str) -> list[ImportReport]:
    from aqb.store import SCHEMA_VERSION

    con.execute(_schema_sql())
    version = con.execute("select meta_value from meta where meta_key = 'schema_version'").fetchone()
    if version and version[0] != SCHEMA_VERSION:
        raise StoreError(f"Bestand hat Schemaversion {version[0]}, erwartet {SCHEMA_VERSION}: `aqb build --fresh`.")
    now = datetime.now().replace(microsecond=0)
    provenance = PROVENANCE_DEMO if is_demo else PROVENANCE_SHEET
    demo_agreements = {
        (ags, year) for ags, year in con.execute("select partner_ags, agreement_year from agreements where is_demo").fetchall()
    }
    reports = []
    con.execute("begin transaction")
    try:
        for sheet, rows, blank in validated:
            report = ImportReport(sheet.file_name, blank_rows=blank)
            groups: dict[tuple[str, int], list[StatusRow]] = {}
            for row in rows:
                groups.setdefault((row.partner_ags, row.agreement_year), []).append(row)
            for (ags, year), group in sorted(groups.items()):
                label = f"{group[0].partner_name} {year}"
                existing = con.execute(
                    "select provenance, project_name, approved_cents, spent_cents, planned_places, participants,"
                    " as_of_date from implementation_status where partner_ags = $ags and agreement_year = $year"
                    " order by project_name", {"ags": ags, "year": year}).fetchall()
                if is_demo and any(r[0] != PROVENANCE_DEMO for r in existing):
                    report.outcomes.append(PartnerOutcome(ags, group[0].partner_name, year, SKIPPED, 0,
                                                          f"{label}: Umsetzungsstand aus einer Tabelle vorhanden, "
                                                          "Demodaten nicht übernommen."))
                    continue
                incoming = sorted((r.project_name, r.approved_cents, r.spent_cents, r.planned_places, r.participants,
                                   r.as_of_date) for r in group)
                if existing and all(r[0] == provenance for r in existing) and sorted(tuple(r[1:]) for r in existing) == incoming:
                    report.outcomes.append(PartnerOutcome(ags, group[0].partner_name, year, UNCHANGED, 0,
                                                          f"{label}: unverändert."))
                    continue
                con.execute("delete from implementation_status where partner_ags = $ags and agreement_year = $year",
                            {"ags": ags, "year": year})
                frame = pd.DataFrame([{
                    "partner_ags": r.partner_ags, "agreement_year": r.agreement_year, "project_name": r.project_name,
                    "approved_cents": r.approved_cents, "spent_cents": r.spent_cents,
                    "planned_places": r.planned_places, "participants": r.participants, "as_of_date": r.as_of_date,
                    "provenance": provenance, "is_demo": is_demo or (ags, year) in demo_agreements,
                    "source_file": sheet.file_name, "imported_at": now,
                } for r in group])
                frame["planned_places"] = frame["planned_places"].astype("Int64")
                frame["participants"] = frame["participants"].astype("Int64")
                con.register("incoming_status", frame)
                try:
                    con.execute("insert into implementation_status by name select * from incoming_status")
                finally:
                    con.unregister("incoming_status")
                spent = sum(r.spent_cents for r in group)
                approved = sum(r.approved_cents for r in group)
                outcome = REPLACED if existing else NEW
                message = (f"{label}: {len(group)} Projekte, {euro_from_cents(spent)} von {euro_from_cents(approved)} "
                           f"abgeflossen, Stand {german_date(max(r.as_of_date for r in group))}"
                           + (" – ersetzt den bisherigen Stand." if existing else "."))
                report.outcomes.append(PartnerOutcome(ags, group[0].partner_name, year, outcome, len(group), message))
            _log(con, report, now, actor)
            reports.append(report)
        if any(r.count(NEW) or r.count(REPLACED) for r in reports):
            con.execute("insert or replace into meta values ('built_at', $b)", {"b": now.isoformat()})
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return reports


def _log(con, report: ImportReport, now: datetime, actor: str) -> None:
    for o in report.outcomes:
        if o.outcome == UNCHANGED:
            continue
        con.execute(
            "insert into ingest_log values ($t, $a, $f, null, $o, $m)",
            {"t": now, "a": actor, "f": report.file_name, "o": o.outcome, "m": "Umsetzungsstand " + o.message},
        )


# ---------------------------------------------------------------------------------------------
# Demo Umsetzungsstand and the build hook

# Cost of one place per Maßnahmenart in Euro (low, high): seeds plausible planned places.
_PLACE_COST_EUR = {1: (6_000, 9_000), 2: (9_000, 14_000), 3: (3_500, 7_000), 4: (400, 900)}


def demo_records(con, year: int = DEMO_YEAR, seed: int = DEMO_SEED) -> list[dict]:
    """Seeded plan-vs-actual figures for every project of the year's agreements (approved sums to the budget)."""
    rows = run_query(con, "umsetzung_known_projects")
    rows = rows[rows["agreement_year"] == year]
    records = []
    for ags, group in rows.groupby("partner_ags", sort=True):
        group = group.sort_values("project_position")
        budget = int(group["budget_cents"].iloc[0])
        rng = random.Random(f"{seed}:umsetzung:{ags}:{year}")
        # Integer weights keep the split exact: approved in whole hundreds of Euro, the rest to the largest.
        weights = [rng.randint(60, 160) * (35 if int(code) == 4 else 100) for code in group["measure_type_code"]]
        shares = [budget * w // sum(weights) // 10_000 * 10_000 for w in weights]
        shares[max(range(len(shares)), key=lambda i: shares[i])] += budget - sum(shares)
        pace = rng.uniform(0.45, 0.82)
        for share, r in zip(shares, group.to_dict("records")):
            ratio_permille = max(0, min(1000, round(1000 * (pace + rng.uniform(-0.2, 0.2)))))
            spent = share * ratio_permille // 1000 // 100 * 100
            low, high = _PLACE_COST_EUR[int(r["measure_type_code"])]
            places = max(1, share // 100 // rng.randint(low, high))
            participants = max(0, round(places * rng.uniform(0.5, 1.1)))
            records.append({
                "partner_ags": ags, "partner_name": r["partner_name"], "agreement_year": year,
                "measure_type_label": r["measure_type_label"], "project_name": r["project_name"],
                "approved_cents": share, "spent_cents": spent, "planned_places": int(places),
                "participants": int(participants), "as_of_date": date(year, 9, 30), "is_demo": True,
            })
    return records


def refresh_from_data(settings: Settings, *, with_demo: bool) -> list[tuple[str, str, str]]:
    """The build step: re-import real sheets from data/umsetzung/, then the demo sheet.

    Returns (file name, outcome, message) per file; a refused real sheet is reported, not raised,
    so one bad sheet does not stop the build.
    """
    results: list[tuple[str, str, str]] = []
    folder = settings.data_dir / DATA_SUBDIR
    for path in sorted(folder.glob("*.xlsx")) if folder.is_dir() else []:
        try:
            report = import_file(path, settings, actor="build")
        except SheetRefused as exc:
            results.append((path.name, "abgelehnt", str(exc).split("\n", 1)[-1].replace("\n", "; ")))
            continue
        results.append((path.name, _file_outcome(report), report.summary()))
    if with_demo:
        current = snapshots.current_snapshot(settings)
        if current is None:
            return results
        con = duckdb.connect(str(current), read_only=True)
        try:
            records = demo_records(con)
        finally:
            con.close()
        if records:
            data = write_workbook(records, DEMO_YEAR, demo_sheet=True)
            report = import_sheets([(DEMO_FILE, data)], settings, actor="build", is_demo=True,
                                   today=date(DEMO_YEAR, 12, 31))[0]
            results.append((DEMO_FILE, _file_outcome(report), f"{DEMO_MARK}: " + report.summary()))
    return results


def _file_outcome(report: ImportReport) -> str:
    if report.count(REPLACED):
        return REPLACED
    if report.count(NEW):
        return NEW
    return UNCHANGED if report.count(UNCHANGED) else SKIPPED
