"""Login throttling on the server, per user name and per client address, kept in SQLite across restarts.

Every failed attempt is one row; an attempt is refused unhashed while the name or the address
has too many failures in the window. The file lives beside the snapshots (not inside one), so
neither a browser reload nor a rollback nor a restart resets it. SQLite in WAL mode because
several Streamlit processes (nginx cluster) share it and it must survive being killed mid-write.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from aqb.settings import Settings

DB_FILE = "logins.sqlite"
WINDOW_S = 15 * 60
MAX_PER_USER = 5       # guesses for one name in the window
MAX_PER_ADDRESS = 20   # guesses from one address in the window, over all names


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0
    reason: str = ""  # "name" or "address" when refused


def db_path(settings: Settings) -> Path:
    return settings.snapshot_dir / DB_FILE


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=10, isolation_level=None)
    con.execute("pragma journal_mode = wal")
    con.execute("pragma synchronous = full")
    con.execute("create table if not exists login_failures (failed_at real not null, user_name text not null,"
                " client_address text not null)")
    con.execute("create index if not exists login_failures_at on login_failures (failed_at)")
    return con


def _key(user: str) -> str:
    return (user or "").strip().casefold()


def check(settings: Settings, user: str, address: str, now: float | None = None) -> Verdict:
    """Whether a login attempt for ``user`` from ``address`` may be checked at all right now."""
    now = time.time() if now is None else now
    since = now - WINDOW_S
    with closing(_connect(db_path(settings))) as con:
        for reason, column, value, limit in (("name", "user_name", _key(user), MAX_PER_USER),
                                             ("address", "client_address", address, MAX_PER_ADDRESS)):
            count, oldest = con.execute(
                f"select count(*), min(failed_at) from (select failed_at from login_failures where {column} = ?"  # noqa: S608
                " and failed_at > ? order by failed_at desc limit ?)", (value, since, limit)).fetchone()
            if count >= limit:
                return Verdict(False, max(1, int(oldest + WINDOW_S - now) + 1), reason)
    return Verdict(True)


def record_failure(settings: Settings, user: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with closing(_connect(db_path(settings))) as con:
        con.execute("insert into login_failures values (?, ?, ?)", (now, _key(user), address))
        con.execute("delete from login_failures where failed_at < ?", (now - 2 * WINDOW_S,))


def clear_user(settings: Settings, user: str) -> None:
    """After a successful login the name starts afresh (the address keeps its count)."""
    with closing(_connect(db_path(settings))) as con:
        con.execute("delete from login_failures where user_name = ?", (_key(user),))
