"""An agreement's versions: the original, the versions that replaced it and the amendments applied,
each with its file, dates and what it changed (budget, § 4 amounts, status, projects)."""

from __future__ import annotations

import pandas as pd

from aqb import fmt
from aqb.store.diff import agreement_details

ORIGINAL, REPLACEMENT, AMENDMENT = "Erstfassung", "neue Fassung", "Änderung"
COLUMNS = ["agreement_year", "version_number", "version_kind", "source_file", "status_date", "ingested_at_text",
           "budget_cents", "changes", "is_current", "is_demo"]


def version_rows(versions: pd.DataFrame) -> pd.DataFrame:
    """One row per version (queries/agreement_versions.sql), newest year first, oldest version first."""
    out = []
    for year in sorted(versions["agreement_year"].unique(), reverse=True) if len(versions) else []:
        previous = None
        group = versions[versions["agreement_year"] == year].sort_values("version_number")
        for row in group.to_dict("records"):
            if previous is None:
                kind, changes = ORIGINAL, "–"
            else:
                kind = AMENDMENT if row.get("document_kind") == "aenderung" else REPLACEMENT
                label = row.get("amendment_label")
                if kind == AMENDMENT and isinstance(label, str) and label:
                    kind = f"{AMENDMENT}: {label}"
                details = [d for d in agreement_details(previous, row) if not d.startswith("neue Fassung")]
                changes = "; ".join(details) or "keine inhaltliche Änderung"
            dated = row.get("amended_date")
            out.append({
                "agreement_year": int(year), "version_number": int(row["version_number"]), "version_kind": kind,
                "source_file": row["source_file"],
                "status_date": dated if dated is not None and dated == dated else row["status_date"],
                "ingested_at_text": fmt.berlin_datetime(row["ingested_at"]), "budget_cents": int(row["budget_cents"]),
                "changes": changes, "is_current": bool(row["is_current"]), "is_demo": bool(row["is_demo"]),
            })
            previous = row
    return pd.DataFrame(out, columns=COLUMNS)


def changed_years(rows: pd.DataFrame) -> list[int]:
    """Years with more than one version (something was replaced or amended)."""
    if rows.empty:
        return []
    counts = rows.groupby("agreement_year")["version_number"].max()
    return sorted((int(y) for y, n in counts.items() if n > 1), reverse=True)


TABLE_HEADER = ["Nr.", "Fassung", "Datum", "Datei", "Budget", "Was sich geändert hat"]


def table_rows(rows: pd.DataFrame) -> list[list[str]]:
    """The versions as German text cells (TABLE_HEADER) for the briefing's PDF and PPTX tables.

    Datum is the amendment's date for an Änderung, else the agreement's status date.
    """
    return [[str(int(r.version_number)), r.version_kind, fmt.german_date(r.status_date), r.source_file,
             fmt.euro_from_cents(int(r.budget_cents)), r.changes] for r in rows.itertuples()]


def single_version_text(rows: pd.DataFrame, year: int) -> str:
    """The one line that replaces the versions table when nothing was replaced or amended."""
    if rows.empty:
        return f"Keine Vereinbarung {year} im Bestand, daher keine Fassungen."
    return f"Keine weiteren Fassungen: es gilt die Erstfassung {rows['source_file'].iloc[0]}."


def change_with_rename(row: dict) -> str:
    """'fortgeführt (umbenannt aus BaE Teilzeit)' for a briefing project row; '–' without a comparison."""
    change = row.get("project_change") or "–"
    renamed = row.get("renamed_from")
    return f"{change} (umbenannt aus {renamed})" if isinstance(renamed, str) and renamed else change
