"""Versioned store snapshots: writers build a new file, readers switch when the pointer moves.

DuckDB allows one writer process or many read-only processes on a file, never both. So a
published snapshot is never written again: a writer copies the current snapshot to a temporary
file, changes it in one transaction, checkpoints and closes it, renames it to the next sequence
number and then atomically replaces the symlink ``data/aqb.duckdb`` to point at it. A reader
resolves the symlink when it opens a connection and keeps reading its (immutable) file; it sees
the old or the new state, never a mix. A crash before the symlink swap leaves only a stray
temporary file that the next writer removes. The last few snapshots are kept for rollback; on
POSIX a deleted snapshot stays readable for readers that still have it open.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from aqb.errors import StoreError
from aqb.settings import Settings

_SNAPSHOT = re.compile(r"^aqb-(\d{6})\.duckdb$")


def current_snapshot(settings: Settings) -> Path | None:
    """The snapshot file the store path points at, or None if no store was built yet."""
    link = settings.store_path
    if link.is_symlink():
        target = (link.parent / os.readlink(link)).resolve()
        if not target.exists():
            raise StoreError(f"{link} zeigt auf {target}, das fehlt: `aqb build` baut den Bestand neu.")
        return target
    if link.exists():
        raise StoreError(f"{link} ist keine Verknüpfung auf einen Snapshot: Datei entfernen und `aqb build` ausführen.")
    return None


def list_snapshots(settings: Settings) -> list[Path]:
    """Published snapshots, oldest first."""
    if not settings.snapshot_dir.is_dir():
        return []
    found = [p for p in settings.snapshot_dir.iterdir() if _SNAPSHOT.match(p.name)]
    return sorted(found, key=lambda p: int(_SNAPSHOT.match(p.name).group(1)))


def _next_path(settings: Settings) -> Path:
    existing = list_snapshots(settings)
    seq = int(_SNAPSHOT.match(existing[-1].name).group(1)) + 1 if existing else 1
    return settings.snapshot_dir / f"aqb-{seq:06d}.duckdb"


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Serialise writers across processes (readers never take it)."""
    settings.snapshot_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.snapshot_dir / "write.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_snapshot(settings: Settings, *, from_empty: bool = False) -> Path:
    """A temporary copy of the current snapshot to write into (call under writer_lock)."""
    for stray in settings.snapshot_dir.glob("*.tmp*"):
        stray.unlink(missing_ok=True)  # left by a writer that died before publishing
    target = _next_path(settings)
    temp = target.with_name(target.name + ".tmp")
    current = current_snapshot(settings)
    if current is not None and not from_empty:
        shutil.copyfile(current, temp)
    return temp


def publish_snapshot(settings: Settings, temp: Path) -> Path:
    """Rename the finished temporary file and point the store path at it atomically."""
    final = _next_path(settings)
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, final)
    point_to(settings, final)
    prune(settings)
    return final


def point_to(settings: Settings, snapshot: Path) -> None:
    link = settings.store_path
    tmp_link = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(snapshot, link.parent), tmp_link)
    os.replace(tmp_link, link)  # rename(2) is atomic: readers see the old or the new target
    dir_fd = os.open(link.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def prune(settings: Settings) -> None:
    snapshots = list_snapshots(settings)
    current = current_snapshot(settings)
    for old in snapshots[: -settings.keep_snapshots]:
        if old != current:
            old.unlink(missing_ok=True)


def rollback(settings: Settings, actor: str = "cli") -> tuple[Path, Path]:
    """Point the store at the snapshot before the current one; returns (from, to).

    The rollback itself goes into the audit file, which (unlike ingest_log) it does not rewind.
    """
    with writer_lock(settings):
        current = current_snapshot(settings)
        if current is None:
            raise StoreError("Kein Bestand vorhanden – nichts zurückzurollen.")
        older = [p for p in list_snapshots(settings) if p.name < current.name]
        if not older:
            raise StoreError(f"Vor {current.name} ist kein Snapshot mehr vorhanden.")
        point_to(settings, older[-1])
        from aqb.store import audit

        audit.append(settings, [{"actor": actor, "source_file": current.name, "outcome": "rollback",
                                 "message": f"Bestand zurückgesetzt: {current.name} → {older[-1].name}."}], older[-1])
        return current, older[-1]
