"""Write agreements, reference data and published amounts into a new store snapshot."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

import duckdb
import pandas as pd

from aqb.store import audit, project_links
from aqb import reference
from aqb.fmt import stored_now
from aqb.store import snapshots
from aqb.errors import AqbError, DocumentRefused, StoreError
from aqb.ingest.extract import SUPPORTED_SUFFIXES
from aqb.model import AENDERUNG, ParsedAgreement
from aqb.ingest.money import parse_plain_number
from aqb.ingest.parser import PARSER_VERSION, parse_bytes, read_document, refusal_for
from aqb.store import amendments
from aqb.store.publications import Publication, load_publications, save_publication, status_for
from aqb.settings import Settings
from aqb.store.schema import schema_sql

SCHEMA_VERSION = "3"

NEW, REPLACED, UNCHANGED, SKIPPED, REFUSED = "neu", "ersetzt", "unverändert", "übersprungen", "abgelehnt"
STATUS_CHANGED = "status geändert"


@dataclass
class FileOutcome:
    file_name: str
    outcome: str
    message: str
    agreement: ParsedAgreement | None = None


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    snapshot: Path | None = None
    log_rows: list[dict] = field(default_factory=list)  # what went into ingest_log, for the audit file

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def refused(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.outcome == REFUSED]

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} neu, {self.count(REPLACED)} ersetzt, {self.count(UNCHANGED)} unverändert, "
            f"{self.count(SKIPPED)} übersprungen, {self.count(REFUSED)} abgelehnt"
        )


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus supported documents found in named folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            files.append(path)
    return files


def parse_many(
    files: list[Path], settings: Settings
) -> tuple[list[ParsedAgreement], list[FileOutcome], dict[str, bytes]]:
    """Parse each file; returns the agreements, the refusals and the original bytes by SHA-256."""
    parsed, refused, documents = [], [], {}
    for path in files:
        try:
            data = read_document(path, settings.max_file_bytes)
            agreement = parse_bytes(path.name, data, settings.reference_dir, settings.max_file_bytes)
            blocked = refusal_for(agreement)
            if blocked is not None:
                raise blocked
        except DocumentRefused as exc:
            refused.append(FileOutcome(exc.file_name, REFUSED, exc.reason))
            continue
        parsed.append(agreement)
        documents[agreement.sha256] = data
    return parsed, refused, documents


def ingest_paths(paths: Iterable[Path], settings: Settings, *, actor: str = "cli", force_demo: bool = False) -> IngestReport:
    """Parse files/folders and write every readable agreement in one new snapshot.

    Valid files land even when others are refused. Nothing is written if nothing changed.
    """
    files = collect_files(paths)
    parsed, refused, documents = parse_many(files, settings)
    return write_agreements(
        parsed, settings, refused=refused, documents=documents, actor=actor, force_demo=force_demo
    )



def _sort_key(a: ParsedAgreement, force_demo: bool):
    dates = [s.signed_date for s in a.signatures if s.signed_date]
    # Real before demo (a demo then finds the real one and is skipped); among versions of the
    # same kind the later-signed comes last so it ends up current.
    # An amendment comes after the agreement it changes, whatever the dates say.
    return (a.partner_ags, a.agreement_year, a.is_demo or force_demo, a.document_kind == AENDERUNG,
            str(max(dates)) if dates else "", a.file_name)


def write_agreements(
    parsed: list[ParsedAgreement],
    settings: Settings,
    *,
    refused: list[FileOutcome] | None = None,
    documents: dict[str, bytes] | None = None,
    actor: str = "cli",
    force_demo: bool = False,
    from_empty: bool = False,
    persist_log: bool = False,
    into: snapshots.Draft | None = None,
) -> IngestReport:
    """Apply parsed agreements to a new snapshot in one transaction and publish it.

    A demo document never replaces a real agreement. A document already in the store (current
    or history) changes nothing, so re-ingesting a folder is idempotent. Every write also
    re-applies veroeffentlichungen.csv to the status of the current agreements. With
    ``persist_log`` a snapshot is published even if only ingest_log rows were added (staff
    uploads: a refused or discarded file is audited too). With ``into`` the changes go into that
    draft, which its owner publishes (one snapshot per write operation).
    """
    report = IngestReport(outcomes=list(refused or []))
    if into is not None:
        _write_into(into, parsed, documents or {}, settings, report, actor, force_demo, persist_log)
        return report
    with snapshots.draft(settings, from_empty=from_empty) as d:
        _write_into(d, parsed, documents or {}, settings, report, actor, force_demo, persist_log)
    report.snapshot = d.snapshot
    return report


def _write_into(d: snapshots.Draft, parsed, documents, settings, report, actor, force_demo, persist_log) -> None:
    d.changed |= _apply(d.con, parsed, documents, settings, report, actor, force_demo, persist_log)
    d.audit_rows.extend(report.log_rows)


def _apply(con, parsed, documents: dict[str, bytes], settings: Settings, report: IngestReport, actor: str,
           force_demo: bool, persist_log: bool = False) -> bool:
    con.execute(schema_sql())
    publications = load_publications(settings.publications_file)
    version = con.execute("select meta_value from meta where meta_key = 'schema_version'").fetchone()
    if version and version[0] != SCHEMA_VERSION:
        raise StoreError(
            f"Bestand hat Schemaversion {version[0]}, erwartet {SCHEMA_VERSION}: `aqb build --fresh` baut ihn neu."
        )
    now = stored_now()  # naive UTC: fmt.stand shows it in Europe/Berlin
    con.execute("begin transaction")
    try:
        reference_changed = _refresh_reference(con, settings)
        current = {
            (ags, year): (agreement_id, is_demo)
            for ags, year, agreement_id, is_demo in con.execute(
                "select partner_ags, agreement_year, agreement_id, is_demo from agreements"
            ).fetchall()
        }
        known = {row[0] for row in con.execute("select agreement_id from agreements_history").fetchall()}
        known |= {v[0] for v in current.values()}
        to_history: list[tuple[str, str]] = []  # (old id in the store, new id)
        superseded: dict[str, str] = {}  # batch-internal: replaced id -> replacing id
        to_insert: list[ParsedAgreement] = []
        pending: dict[tuple[str, int], ParsedAgreement] = {}
        amendment_rows: list[dict] = []
        for agreement in sorted(parsed, key=lambda a: _sort_key(a, force_demo)):
            is_demo = agreement.is_demo or force_demo
            key = (agreement.partner_ags, agreement.agreement_year)
            label = f"{agreement.partner_name} {agreement.agreement_year}"
            if agreement.sha256 in known:
                report.outcomes.append(FileOutcome(agreement.file_name, UNCHANGED, f"{label}: bereits im Bestand.", agreement))
                continue
            if agreement.document_kind == AENDERUNG:
                if key in pending:
                    amendment_rows.append(amendments.amendment_row(agreement, pending[key].sha256, now))
                    agreement = amendments.merged(agreement, pending[key])
                elif key in current:
                    amendment_rows.append(amendments.amendment_row(agreement, current[key][0], now))
                    agreement = amendments.merged(agreement, amendments.base_from_store(con, current[key][0]))
                else:
                    report.outcomes.append(FileOutcome(agreement.file_name, REFUSED, amendments.no_base_reason(agreement)))
                    continue
            if key in pending:
                holder = pending[key]
                holder_is_real = not (holder.is_demo or force_demo)
                message = f"{label}: ersetzt {holder.file_name}."
            elif key in current:
                holder = None
                holder_is_real = not current[key][1]
                message = f"{label}: ersetzt die bisherige Fassung."
            else:
                holder, holder_is_real, message = None, False, None
            if message is not None and is_demo and holder_is_real:
                report.outcomes.append(FileOutcome(
                    agreement.file_name, SKIPPED,
                    f"{label}: amtliche Vereinbarung vorhanden, Demodaten nicht übernommen.", agreement))
                continue
            if holder is not None:
                superseded[holder.sha256] = agreement.sha256
            elif key in current:
                to_history.append((current[key][0], agreement.sha256))
            if message is None:
                message = f"{label}: {_euro(agreement.budget_cents)}, {len(agreement.projects)} Projekte."
            if agreement.document_kind == AENDERUNG:
                message = (f"{label}: {agreement.amendment_label} angewandt – {_euro(agreement.budget_cents)}, "
                           f"{len(agreement.projects)} Projekte.")
            to_insert.append(agreement)
            pending[key] = agreement
            known.add(agreement.sha256)
            report.outcomes.append(FileOutcome(agreement.file_name, REPLACED if holder or key in current else NEW, message, agreement))
        for old_id, new_id in to_history:
            _move_to_history(con, old_id, new_id, now)
        _insert(con, to_insert, superseded, now, force_demo, publications)
        _append(con, "agreement_amendments", amendment_rows)
        status_changed = _reapply_publications(con, publications, report)
        links_changed = project_links.refresh(con, settings.reference_dir)
        _store_documents(con, to_insert, documents, now)
        logged = _log(con, report, now, actor)
        con.execute(
            "insert or replace into meta values ('schema_version', $v), ('parser_version', $p), ('built_at', $b)",
            {"v": SCHEMA_VERSION, "p": PARSER_VERSION, "b": now.isoformat()},
        )
        con.execute("commit")
    except BaseException:
        snapshots.abort(con)
        raise
    return bool(to_insert) or reference_changed or status_changed or links_changed or (persist_log and logged > 0)


def _euro(cents: int) -> str:
    from aqb.fmt import euro_from_cents

    return euro_from_cents(cents)


def _date(value) -> str:
    from aqb.fmt import german_date

    return german_date(value)


def _move_to_history(con, old_id: str, new_id: str, now: datetime) -> None:
    con.execute(
        "insert into agreements_history select *, $now as replaced_at, $new as replaced_by"
        " from agreements where agreement_id = $old",
        {"now": now, "new": new_id, "old": old_id},
    )
    con.execute("delete from agreements where agreement_id = $old", {"old": old_id})


def _insert(con, agreements: list[ParsedAgreement], superseded: dict[str, str], now: datetime, force_demo: bool,
            publications: dict[str, Publication]) -> None:
    """Insert new versions; those already replaced within the same batch go straight to history."""
    if not agreements:
        return
    rows, history_rows, project_rows, signature_rows, value_rows, budget_rows = [], [], [], [], [], []
    for a in agreements:
        is_demo = a.is_demo or force_demo
        status, status_date = status_for(a.status, a.status_date, a.file_name, publications)
        row = {
            "agreement_id": a.sha256, "partner_ags": a.partner_ags, "agreement_year": a.agreement_year,
            "budget_cents": a.budget_cents, "ministry_name": a.ministry_name, "status": status,
            "status_date": status_date, "provenance": "demo" if is_demo else "vereinbarung",
            "is_demo": is_demo, "source_file": a.file_name, "source_sha256": a.sha256,
            "file_format": a.file_format, "page_count": a.page_count, "ingested_at": now,
            "parser_version": a.parser_version, "warnings": list(a.warnings),
            "document_kind": a.document_kind, "is_ocr": a.is_ocr, "confirmed_by": a.confirmed_by,
            "amended_by_file": a.file_name if a.document_kind == AENDERUNG else None,
            "amended_date": (max((s.signed_date for s in a.signatures if s.signed_date), default=None)
                             if a.document_kind == AENDERUNG else None),
        }
        if a.sha256 in superseded:
            history_rows.append({**row, "replaced_at": now, "replaced_by": superseded[a.sha256]})
        else:
            rows.append(row)
        for p in a.projects:
            project_rows.append({
                "agreement_id": a.sha256, "project_position": p.position, "measure_type_code": p.measure_type_code,
                "project_name": p.name, "source_page": p.source.page, "source_line": p.source.line,
                "source_snippet": p.source.snippet, "amount_cents": p.amount_cents, "provider": p.provider,
            })
        for position, b in enumerate(a.budget_lines, start=1):
            budget_rows.append({
                "agreement_id": a.sha256, "line_position": position, "programme_code": b.programme,
                "line_role": b.role, "amount_cents": b.amount_cents, "is_part_of_budget": b.is_part_of_budget,
                "source_page": b.source.page, "source_line": b.source.line, "source_snippet": b.source.snippet,
            })
        for s in a.signatures:
            signature_rows.append({
                "agreement_id": a.sha256, "side": s.side, "signed_place": s.place, "signed_date": s.signed_date,
                "signer_name": s.name, "signer_role": s.role, "source_page": s.source.page,
                "source_line": s.source.line, "source_snippet": s.source.snippet,
            })
        for field_name, ref in a.sources.items():
            value_rows.append({
                "agreement_id": a.sha256, "field_name": field_name, "source_page": ref.page,
                "source_line": ref.line, "source_snippet": ref.snippet,
                "confidence": a.confidence[field_name].level if field_name in a.confidence else "sicher",
                "confidence_reason": a.confidence[field_name].reason if field_name in a.confidence else "",
            })
    _append(con, "agreements", rows)
    _append(con, "agreements_history", history_rows)
    _append(con, "projects", project_rows)
    _append(con, "signatures", signature_rows)
    _append(con, "extracted_values", value_rows)
    _append(con, "budget_lines", budget_rows)


def _append(con, table: str, rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows)
    con.register("incoming_rows", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from incoming_rows")  # noqa: S608 - fixed names
    finally:
        con.unregister("incoming_rows")


def _store_documents(con, agreements: list[ParsedAgreement], documents: dict[str, bytes], now: datetime) -> None:
    """Keep the original bytes so the dashboard can offer the document itself for download."""
    rows = [
        {"source_sha256": a.sha256, "source_file": a.file_name, "file_format": a.file_format,
         "byte_size": len(documents[a.sha256]), "content": documents[a.sha256], "first_ingested_at": now}
        for a in agreements
        if a.sha256 in documents
    ]
    existing = {r[0] for r in con.execute("select source_sha256 from source_documents").fetchall()}
    for row in rows:
        if row["source_sha256"] not in existing:
            con.execute(
                "insert into source_documents values ($source_sha256, $source_file, $file_format, $byte_size,"
                " $content, $first_ingested_at)",
                row,
            )
            existing.add(row["source_sha256"])


def _reapply_publications(con, publications: dict[str, Publication], report: IngestReport) -> bool:
    """Bring the status of current agreements in line with veroeffentlichungen.csv; True if any changed.

    The signed status is derived from the signatures table the way ParsedAgreement.status
    does, so a row removed from the CSV falls back without re-parsing the document.
    """
    rows = con.execute("""
        with dated as (
            select agreement_id, count(distinct side) as signed_sides, max(signed_date) as last_signed
            from signatures
            where signed_date is not null and side in ('ministry', 'partner')
            group by agreement_id
        )
        select a.agreement_id, a.source_file, a.status, a.status_date, coalesce(d.signed_sides, 0) = 2, d.last_signed,
            coalesce((select p.partner_name from partners as p where p.partner_ags = a.partner_ags
                      order by p.valid_from desc nulls last limit 1), a.partner_ags) || ' ' || a.agreement_year
        from agreements as a
        left join dated as d using (agreement_id)
        order by a.partner_ags, a.agreement_year
    """).fetchall()
    changed = False
    for agreement_id, source_file, status, status_date, signed, last_signed, label in rows:
        signed_status = ("unterzeichnet", last_signed) if signed else ("entwurf", None)
        wanted = status_for(*signed_status, source_file, publications)
        if (status, status_date) == wanted:
            continue
        con.execute(
            "update agreements set status = $s, status_date = $d where agreement_id = $id",
            {"s": wanted[0], "d": wanted[1], "id": agreement_id},
        )
        when = f" am {_date(wanted[1])}" if wanted[1] else ""
        url = publications[source_file].url if source_file in publications else ""
        report.outcomes.append(FileOutcome(
            source_file, STATUS_CHANGED, f"{label}: Status {wanted[0]}{when}" + (f" ({url})" if url else "") + "."))
        changed = True
    return changed


def _log(con, report: IngestReport, now: datetime, actor: str) -> int:
    rows = [
        {"logged_at": now, "actor": actor, "source_file": o.file_name,
         "source_sha256": o.agreement.sha256 if o.agreement else None, "outcome": o.outcome, "message": o.message}
        for o in report.outcomes
        if o.outcome != UNCHANGED
    ]
    _append(con, "ingest_log", rows)
    report.log_rows = rows
    return len(rows)


def _refresh_reference(con, settings: Settings) -> bool:
    """Reload partners, measure types and published amounts from data/reference; True if changed."""
    before = con.execute(
        "select (select count(*) from partners), (select count(*) from published_amounts),"
        " (select coalesce(sum(amount_cents), 0) from published_amounts),"
        " (select coalesce(sum(hash(population_stichtag, population, partner_ags)), 0) from population)"
    ).fetchone()
    partners = reference.load_partners(settings.reference_dir)
    con.execute("delete from partners")
    _append(con, "partners", [
        {"partner_ags": p.ags, "valid_from": p.valid_from, "valid_to": p.valid_to, "partner_name": p.name,
         "official_name": p.official_name, "partner_kind": p.kind, "regierungsbezirk": p.regierungsbezirk,
         "seat": p.seat, "population": p.population, "population_date": p.population_date,
         "population_source": p.population_source}
        for p in partners
    ])
    con.execute("delete from population")
    _append(con, "population", [
        {"partner_ags": f.ags, "partner_name": f.name, "population_stichtag": f.stichtag, "population": f.population,
         "population_basis": f.basis, "territory_from": f.territory_from, "territory_to": f.territory_to,
         "population_source": f.source, "population_note": f.note}
        for f in reference.load_population(settings.reference_dir)
    ])
    con.execute("delete from measure_types")
    _append(con, "measure_types", [
        {"measure_type_code": m.code, "measure_type_name": m.name, "measure_type_label": m.label,
         "aliases": "|".join(m.aliases)}
        for m in reference.load_measure_types(settings.reference_dir)
    ])
    con.execute("delete from published_amounts")
    _append(con, "published_amounts", load_published(settings.reference_dir / reference.PUBLISHED_FILE))
    after = con.execute(
        "select (select count(*) from partners), (select count(*) from published_amounts),"
        " (select coalesce(sum(amount_cents), 0) from published_amounts),"
        " (select coalesce(sum(hash(population_stichtag, population, partner_ags)), 0) from population)"
    ).fetchone()
    return before != after


def load_published(path: Path) -> list[dict]:
    """Rows of published_amounts.csv with exact cents; raises AqbError naming the bad line."""
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            cents = parse_plain_number(row.get("amount_eur", ""))
            if cents is None or not row.get("source_url", "").startswith("http"):
                raise AqbError(f"{path.name}, Zeile {n}: Betrag oder Quelle fehlt/ungültig.")
            programme = row["programme"].strip()
            rows.append({
                "published_id": n - 1, "agreement_year": int(row["year"]), "partner_ags": row["ags"].strip() or None,
                "scope": row["scope"].strip(), "programme": programme, "is_aqb": programme == "AQB",
                "amount_cents": cents, "amount_precision": row["precision"].strip(), "note": row["note"].strip(),
                "source_url": row["source_url"].strip(),
            })
    return rows


def open_reader(settings: Settings) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection to the current snapshot, or None when no store exists yet."""
    opened = snapshots.open_current(settings, lambda snapshot: duckdb.connect(str(snapshot), read_only=True))
    return None if opened is None else opened[0]


def publish(settings, file_name: str, published_date: date, url: str = "", *, actor: str = "cli"):
    """List a current, signed agreement as published and write the new status to the store.

    Raises AqbError when the file is no current agreement or only a draft. Returns the
    IngestReport of the store write.
    """
    con = open_reader(settings)
    if con is None:
        raise AqbError("Noch kein Bestand: zuerst `aqb build`.")
    try:
        found = con.execute(
            "select status from agreements where source_file = $f", {"f": file_name}
        ).fetchall()
    finally:
        con.close()
    if not found:
        raise AqbError(f"{file_name} ist keine aktuelle Vereinbarung im Bestand (`aqb list` zeigt sie).")
    if found[0][0] == "entwurf":
        raise AqbError(f"{file_name} ist ein Entwurf (nicht beidseitig unterzeichnet) und wird nicht veröffentlicht.")
    save_publication(settings.publications_file, file_name, published_date, url)
    return write_agreements([], settings, actor=actor)
