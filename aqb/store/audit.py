"""The audit trail outside the snapshots: an append-only JSON-lines file a rollback cannot rewind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from aqb.fmt import stored_now
from aqb.settings import Settings

AUDIT_FILE = "audit.jsonl"
COLUMNS = ["logged_at", "actor", "source_file", "outcome", "message", "source_sha256", "snapshot"]


def audit_path(settings: Settings) -> Path:
    return settings.snapshot_dir / AUDIT_FILE


def append(settings: Settings, rows: list[dict], snapshot: Path | None) -> None:
    """Append rows (call under the writer lock, after the snapshot they describe is published)."""
    if not rows:
        return
    settings.snapshot_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for row in rows:
        entry = {key: row.get(key) for key in COLUMNS if key != "snapshot"}
        entry["logged_at"] = (entry["logged_at"] or stored_now()).isoformat(timespec="seconds")
        entry["snapshot"] = snapshot.name if snapshot else None
        lines.append(json.dumps(entry, ensure_ascii=False))
    with open(audit_path(settings), "a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read(settings: Settings) -> pd.DataFrame:
    """All entries, newest first (an empty frame with the columns when there are none)."""
    path = audit_path(settings)
    if not path.is_file():
        return pd.DataFrame(columns=COLUMNS)
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame(entries, columns=COLUMNS)
    frame["logged_at"] = pd.to_datetime(frame["logged_at"])
    return frame.sort_values(["logged_at", "source_file"], ascending=[False, True], kind="stable").reset_index(drop=True)
