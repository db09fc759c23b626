"""Read access to the store: an in-memory DuckDB with the current snapshot attached read-only.

Views in the in-memory database stand in for the store's tables, so every query (and every
cursor) sees the same filtered picture: without the demo layer when it is switched off, and in
public mode only published agreements. Moving to a newer snapshot is one ``ATTACH OR REPLACE``;
the views keep pointing at ``store`` and pick up the new file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from aqb.store import snapshots
from aqb.settings import Settings

STORE_ALIAS = "store"
# Tables that belong to one agreement version and must disappear with it.
_PER_AGREEMENT = ("projects", "signatures", "extracted_values")
_INTERNAL = ("agreements_history", "ingest_log")


def agreement_filter(settings: Settings) -> str:
    """The SQL condition an agreement row must meet to be visible under these settings."""
    conditions = []
    # Public mode shows demo rows only when explicitly switched on (and the pages mark them).
    if not settings.demo_enabled or (settings.public_mode and not settings.public_demo):
        conditions.append("not is_demo")
    if settings.public_mode:
        conditions.append("status = 'veroeffentlicht'")
    return " and ".join(conditions) or "true"


def _define_views(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where database_name = $db and schema_name = 'main'",
            {"db": STORE_ALIAS},
        ).fetchall()
    ]
    visible = agreement_filter(settings)
    for table in tables:
        source = f"{STORE_ALIAS}.main.{table}"
        if table == "agreements":
            body = f"select * from {source} where {visible}"
        elif table in _PER_AGREEMENT:
            body = (f"select * from {source} where agreement_id in "
                    f"(select agreement_id from {STORE_ALIAS}.main.agreements where {visible})")
        elif table == "source_documents":
            body = (f"select * from {source} where source_sha256 in "
                    f"(select source_sha256 from {STORE_ALIAS}.main.agreements where {visible})")
        elif table in _INTERNAL and settings.public_mode:
            body = f"select * from {source} where false"
        else:
            body = f"select * from {source}"
        con.execute(f"create or replace view {table} as {body}")  # noqa: S608 - names from the catalog


def connect(settings: Settings) -> tuple[duckdb.DuckDBPyConnection, Path] | None:
    """A connection on the current snapshot and that snapshot's path; None if no store exists."""
    snapshot = snapshots.current_snapshot(settings)
    if snapshot is None:
        return None
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{_quote(snapshot)}' as {STORE_ALIAS} (read_only)")
    _define_views(con, settings)
    return con, snapshot


def switch(con: duckdb.DuckDBPyConnection, snapshot: Path, settings: Settings) -> None:
    """Point an open connection at another snapshot (readers of the old one finish first)."""
    con.execute(f"attach or replace '{_quote(snapshot)}' as {STORE_ALIAS} (read_only)")
    _define_views(con, settings)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
