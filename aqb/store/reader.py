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
from aqb.store.schema import macros_sql
from aqb.settings import Settings

STORE_ALIAS = "store"

# Every table and view of the store, by what public mode may see of it. A table that is not listed
# here is shown to nobody in public mode (and tests/test_reader.py fails until it is classified).
REFERENCE = "reference"          # the same for everyone: partners, codes, published amounts
AGREEMENT = "agreement"          # the agreements themselves, filtered by agreement_filter
PER_AGREEMENT = "per_agreement"  # rows that belong to one visible agreement (agreement_id)
PER_DOCUMENT = "per_document"    # original bytes of a visible agreement (source_sha256)
PER_PARTNER_YEAR = "per_partner_year"  # figures about a visible partner x year (Umsetzungsstand)
INTERNAL = "internal"            # staff only: history, logs

TABLE_ACCESS: dict[str, str] = {
    "meta": REFERENCE,
    "partners": REFERENCE,
    "population": REFERENCE,
    "measure_types": REFERENCE,
    "published_amounts": REFERENCE,
    "agreements": AGREEMENT,
    "projects": PER_AGREEMENT,
    "project_links": PER_AGREEMENT,  # keyed by the later agreement; queries join the earlier one's visible projects
    "signatures": PER_AGREEMENT,
    "extracted_values": PER_AGREEMENT,
    "budget_lines": PER_AGREEMENT,
    "source_documents": PER_DOCUMENT,
    "implementation_status": PER_PARTNER_YEAR,
    "agreements_history": INTERNAL,
    "agreement_amendments": INTERNAL,
    "ingest_log": INTERNAL,
}


def demo_hidden(settings: Settings) -> bool:
    """Demo rows are hidden with the demo layer off, and in public mode unless explicitly switched on."""
    return not settings.demo_enabled or (settings.public_mode and not settings.public_demo)


def agreement_filter(settings: Settings) -> str:
    """The SQL condition an agreement row must meet to be visible under these settings."""
    conditions = []
    if demo_hidden(settings):
        conditions.append("not is_demo")
    if settings.public_mode:
        conditions.append("status = 'veroeffentlicht'")
        # A scan read by OCR counts as official only after staff confirmed its values.
        conditions.append("(not is_ocr or confirmed_by is not null)")
    elif settings.drafts_hidden:
        conditions.append("status <> 'entwurf'")  # AQB_MEETINGS_LOGIN: drafts only for logged-in staff
    return " and ".join(conditions) or "true"


def view_body(table: str, settings: Settings) -> str:
    """The select that stands in for ``table``: what these settings may see of it."""
    source = f"{STORE_ALIAS}.main.{table}"
    visible = agreement_filter(settings)
    agreements = f"{STORE_ALIAS}.main.agreements"
    access = TABLE_ACCESS.get(table)
    if access == AGREEMENT:
        return f"select * from {source} where {visible}"
    if access == PER_AGREEMENT:
        versions = f"select agreement_id from {agreements} where {visible}"
        if not settings.public_mode:  # staff see the rows of replaced versions too (agreement history)
            versions += f" union all select agreement_id from {STORE_ALIAS}.main.agreements_history where {visible}"
        return f"select * from {source} where agreement_id in ({versions})"
    if access == PER_DOCUMENT:
        return f"select * from {source} where source_sha256 in (select source_sha256 from {agreements} where {visible})"
    if access == PER_PARTNER_YEAR and visible != "true":
        # Figures about a partner x year are as visible as its agreement; demo figures follow the
        # demo switch even where the agreement itself is real.
        demo = " where not s.is_demo" if demo_hidden(settings) else ""
        return (f"select s.* from {source} as s semi join (select partner_ags, agreement_year from {agreements}"
                f" where {visible}) as v using (partner_ags, agreement_year){demo}")
    if access in (REFERENCE, PER_PARTNER_YEAR) or not settings.public_mode:
        return f"select * from {source}"
    return f"select * from {source} where false"


def store_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Names of every table and view in the attached store."""
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = $db and schema_name = 'main'"
        " union select view_name from duckdb_views() where database_name = $db and schema_name = 'main'"
        " order by 1",
        {"db": STORE_ALIAS},
    ).fetchall()
    return [row[0] for row in rows]


def _define_views(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    for table in store_relations(con):
        body = view_body(table, settings)
        con.execute(f"create or replace view {table} as {body}")  # noqa: S608 - names from the catalog
    # After the views, so the macros resolve to the filtered picture, not to the attached tables.
    con.execute(macros_sql())


def connect(settings: Settings) -> tuple[duckdb.DuckDBPyConnection, Path] | None:
    """A connection on the current snapshot and that snapshot's path; None if no store exists.

    A snapshot that cannot be attached is skipped for the newest readable one before it.
    """
    def attach(snapshot: Path) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"attach '{_quote(snapshot)}' as {STORE_ALIAS} (read_only)")
            _define_views(con, settings)
        except duckdb.Error:
            con.close()
            raise
        return con

    return snapshots.open_current(settings, attach)


def switch(con: duckdb.DuckDBPyConnection, snapshot: Path, settings: Settings) -> None:
    """Point an open connection at another snapshot (readers of the old one finish first)."""
    con.execute(f"attach or replace '{_quote(snapshot)}' as {STORE_ALIAS} (read_only)")
    _define_views(con, settings)


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def open_snapshot(snapshot: Path, settings: Settings) -> duckdb.DuckDBPyConnection:
    """A connection on one given snapshot (not necessarily the current), filtered like connect()."""
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{_quote(snapshot)}' as {STORE_ALIAS} (read_only)")
    _define_views(con, settings)
    return con
