"""Protokoll: who wrote which document into the store, when, and with what outcome (staff only)."""

import streamlit as st

from aqb.store import audit
from aqb.store import snapshots
from aqb.app.login import require_staff
from aqb.settings import Settings

from aqb.app.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

settings = Settings.from_env()
st.title("Protokoll")
require_staff(settings)

# The append-only audit file survives rollbacks; ingest_log inside a snapshot would not.
log = audit.read(settings)
if log.attrs.get("torn_lines"):
    st.warning(f"{log.attrs['torn_lines']} unvollständige Zeile(n) im Protokoll übersprungen (abgebrochener Schreibvorgang).")
if log.empty:
    st.info("Noch keine Einträge im Protokoll.")
    st.stop()

outcomes = st.multiselect("Ergebnis", sorted(log["outcome"].unique()), key="audit_outcomes", select_all=False)
actors = st.multiselect("Wer", sorted(log["actor"].unique()), key="audit_actors", select_all=False)
shown = log[log["outcome"].isin(outcomes or log["outcome"]) & log["actor"].isin(actors or log["actor"])]
st.dataframe(
    shown, hide_index=True,
    column_config={
        "logged_at": st.column_config.DatetimeColumn("Zeitpunkt", format="DD.MM.YYYY HH:mm:ss"),
        "actor": "Wer", "source_file": "Datei", "outcome": "Ergebnis", "message": "Was sich geändert hat",
        "source_sha256": "SHA-256", "snapshot": "Snapshot",
    },
)
current = snapshots.current_snapshot(settings)
st.caption(f"{len(shown)} von {len(log)} Einträgen – aktueller Snapshot {current.name if current else '–'}. "
           "Das Protokoll wird nur ergänzt; auch Rollbacks stehen darin.")
