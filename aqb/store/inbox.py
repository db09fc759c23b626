"""Staff uploads kept as files under the data folder, so `aqb build --fresh` restores them.

A snapshot is derived data; what staff confirmed in the dashboard is source data like
data/agreements/. Each accepted file is written (and fsynced) to ``inbox/`` before the store
write, one folder per upload so equal names never overwrite each other and the build replays
them in upload order.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
from datetime import datetime
from pathlib import Path

from aqb.errors import StoreError, operational_message
from aqb.settings import Settings

AGREEMENTS = "vereinbarungen"
STATUS = "umsetzung"


def inbox_dir(settings: Settings, kind: str) -> Path:
    return settings.data_dir / "inbox" / kind


def keep(settings: Settings, kind: str, files: list[tuple[str, bytes]]) -> list[Path]:
    """Write (safe name, bytes) into a new inbox folder; returns the paths (none for an empty list).

    Raises StoreError (one German line) when the folder cannot be written, e.g. on a full disk.
    """
    if not files:
        return []
    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _name, data in files)).hexdigest()[:12]
    folder = inbox_dir(settings, kind) / f"{datetime.now():%Y%m%dT%H%M%S}_{digest}"
    paths = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files:
            path = folder / name
            with open(path, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            paths.append(path)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)  # half an upload would be replayed by the next build
        logging.getLogger("aqb.store").error("Eingangsordner %s nicht geschrieben: %r", folder, exc)
        raise StoreError(f"Upload nicht gespeichert: {operational_message(exc)}") from exc
    return paths


def kept(settings: Settings, kind: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Kept files of one kind, oldest upload first."""
    root = inbox_dir(settings, kind)
    if not root.is_dir():
        return []
    return [p for folder in sorted(x for x in root.iterdir() if x.is_dir())
            for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]
