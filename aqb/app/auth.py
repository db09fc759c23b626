"""Who may do what: staff password hashes and logins, and what public mode shows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

import pandas as pd

from aqb.errors import SettingsError
from aqb.settings import Settings

ALGORITHM = "pbkdf2_sha256"
MIN_ITERATIONS = 200_000
DEFAULT_ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
MIN_PASSWORD_CHARS = 12
STATUSES = ("entwurf", "unterzeichnet", "veroeffentlicht")
PUBLISHED = "veroeffentlicht"

HOW_TO_ENABLE = (
    "Mitarbeiterfunktionen sind ausgeschaltet: es ist kein Zugang eingerichtet. "
    "Zum Einschalten mit `aqb hash-password` einen Passwort-Hash erzeugen und ihn in "
    ".streamlit/secrets.toml unter [staff_users] als name = \"hash\" eintragen "
    "oder als Umgebungsvariable AQB_STAFF_USERS=\"name:hash\" setzen, dann neu starten."
)
PUBLIC_MODE_OFF = (
    "Öffentlicher Modus (AQB_PUBLIC=1): nur Lesezugriff auf veröffentlichte Vereinbarungen, "
    "Mitarbeiterfunktionen sind abgeschaltet."
)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    """``pbkdf2_sha256$iterations$salt$hash`` (salt and hash in base64) for ``password``."""
    if iterations < MIN_ITERATIONS:
        raise ValueError(f"mindestens {MIN_ITERATIONS} Iterationen")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def hash_problem(encoded: str) -> str | None:
    """Why ``encoded`` is not a usable hash (German), or None when it is."""
    parts = encoded.split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM:
        return f"kein {ALGORITHM}-Hash (Format {ALGORITHM}$Iterationen$Salz$Hash)"
    if not parts[1].isdigit() or int(parts[1]) < MIN_ITERATIONS:
        return f"zu wenige Iterationen (mindestens {MIN_ITERATIONS})"
    try:
        salt = base64.b64decode(parts[2], validate=True)
        digest = base64.b64decode(parts[3], validate=True)
    except ValueError:
        return "Salz oder Hash ist kein Base64"
    if len(salt) < 8 or len(digest) != 32:
        return "Salz oder Hash hat die falsche Länge"
    return None


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches ``encoded``; a malformed hash never matches."""
    if hash_problem(encoded) is not None:
        return False
    _, iterations, salt, digest = encoded.split("$")
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


@lru_cache(maxsize=8)
def _dummy_hash(iterations: int) -> str:
    return hash_password(secrets.token_hex(16), iterations=iterations)


def _iterations(encoded: str) -> int:
    parts = encoded.split("$")
    return int(parts[1]) if len(parts) == 4 and parts[1].isdigit() else DEFAULT_ITERATIONS


def check_login(user: str, password: str, users: Mapping[str, str]) -> bool:
    """True when ``user`` is configured and ``password`` matches its hash.

    Every answer costs one PBKDF2 run with the iteration count of the configured hashes: an
    unknown name or an empty password takes as long as a wrong password, so timing does not
    tell which names exist.
    """
    encoded = users.get((user or "").strip())
    if encoded is None:
        work = max((_iterations(e) for e in users.values()), default=DEFAULT_ITERATIONS)
        verify_password(password or "", _dummy_hash(max(work, MIN_ITERATIONS)))
        return False
    matches = verify_password(password or "", encoded)
    return bool(password) and matches


def staff_users(settings: Settings, secrets_table: Mapping[str, str] | None = None) -> dict[str, str]:
    """Staff name -> hash from the Streamlit secrets table [staff_users] and AQB_STAFF_USERS.

    AQB_STAFF_USERS wins for a name configured in both. Raises SettingsError naming the entry
    whose hash is unusable, so a typo does not silently lock everybody out.
    """
    users: dict[str, str] = {}
    for name, encoded in dict(secrets_table or {}).items():
        users[str(name).strip()] = str(encoded).strip()
    users.update(settings.staff_users)
    for name, encoded in users.items():
        problem = hash_problem(encoded)
        if problem is not None:
            raise SettingsError(f"Zugang „{name}“: {problem}. Neuen Hash mit `aqb hash-password` erzeugen.")
    return users


def staff_enabled(settings: Settings, users: Mapping[str, str] | None = None) -> bool:
    """Staff functions (upload, audit log) are on when a login exists and the app is not public."""
    return staff_disabled_reason(settings, users) is None


def staff_disabled_reason(settings: Settings, users: Mapping[str, str] | None = None) -> str | None:
    """Why staff functions are off (German, says how to turn them on), or None when they are on."""
    if settings.public_mode:
        return PUBLIC_MODE_OFF
    if not (users if users is not None else staff_users(settings)):
        return HOW_TO_ENABLE
    return None


# -- public mode -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    """What the running app may show and do."""

    read_only: bool
    statuses: tuple[str, ...]  # of real agreements
    show_demo: bool
    demo_marked: bool
    show_audit_log: bool
    show_internal_notes: bool  # parser warnings, ingest messages, source file names of drafts


def visible_statuses(settings: Settings) -> tuple[str, ...]:
    """Statuses of real agreements that may be shown: only published ones in public mode."""
    return (PUBLISHED,) if settings.public_mode else STATUSES


def demo_visible(settings: Settings) -> bool:
    """Demo rows: as configured internally; in public mode only with AQB_PUBLIC_DEMO=1."""
    if settings.public_mode:
        return settings.demo_enabled and settings.public_demo
    return settings.demo_enabled


def policy(settings: Settings) -> Policy:
    public = settings.public_mode
    return Policy(
        read_only=public,
        statuses=visible_statuses(settings),
        show_demo=demo_visible(settings),
        demo_marked=True,  # demo rows are always marked "Demodaten – nicht amtlich"
        show_audit_log=not public,
        show_internal_notes=not public,
    )


def is_visible(status: str, is_demo: bool, settings: Settings) -> bool:
    """Whether one agreement may be shown. Demo rows are not published, so status does not gate them."""
    if is_demo:
        return demo_visible(settings)
    return status in visible_statuses(settings)


def filter_visible(frame: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The rows of an agreements frame (columns ``status``, ``is_demo``) that may be shown."""
    if frame.empty:
        return frame
    keep = [is_visible(s, bool(d), settings) for s, d in zip(frame["status"], frame["is_demo"])]
    return frame[keep].reset_index(drop=True)
