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
import json
import logging
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from aqb.errors import StoreError, operational_message
from aqb.settings import Settings

_SNAPSHOT = re.compile(r"^aqb-(\d{6})\.duckdb$")
INDEX_FILE = "index.json"  # beside the snapshots: which one is current and the size each was published with
_MAGIC = b"DUCK"
_MIN_BYTES = 12_288  # DuckDB's file header plus its two database headers
_log = logging.getLogger("aqb.store")
_unreadable: dict[str, tuple[int, float]] = {}  # snapshots a reader failed to open in this process


@dataclass(frozen=True)
class Current:
    """The snapshot readers and writers start from, and a German notice when it is not the linked one."""

    snapshot: Path | None
    notice: str | None = None


def snapshot_problem(path: Path, expected_size: int | None = None) -> str | None:
    """Why ``path`` is not a usable snapshot (German, names only the file), or None when it looks whole."""
    try:
        stat = path.stat()
        with open(path, "rb") as handle:
            header = handle.read(16)
    except FileNotFoundError:
        return f"{path.name} fehlt"
    except OSError as exc:
        return f"{path.name} ist nicht lesbar ({operational_message(exc)})"
    if stat.st_size < _MIN_BYTES or header[8:12] != _MAGIC:
        return f"{path.name} ist keine vollständige DuckDB-Datei"
    if expected_size is not None and stat.st_size != expected_size:
        return f"{path.name} ist beschädigt (Größe {stat.st_size} statt {expected_size} Bytes)"
    if _unreadable.get(str(path)) == (stat.st_size, stat.st_mtime):
        return f"{path.name} ließ sich nicht öffnen"
    return None


def mark_unreadable(path: Path) -> None:
    """Remember that opening ``path`` failed, so resolve() falls back past it (until the file changes)."""
    try:
        stat = path.stat()
    except OSError:
        return
    _unreadable[str(path)] = (stat.st_size, stat.st_mtime)


