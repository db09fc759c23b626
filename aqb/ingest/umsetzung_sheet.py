"""The Umsetzungsstand sheet format: columns, bounded XLSX reading and row-by-row validation.

One bad row refuses the whole sheet with a German list of every problem (SheetRefused)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation


from aqb.errors import AqbError
from aqb.fmt import euro_from_cents, german_date
from aqb.ingest.money import parse_plain_number
from aqb.ingest.partners import match_partner, normalize
from aqb.reference import Partner

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


def project_key(name: str) -> str:
    return normalize(name)


@dataclass
class ValidationContext:
    """What the store knows: partners by AGS and the projects of every current agreement."""

    partners: dict[str, str]  # ags -> name
    projects: dict[tuple[str, int], dict[str, str]]  # (ags, year) -> normalized name -> stored name
    reference: tuple[Partner, ...]



def validate(sheet: RawSheet, context: ValidationContext, *, expected_year: int | None = None,
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
                project = known.get(project_key(str(raw_project)))
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


def _row_partner(cells: dict, context: ValidationContext, problems: list[str]) -> tuple[str | None, str | None]:
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

