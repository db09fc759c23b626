"""Staff confirmation of an agreement read by OCR: only then does it count as official (public mode)."""

from __future__ import annotations

from aqb.errors import AqbError
from aqb.fmt import stored_now
from aqb.settings import Settings
from aqb.store import snapshots

CONFIRMED = "bestätigt"


def confirm_ocr(settings: Settings, file_name: str, actor: str) -> str:
    """Mark the current agreement from ``file_name`` (read by OCR) as confirmed by ``actor``.

    Writes one new snapshot and an ingest_log/audit row. Raises AqbError when the file is no current
    agreement, was not read by OCR, or is already confirmed, or without a name.
    """
    if not actor or not actor.strip():
        raise AqbError("Bestätigen nur mit Namen (--by), für das Protokoll.")
    actor = actor.strip()
    with snapshots.draft(settings) as d:
        row = d.con.execute(
            "select agreement_id, is_ocr, confirmed_by from agreements where source_file = $f", {"f": file_name}
        ).fetchone()
        if row is None:
            raise AqbError(f"{file_name} ist keine aktuelle Vereinbarung im Bestand (`aqb list` zeigt sie).")
        agreement_id, is_ocr, confirmed_by = row
        if not is_ocr:
            raise AqbError(f"{file_name} wurde nicht per Texterkennung gelesen – nichts zu bestätigen.")
        if confirmed_by:
            raise AqbError(f"{file_name} ist bereits bestätigt (von {confirmed_by}).")
        now = stored_now()
        message = f"per Texterkennung gelesene Werte bestätigt von {actor}."
        d.con.execute("begin transaction")
        d.con.execute("update agreements set confirmed_by = $a where agreement_id = $id", {"a": actor, "id": agreement_id})
        log = {"logged_at": now, "actor": actor, "source_file": file_name, "source_sha256": agreement_id,
               "outcome": CONFIRMED, "message": message}
        d.con.execute("insert into ingest_log values ($logged_at, $actor, $source_file, $source_sha256, $outcome, $message)",
                      log)
        d.con.execute("commit")
        d.changed = True
        d.audit_rows.append(log)
    return message
