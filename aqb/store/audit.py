"""The audit trail outside the snapshots: an append-only JSON-lines file a rollback cannot rewind."""

from __future__ import annotations

import fcntl
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
    """Append rows, each as its own line, fsynced before the next (after the snapshot they describe is published).

    A line torn by a crash or a full disk stays an unreadable line of its own: the next record
    starts on a fresh line, and read() skips the torn one.
    """
    if not rows:
        return
    settings.snapshot_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(audit_path(settings), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # writers of the store and logins of several processes
        if os.fstat(fd).st_size and not _ends_with_newline(audit_path(settings)):
            os.write(fd, b"\n")
        for row in rows:
            entry = {key: row.get(key) for key in COLUMNS if key != "snapshot"}
            logged = entry["logged_at"] or stored_now()
            entry["logged_at"] = logged.isoformat(timespec="seconds") if hasattr(logged, "isoformat") else str(logged)
            entry["snapshot"] = snapshot.name if snapshot else None
            os.write(fd, (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode("utf-8"))
            os.fsync(fd)
    finally:
        os.close(fd)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _entries(path: Path) -> tuple[list[dict], int]:
    entries, torn = [], 0
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            torn += 1
            continue
        if isinstance(entry, dict):
            entries.append(entry)
        else:
            torn += 1
    return entries, torn


def read(settings: Settings) -> pd.DataFrame:
    """All entries, newest first (an empty frame with the columns when there are none).

    Lines that are no complete record (torn by a crash) are skipped and counted in
    ``frame.attrs["torn_lines"]``.
    """
    path = audit_path(settings)
    if not path.is_file():
        frame = pd.DataFrame(columns=COLUMNS)
        frame.attrs["torn_lines"] = 0
        return frame
    entries, torn = _entries(path)
    frame = pd.DataFrame(entries, columns=COLUMNS)
    frame["logged_at"] = pd.to_datetime(frame["logged_at"], errors="coerce")
    frame = frame.sort_values(["logged_at", "source_file"], ascending=[False, True], kind="stable").reset_index(drop=True)
    frame.attrs["torn_lines"] = torn
    return frame
