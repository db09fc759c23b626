"""The store's DDL: tables (schema.sql) and the shared SQL building blocks of queries/ (macros.sql)."""

from __future__ import annotations

from importlib import resources


def _read(name: str) -> str:
    return resources.files("aqb.store").joinpath(name).read_text(encoding="utf-8")


def macros_sql() -> str:
    """Table and scalar macros used by queries/*.sql (create or replace: safe to run on every connection)."""
    return _read("macros.sql")


def schema_sql() -> str:
    """Tables and macros; idempotent, run before every write."""
    return _read("schema.sql") + "\n" + macros_sql()
