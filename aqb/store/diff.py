"""What changed between two snapshots of the store: agreements added, removed or changed (budget,
status, budget lines, projects), Umsetzungsstand rows, and the audit entries in between.

Both snapshots are read through the reader's filtered views, so public mode and demo-off see only
what they may see; the audit trail is staff-only and left out in public mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from aqb import fmt
from aqb.errors import AqbError
from aqb.settings import Settings
from aqb.store import audit, reader, snapshots
from aqb.store.queries import run_query

ADDED, REMOVED, CHANGED, IMPLEMENTATION = "neu", "entfernt", "geändert", "Umsetzungsstand"
_NUMBER = re.compile(r"^(?:aqb-)?0*(\d+)(?:\.duckdb)?$")
_LINE_ROLES = {"gesamt": "insgesamt", "teil": "Teilbetrag", "davon": "davon", "zusaetzlich": "zusätzlich"}


@dataclass(frozen=True)
class Change:
    """One agreement (partner × year) or Umsetzungsstand that differs between the two snapshots."""

    kind: str                  # neu | entfernt | geändert | Umsetzungsstand
    partner_ags: str
    partner_name: str
    agreement_year: int
    details: tuple[str, ...]
    is_demo: bool = False

    @property
    def title(self) -> str:
        return f"{self.partner_name} {self.agreement_year}"

    def text(self) -> str:
        demo = " (Demodaten)" if self.is_demo else ""
        return f"{self.kind}: {self.title}{demo}" + (f" – {'; '.join(self.details)}" if self.details else "")


@dataclass
class SnapshotDiff:
    before: Path
    after: Path
    before_built_at: str | None
    after_built_at: str | None
    changes: list[Change] = field(default_factory=list)
    audit_entries: pd.DataFrame = field(default_factory=pd.DataFrame)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> str:
        if not self.changes:
            return "Keine Änderungen an Vereinbarungen oder Umsetzungsstand."
        return (f"{self.count(ADDED)} neu, {self.count(REMOVED)} entfernt, {self.count(CHANGED)} geändert, "
                f"{self.count(IMPLEMENTATION)} mit geändertem Umsetzungsstand")

    def lines(self) -> list[str]:
        """The report `aqb diff` prints."""
        out = [f"Vergleich {self.before.name} ({fmt.stand(self.before_built_at)}) → "
               f"{self.after.name} ({fmt.stand(self.after_built_at)})", self.summary()]
        out += [f"  {c.text()}" for c in self.changes]
        if len(self.audit_entries):
            out.append("Protokoll dazwischen:")
            for e in self.audit_entries.itertuples():
                out.append(f"  {fmt.berlin_datetime(e.logged_at)} · {e.actor} · {e.outcome}: {e.message}")
        return out


def snapshot_number(path: Path) -> int:
    match = _NUMBER.match(path.name)
    return int(match.group(1)) if match else -1


def resolve(settings: Settings, before: str | None = None, after: str | None = None) -> tuple[Path, Path]:
    """The two snapshots to compare: by name, number or path; defaults previous vs current.

    Raises AqbError when a snapshot does not exist or there is no previous one.
    """
    available = snapshots.list_snapshots(settings)
    current = snapshots.current_snapshot(settings)
    if current is None:
        raise AqbError("Noch kein Bestand: zuerst `aqb build`.")

    def find(text: str) -> Path:
        candidate = Path(text)
        if candidate.is_file():
            return candidate.resolve()
        match = _NUMBER.match(candidate.name)
        for snapshot in available:
            if match and snapshot_number(snapshot) == int(match.group(1)):
                return snapshot
        names = ", ".join(s.name for s in available) or "keine"
        raise AqbError(f"Snapshot {text!r} gibt es nicht (vorhanden: {names}).")

    after_path = find(after) if after else current
    if before:
        before_path = find(before)
    else:
        older = [s for s in available if snapshot_number(s) < snapshot_number(after_path)]
        if not older:
            raise AqbError(f"Vor {after_path.name} ist kein Snapshot vorhanden – nichts zu vergleichen.")
        before_path = older[-1]
    return before_path, after_path


def _state(con: duckdb.DuckDBPyConnection, name: str, snapshot: Path) -> pd.DataFrame:
    try:
        return run_query(con, name)
    except duckdb.Error as exc:
        raise AqbError(f"{snapshot.name} lässt sich nicht vergleichen (älteres Schema?): {exc}") from None


def _built_at(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select meta_value from meta where meta_key = 'built_at'").fetchone()
    return row[0] if row else None


def _lines_text(lines) -> list[str]:
    if lines is None or (not isinstance(lines, (list, tuple)) and pd.isna(lines)):
        return []
    return [f"{line['programme_code']} {_LINE_ROLES.get(line['line_role'], line['line_role'])} "
            f"{fmt.euro_from_cents(int(line['amount_cents']))}" for line in lines]


def agreement_details(old: dict, new: dict) -> list[str]:
    """What differs between two versions of one agreement (rows of snapshot_agreements or versions)."""
    details = []
    if old["source_file"] != new["source_file"] or old["agreement_id"] != new["agreement_id"]:
        details.append(f"neue Fassung {new['source_file']} (vorher {old['source_file']})")
    if int(old["budget_cents"]) != int(new["budget_cents"]):
        change = int(new["budget_cents"]) - int(old["budget_cents"])
        details.append(f"Budget {fmt.euro_from_cents(int(old['budget_cents']))} → "
                       f"{fmt.euro_from_cents(int(new['budget_cents']))} ({fmt.euro_from_cents(change, signed=True)})")
    old_lines, new_lines = _lines_text(old.get("budget_lines")), _lines_text(new.get("budget_lines"))
    if old_lines != new_lines:
        details.append(f"Beträge in § 4: {', '.join(old_lines) or '–'} → {', '.join(new_lines) or '–'}")
    if old.get("status") != new.get("status"):
        details.append(f"Status {old.get('status')} → {new.get('status')}")
    old_projects, new_projects = list(old["project_names"]), list(new["project_names"])
    added = [p for p in new_projects if p not in old_projects]
    removed = [p for p in old_projects if p not in new_projects]
    if added:
        details.append("Projekte hinzugefügt: " + ", ".join(added))
    if removed:
        details.append("Projekte entfallen: " + ", ".join(removed))
    return details


def _implementation_details(old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    def rows(frame):
        return {r.project_name: r for r in frame.itertuples()}

    before, after = rows(old), rows(new)
    details = []
    for name in sorted(set(after) - set(before)):
        details.append(f"{name}: neu, {fmt.euro_from_cents(int(after[name].spent_cents))} abgeflossen")
    for name in sorted(set(before) - set(after)):
        details.append(f"{name}: nicht mehr gemeldet")
    for name in sorted(set(before) & set(after)):
        b, a = before[name], after[name]
        if int(b.spent_cents) != int(a.spent_cents) or int(b.approved_cents) != int(a.approved_cents):
            details.append(f"{name}: abgeflossen {fmt.euro_from_cents(int(b.spent_cents))} → "
                           f"{fmt.euro_from_cents(int(a.spent_cents))}")
        elif _int_or_none(b.participants) != _int_or_none(a.participants):
            details.append(f"{name}: Teilnehmende {fmt.number(_int_or_none(b.participants))} → "
                           f"{fmt.number(_int_or_none(a.participants))}")
    stands = sorted({str(d)[:10] for d in new["as_of_date"]}) if len(new) else []
    if details and stands:
        details.append("Stand " + ", ".join(fmt.german_date(s) for s in stands))
    return details


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def compare(settings: Settings, before: Path, after: Path) -> SnapshotDiff:
    """The differences from ``before`` to ``after`` (raises AqbError when one cannot be read)."""
    states = {}
    for label, path in (("before", before), ("after", after)):
        con = reader.open_snapshot(path, settings)
        try:
            states[label] = (_state(con, "snapshot_agreements", path), _state(con, "snapshot_implementation", path),
                             _built_at(con))
        finally:
            con.close()
    (old_a, old_i, built_before), (new_a, new_i, built_after) = states["before"], states["after"]
    result = SnapshotDiff(before, after, built_before, built_after)
    old_rows = {(r["partner_ags"], int(r["agreement_year"])): r for r in old_a.to_dict("records")}
    new_rows = {(r["partner_ags"], int(r["agreement_year"])): r for r in new_a.to_dict("records")}
    for key in sorted(set(old_rows) | set(new_rows)):
        old, new = old_rows.get(key), new_rows.get(key)
        if old is None:
            result.changes.append(Change(ADDED, key[0], new["partner_name"], key[1], (
                f"{new['source_file']}, {fmt.euro_from_cents(int(new['budget_cents']))}, "
                f"{fmt.count(len(new['project_names']), 'Projekt', 'Projekte')}",), bool(new["is_demo"])))
        elif new is None:
            result.changes.append(Change(REMOVED, key[0], old["partner_name"], key[1], (old["source_file"],),
                                         bool(old["is_demo"])))
        else:
            details = agreement_details(old, new)
            if details:
                result.changes.append(Change(CHANGED, key[0], new["partner_name"], key[1], tuple(details),
                                             bool(new["is_demo"])))
    old_parts = {(a, int(y)): g for (a, y), g in old_i.groupby(["partner_ags", "agreement_year"])}
    new_parts = {(a, int(y)): g for (a, y), g in new_i.groupby(["partner_ags", "agreement_year"])}
    empty = old_i.iloc[0:0]
    for key in sorted(set(old_parts) | set(new_parts)):
        before_rows, after_rows = old_parts.get(key, empty), new_parts.get(key, empty)
        if before_rows.reset_index(drop=True).equals(after_rows.reset_index(drop=True)):
            continue
        details = _implementation_details(before_rows, after_rows)
        if details:
            names = pd.concat([before_rows, after_rows])
            result.changes.append(Change(IMPLEMENTATION, key[0], str(names["partner_name"].iloc[0]), key[1],
                                         tuple(details), bool(names["is_demo"].any())))
    if not settings.public_mode:
        result.audit_entries = _audit_between(settings, before, after)
    return result


def _audit_between(settings: Settings, before: Path, after: Path) -> pd.DataFrame:
    entries = audit.read(settings)
    if entries.empty:
        return entries
    low, high = sorted((snapshot_number(before), snapshot_number(after)))
    numbers = entries["snapshot"].map(lambda name: snapshot_number(Path(str(name))) if name else -1)
    return entries[(numbers > low) & (numbers <= high)].reset_index(drop=True)


def latest_changes(settings: Settings) -> SnapshotDiff | None:
    """Previous vs current snapshot for the „Was ist neu“ section; None when there is no previous one."""
    try:
        before, after = resolve(settings)
    except AqbError:
        return None
    return compare(settings, before, after)
