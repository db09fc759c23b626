"""The project's own error types; every failure a user can cause is one of these."""

from __future__ import annotations


class AqbError(Exception):
    """Base class: a problem the user can act on, with a German one-line message."""


class DocumentRefused(AqbError):
    """A document that cannot be read as a Zielvereinbarung.

    ``file_name`` says which file, ``reason`` what is missing or wrong (German, one line).
    """

    def __init__(self, file_name: str, reason: str):
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


class StoreError(AqbError):
    """The store is missing, locked or inconsistent."""


class SettingsError(AqbError):
    """A setting (environment variable, path) is invalid."""


def operational_message(exc: BaseException) -> str:
    """One German line for an operational failure (disk full, no permission, corrupt file), without paths.

    The detail (paths, errno, the library's text) belongs in the operator's log, not in the UI.
    """
    import errno

    code = getattr(exc, "errno", None)
    text = str(exc)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) or "No space left" in text or "File too large" in text:
        return "Kein Speicherplatz mehr auf dem Datenträger des Bestands – bitte Platz schaffen und erneut versuchen."
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "Permission denied" in text:
        return "Keine Schreibberechtigung für den Datenordner – bitte den Betrieb verständigen."
    if code == errno.ENOENT:
        return "Eine Datei des Bestands fehlt."
    lowered = text.lower()
    if any(word in lowered for word in ("corrupt", "checksum", "not a valid duckdb", "truncated")):
        return "Die Datei des Bestands ist beschädigt."
    return "Lesen oder Schreiben des Bestands ist fehlgeschlagen (Einzelheiten im Betriebsprotokoll)."