def _read_index(settings: Settings) -> dict:
    try:
        index = json.loads((settings.snapshot_dir / INDEX_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return index if isinstance(index, dict) else {}


def _write_index(settings: Settings, *, current: Path | None = None, size_of: Path | None = None,
                 forget: tuple[str, ...] = ()) -> None:
    index = _read_index(settings)
    sizes = {k: v for k, v in dict(index.get("sizes") or {}).items() if k not in forget}
    if size_of is not None:
        sizes[size_of.name] = size_of.stat().st_size
    index = {"current": current.name if current else index.get("current"), "sizes": sizes}
    target = settings.snapshot_dir / INDEX_FILE
    temp = target.with_name(f".{INDEX_FILE}.{os.getpid()}")
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(index, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        # The link stays the authority; a stale index only weakens the size check and the fallback.
        _discard(temp)
        _log.warning("Snapshot-Index nicht geschrieben: %r", exc)


def _discard(temp: Path) -> None:
    """Remove an unpublished temporary snapshot and DuckDB's write-ahead log beside it."""
    for path in (temp, temp.with_name(temp.name + ".wal")):
        path.unlink(missing_ok=True)


def _linked(settings: Settings) -> Path | None:
    link = settings.store_path
    if link.is_symlink():
        return (link.parent / os.readlink(link)).resolve()
    if link.exists():
        raise StoreError(f"{link.name} ist keine Verknüpfung auf einen Snapshot: Datei entfernen und `aqb build` ausführen.")
    return None


def resolve(settings: Settings) -> Current:
    """The current snapshot: the linked one if it is whole, else the newest readable one before it.

    When the link is missing, the snapshot index says which snapshot was current; without an
    index the newest readable snapshot counts. Returns Current(None) only when no store was ever
    built; raises StoreError when snapshots exist but none is readable.
    """
    linked = _linked(settings)
    index = _read_index(settings)
    sizes = dict(index.get("sizes") or {})
    published = list_snapshots(settings)
    intended = linked
    if intended is None and index.get("current"):
        intended = settings.snapshot_dir / str(index["current"])
    if intended is None and published:
        intended = published[-1]
    if intended is None:
        return Current(None)
    older = [p for p in reversed(published) if _seq(p) < _seq(intended)]
    newer = [p for p in reversed(published) if _seq(p) > _seq(intended)]
    problems = []
    for candidate in [intended, *older, *newer]:
        problem = snapshot_problem(candidate, sizes.get(candidate.name))
        if problem is None:
            if candidate == linked:
                return Current(candidate)
            why = f"die Verknüpfung {settings.store_path.name} fehlt" if linked is None else problems[0]
            return Current(candidate, f"Hinweis: {why} – es gilt der letzte lesbare Stand {candidate.name}.")
        problems.append(problem)
    raise StoreError(f"Kein lesbarer Snapshot im Bestand ({problems[0]}): `aqb build --fresh` baut ihn neu.")


def current_snapshot(settings: Settings) -> Path | None:
    """The snapshot to read and to write from (see resolve), or None if no store was built yet."""
    return resolve(settings).snapshot


def open_current(settings: Settings, opener):
    """``opener(snapshot)`` on the current snapshot, falling back past snapshots that fail to open.

    Returns (result, snapshot) or None without a store; raises StoreError when none opens. A file
    that passes the cheap checks of resolve() but fails in DuckDB is remembered as unreadable.
    """
    import duckdb

    for _ in range(settings.keep_snapshots + 2):
        snapshot = current_snapshot(settings)
        if snapshot is None:
            return None
        try:
            return opener(snapshot), snapshot
        except duckdb.Error as exc:
            _log.error("Snapshot %s nicht lesbar: %r", snapshot, exc)
            mark_unreadable(snapshot)
    raise StoreError("Kein lesbarer Snapshot im Bestand: `aqb build --fresh` baut ihn neu.")


def _seq(path: Path) -> int:
    found = _SNAPSHOT.match(path.name)
    return int(found.group(1)) if found else 0


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
    """A temporary copy of the current snapshot to write into (call under writer_lock).

    Starts from an empty file only with ``from_empty`` or when no store was ever built; raises
    StoreError (one German line) when the copy fails, e.g. on a full disk, and leaves no temp file.
    """
    for stray in settings.snapshot_dir.glob("*.tmp*"):
        stray.unlink(missing_ok=True)  # left by a writer that died before publishing
    target = _next_path(settings)
    temp = target.with_name(target.name + ".tmp")
    current = None if from_empty else current_snapshot(settings)
    if current is not None:
        try:
            shutil.copyfile(current, temp)
        except OSError as exc:
            _discard(temp)
            _log.error("Kopie von %s nach %s fehlgeschlagen: %r", current, temp, exc)
            raise StoreError(f"Bestand nicht geändert: {operational_message(exc)}") from exc
    return temp


def publish_snapshot(settings: Settings, temp: Path) -> Path:
    """Rename the finished temporary file and point the store path at it atomically."""
    final = _next_path(settings)
    try:
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except OSError as exc:
        _discard(temp)
        _log.error("Veröffentlichen von %s fehlgeschlagen: %r", temp, exc)
        raise StoreError(f"Bestand nicht geändert: {operational_message(exc)}") from exc
    _write_index(settings, current=final, size_of=final)
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
    if _read_index(settings).get("current") != snapshot.name:
        _write_index(settings, current=snapshot)


@dataclass
class Draft:
    """One write operation in progress: a connection on the temporary copy, published once at the end.

    Writers (agreements, Umsetzungsstand) that receive a draft add to it instead of publishing
    their own snapshot, so a build or an ingest becomes exactly one snapshot.
    """

    settings: Settings
    temp: Path
    con: object  # duckdb.DuckDBPyConnection on ``temp``
    changed: bool = False
    audit_rows: list[dict] = field(default_factory=list)
    snapshot: Path | None = None


def abort(con) -> None:
    """Roll back an open transaction; after a fatal DuckDB error there is none, and the first error counts."""
    try:
        con.execute("rollback")
    except Exception:  # noqa: BLE001 - the original exception is re-raised by the caller
        pass


@contextmanager
def draft(settings: Settings, *, from_empty: bool = False) -> Iterator[Draft]:
    """Lock, copy the current snapshot, let the caller change it, then publish it if anything changed.

    The audit rows collected on the draft are appended after the snapshot is published. An
    operational failure (disk full, no permission, a corrupt file) becomes a StoreError with one
    German line; the detail goes to the operator's log and no temporary file stays behind.
    """
    import duckdb

    from aqb.store import audit

    with writer_lock(settings):
        first = from_empty or current_snapshot(settings) is None  # --fresh never needs a readable snapshot
        temp = start_snapshot(settings, from_empty=from_empty)
        try:
            con = duckdb.connect(str(temp))
            d = Draft(settings, temp, con, changed=from_empty or first)
            try:
                yield d
                con.execute("checkpoint")
            finally:
                con.close()
            if d.changed:
                d.snapshot = publish_snapshot(settings, temp)
            else:
                _discard(temp)
                d.snapshot = current_snapshot(settings)
        except (OSError, duckdb.Error) as exc:
            _discard(temp)
            _log.error("Schreiben in %s fehlgeschlagen: %r", temp, exc)
            raise StoreError(f"Bestand nicht geändert: {operational_message(exc)}") from exc
        except BaseException:
            _discard(temp)
            raise
        if d.changed and d.audit_rows:
            audit.append(settings, d.audit_rows, d.snapshot)


def prune(settings: Settings) -> None:
    """Delete all but the newest ``keep_snapshots`` snapshots, never the current one."""
    snapshots = list_snapshots(settings)
    current = current_snapshot(settings)
    if current is None:
        return
    removed = []
    for old in snapshots[: -settings.keep_snapshots]:
        if old != current:
            old.unlink(missing_ok=True)
            removed.append(old.name)
    if removed:
        _write_index(settings, forget=tuple(removed))


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
