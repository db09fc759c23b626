"""Umsetzungsstand in the store: all-or-nothing import into one new snapshot, data checks, demo figures.

An accepted sheet replaces, per partner x year it contains, everything stored before for that
partner x year. Generated demo figures never replace figures imported from a real sheet."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from aqb.store import snapshots
from aqb.errors import AqbError, StoreError
from aqb.fmt import euro_from_cents, german_date, stored_now
from aqb.ingest.partners import match_partner
from aqb.store.queries import run_query
from aqb.reference import Partner, load_partners
from aqb.settings import Settings
from aqb.store.schema import schema_sql

from aqb.ingest.umsetzung_sheet import (DEMO_SEED, DEMO_YEAR, NEW, PROVENANCE_DEMO, PROVENANCE_SHEET, REPLACED, SKIPPED, UNCHANGED, StatusRow, ValidationContext, project_key, read_sheet, validate)

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
    audit_rows: list[dict] = field(default_factory=list)  # what went into ingest_log, for the audit file

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


# Invariants of the Umsetzungsstand as data tests (same shape as aqb.store.checks.CHECKS): rows that break a rule.
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


def load_context(con, settings: Settings) -> ValidationContext:
    """What the store knows for validation: partners by AGS and the projects of every current agreement."""
    partners = {r.partner_ags: r.partner_name for r in run_query(con, "umsetzung_partners").itertuples()}
    projects: dict[tuple[str, int], dict[str, str]] = {}
    for r in run_query(con, "umsetzung_known_projects").itertuples():
        projects.setdefault((r.partner_ags, int(r.agreement_year)), {})[project_key(r.project_name)] = r.project_name
    return ValidationContext(partners, projects, load_partners(settings.reference_dir))


def import_file(path: Path, settings: Settings, *, actor: str = "cli", expected_year: int | None = None) -> ImportReport:
    """Import one sheet from disk (see import_sheets)."""
    path = Path(path)
    if not path.is_file():
        raise AqbError(f"{path.name}: Datei nicht gefunden.")
    return import_sheets([(path.name, path.read_bytes())], settings, actor=actor, expected_year=expected_year)[0]


def import_sheets(sheets: list[tuple[str, bytes]], settings: Settings, *, actor: str = "cli", is_demo: bool = False,
                  expected_year: int | None = None, today: date | None = None,
                  into: snapshots.Draft | None = None) -> list[ImportReport]:
    """Validate and import sheets into one new snapshot; all or nothing.

    Raises SheetRefused (with every bad row) when any sheet has a problem, StoreError when no store
    exists. Demo sheets never replace rows imported from a real sheet. Nothing is published when
    nothing changed.
    """
    raw = [read_sheet(data, name, settings.max_file_bytes) for name, data in sheets]
    if into is None and snapshots.current_snapshot(settings) is None:
        raise StoreError("Noch kein Bestand: zuerst `aqb build`, dann den Umsetzungsstand einlesen.")
    if into is not None:
        return _import_into(into, raw, settings, actor, is_demo, expected_year, today)
    with snapshots.draft(settings) as d:
        reports = _import_into(d, raw, settings, actor, is_demo, expected_year, today)
    for report in reports:
        report.snapshot = d.snapshot
    return reports


def _import_into(d: snapshots.Draft, raw, settings: Settings, actor: str, is_demo: bool,
                 expected_year: int | None, today: date | None) -> list[ImportReport]:
    # Validated against the draft itself, so a build checks the sheets against the agreements it just wrote.
    context = load_context(d.con, settings)
    validated = [(sheet, *validate(sheet, context, expected_year=expected_year, today=today)) for sheet in raw]
    reports = _apply(d.con, validated, is_demo=is_demo, actor=actor)
    if any(r.count(NEW) or r.count(REPLACED) for r in reports):
        d.changed = True
        for r in reports:
            d.audit_rows.extend(r.audit_rows)
    return reports


_COMPARED = ("project_name", "approved_cents", "spent_cents", "planned_places", "participants", "as_of_date")


def _apply(con, validated, *, is_demo: bool, actor: str) -> list[ImportReport]:
    from aqb.store.write import SCHEMA_VERSION

    con.execute(schema_sql())
    version = con.execute("select meta_value from meta where meta_key = 'schema_version'").fetchone()
    if version and version[0] != SCHEMA_VERSION:
        raise StoreError(f"Bestand hat Schemaversion {version[0]}, erwartet {SCHEMA_VERSION}: `aqb build --fresh`.")
    now = stored_now()  # naive UTC: fmt.stand shows it in Europe/Berlin
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
        snapshots.abort(con)
        raise
    return reports


def _log(con, report: ImportReport, now: datetime, actor: str) -> None:
    for o in report.outcomes:
        if o.outcome == UNCHANGED:
            continue
        row = {"logged_at": now, "actor": actor, "source_file": report.file_name, "source_sha256": None,
               "outcome": o.outcome, "message": "Umsetzungsstand " + o.message}
        con.execute("insert into ingest_log values ($logged_at, $actor, $source_file, $source_sha256, $outcome, $message)",
                    row)
        report.audit_rows.append(row)


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


def file_outcome(report: ImportReport) -> str:
    if report.count(REPLACED):
        return REPLACED
    if report.count(NEW):
        return NEW
    return UNCHANGED if report.count(UNCHANGED) else SKIPPED
