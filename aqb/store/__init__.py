"""Store: the DuckDB snapshots — schema, writes, snapshot swaps, read-only views, publications, audit, checks."""
