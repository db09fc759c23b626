"""Staff uploads kept as files under the data folder, so `aqb build --fresh` restores them.

A snapshot is derived data; what staff confirmed in the dashboard is source data like
data/agreements/. Each accepted file is written (and fsynced) to ``inbox/`` before the store
write, one folder per upload so equal names never overwrite each other and the build replays
them in upload order.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from aqb.settings import Settings

AGREEMENTS = "vereinbarungen"
STATUS = "umsetzung"


def inbox_dir(settings: Settings, kind: str) -> Path:
    return settings.data_dir / "inbox" / kind


def keep(settings: Settings, kind: str, files: list[tuple[str, bytes]]) -> list[Path]:
    """Write (safe name, bytes) into a new inbox folder; returns the paths (none for an empty list)."""
    if not files:
        return []
    digest = hashlib.sha256(b"".join(hashlib.sha256(data).digest() for _name, data in files)).hexdigest()[:12]
    folder = inbox_dir(settings, kind) / f"{datetime.now():%Y%m%dT%H%M%S}_{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        path = folder / name
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        paths.append(path)
    return paths


def kept(settings: Settings, kind: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Kept files of one kind, oldest upload first."""
    root = inbox_dir(settings, kind)
    if not root.is_dir():
        return []
    return [p for folder in sorted(x for x in root.iterdir() if x.is_dir())
            for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in suffixes]
