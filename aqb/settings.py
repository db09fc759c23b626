"""One settings object that owns every path and environment switch of the project."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aqb.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

MIB = 1024 * 1024
# Streamlit caches hold results per snapshot; a replaced snapshot's entries are never asked for again.
# max_entries bounds them by count, the ttl frees them on a quiet replica that gets few new entries.
CACHE_TTL_S = 3600
_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nein", ""}


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SettingsError(f"{name}={raw!r} ist kein Schalter: erlaubt sind 1/0, true/false, on/off.")


@dataclass(frozen=True)
class Settings:
    """Paths and switches; defaults are relative to the repository, never to the working dir.

    Environment overrides: ``AQB_DATA_DIR`` (source documents and reference data),
    ``AQB_STORE`` (the store path, a symlink to the current snapshot), ``AQB_DEMO``
    (include the demo layer, default on), ``AQB_PUBLIC`` (public mode, default off),
    ``AQB_KEEP_SNAPSHOTS`` (snapshots kept for rollback, default 5),
    ``AQB_MAX_FILE_MB`` (largest document accepted, default 20), ``AQB_PUBLIC_DEMO`` (show the
    marked demo layer in public mode, default off), ``AQB_STAFF_USERS`` (staff logins as
    ``name:hash;name2:hash2``, hashes from `aqb hash-password`), ``AQB_BASE_URL`` (address of the
    dashboard, for the absolute links in exports; default http://localhost:8501/), ``AQB_DEFER_BELOW_FOLD``
    (send what lies below a page's first chart after the browser has drawn it, default on).
    """

    data_dir: Path
    store_path: Path
    queries_dir: Path
    demo_enabled: bool
    public_mode: bool
    keep_snapshots: int
    max_file_bytes: int
    public_demo: bool = False
    a11y_contact: str = ""  # feedback contact of the Erklärung zur Barrierefreiheit (HVBIT § 4 Abs. 2 Nr. 2)
    staff_users: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # hashes stay out of logs
    base_url: str = "http://localhost:8501/"  # AQB_BASE_URL: links in exports are absolute, so they work outside the app
    # AQB_MEETINGS_LOGIN: Gesprächsunterlage, Umsetzungsstand and drafts only for logged-in staff (an
    # installation reachable by more than the team); drafts_hidden is set per session by the app.
    meetings_login: bool = False
    drafts_hidden: bool = False
    # AQB_DEFER_BELOW_FOLD: on a page's first view the blocks after its first chart are sent once the
    # browser has drawn that chart (aqb.app.later); off, every block comes with the first run.
    defer_below_fold: bool = True

    @property
    def max_file_mib(self) -> float:
        """The one size limit, in MiB (AQB_MAX_FILE_MB counts 1 MB = 1024 × 1024 bytes, as the backend does)."""
        return self.max_file_bytes / MIB

    @property
    def upload_widget_mb(self) -> int:
        """The same limit for st.file_uploader, which counts decimal megabytes: rounded up, so every
        file the backend accepts also passes the widget; the backend check stays the one that decides."""
        return max(1, -(-self.max_file_bytes // 1_000_000))

    @property
    def reference_dir(self) -> Path:
        return self.data_dir / "reference"

    @property
    def agreements_dir(self) -> Path:
        return self.data_dir / "agreements"

    @property
    def publications_file(self) -> Path:
        return self.agreements_dir / "veroeffentlichungen.csv"

    @property
    def demo_dir(self) -> Path:
        return self.data_dir / "demo"

    @property
    def snapshot_dir(self) -> Path:
        return self.store_path.parent / "store"

    @classmethod
    def from_env(cls) -> "Settings":
        data_dir = Path(os.environ.get("AQB_DATA_DIR", PROJECT_ROOT / "data")).resolve()
        store_path = Path(os.environ.get("AQB_STORE", data_dir / "aqb.duckdb")).absolute()
        try:
            keep = int(os.environ.get("AQB_KEEP_SNAPSHOTS", "5"))
            max_mb = float(os.environ.get("AQB_MAX_FILE_MB", "20"))
        except ValueError as exc:
            raise SettingsError(f"Ungültige Zahl in AQB_KEEP_SNAPSHOTS/AQB_MAX_FILE_MB: {exc}") from None
        if keep < 2:
            raise SettingsError("AQB_KEEP_SNAPSHOTS muss mindestens 2 sein (sonst ist kein Rollback möglich).")
        if not data_dir.is_dir():
            raise SettingsError(f"Datenordner {data_dir} fehlt: AQB_DATA_DIR auf den Ordner mit reference/ setzen.")
        return cls(
            data_dir=data_dir,
            store_path=store_path,
            queries_dir=PROJECT_ROOT / "queries",
            demo_enabled=_flag("AQB_DEMO", True),
            public_mode=_flag("AQB_PUBLIC", False),
            keep_snapshots=keep,
            max_file_bytes=int(max_mb * MIB),
            public_demo=_flag("AQB_PUBLIC_DEMO", False),
            a11y_contact=os.environ.get("AQB_A11Y_CONTACT", "").strip(),
            staff_users=_staff_users(os.environ.get("AQB_STAFF_USERS", "")),
            base_url=os.environ.get("AQB_BASE_URL", "http://localhost:8501/").rstrip("/") + "/",
            meetings_login=_flag("AQB_MEETINGS_LOGIN", False),
            defer_below_fold=_flag("AQB_DEFER_BELOW_FOLD", True),
        )


def _staff_users(raw: str) -> tuple[tuple[str, str], ...]:
    """``name:hash;name2:hash2`` as (name, hash) pairs; the hashes are checked by aqb.app.auth."""
    users = []
    for n, entry in enumerate((e.strip() for e in raw.split(";")), start=1):
        if not entry:
            continue
        name, sep, hashed = entry.partition(":")
        if not sep or not name.strip() or not hashed.strip():
            raise SettingsError(
                f"AQB_STAFF_USERS, Eintrag {n}: erwartet „name:hash“ (Hash mit `aqb hash-password` erzeugen)."
            )
        users.append((name.strip(), hashed.strip()))
    return tuple(users)
