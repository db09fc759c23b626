"""Run the SQL files in queries/ with named parameters, checked against what the file uses."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from aqb.errors import AqbError
from aqb.settings import PROJECT_ROOT

QUERIES_DIR = PROJECT_ROOT / "queries"
_PARAM = re.compile(r"(?<![\w$])\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@lru_cache(maxsize=None)
def load_query(name: str, queries_dir: Path = QUERIES_DIR) -> tuple[str, frozenset[str]]:
    """The SQL text of queries/<name>.sql and the $names it needs."""
    path = queries_dir / f"{name}.sql"
    if not path.is_file():
        raise AqbError(f"Abfrage {name!r} gibt es nicht ({path}).")
    sql = path.read_text(encoding="utf-8")
    return sql, frozenset(_PARAM.findall(_COMMENT.sub("", sql)))


def query_names(queries_dir: Path = QUERIES_DIR) -> list[str]:
    return sorted(p.stem for p in queries_dir.glob("*.sql"))


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on a cursor of ``con``; parameters must match the file exactly."""
    sql, needed = load_query(name)
    given = set(params)
    if given != needed:
        missing, extra = sorted(needed - given), sorted(given - needed)
        raise AqbError(f"Abfrage {name}: fehlende Parameter {missing}, unerwartete {extra}.")
    cursor = con.cursor()  # one connection is not thread-safe; a cursor per query is
    try:
        return cursor.execute(sql, params).df() if params else cursor.execute(sql).df()
    finally:
        cursor.close()
