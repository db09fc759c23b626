"""Protokoll: who wrote which document into the store, when, and with what outcome (staff only)."""

import streamlit as st

from aqb import snapshots
from aqb.auth_ui import require_staff
from aqb.queries import run_query
from aqb.settings import Settings
from aqb.store import open_reader

from aqb.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

settings = Settings.from_env()
st.title("Protokoll")
require_staff(settings)

con = open_reader(settings)
if con is None:
    st.info("Noch kein Bestand: `aqb build` baut ihn aus data/.")
    st.stop()
try:
    log = run_query(con, "ingest_log")
finally:
    con.close()

outcomes = st.multiselect("Ergebnis", sorted(log["outcome"].unique()), key="audit_outcomes")
actors = st.multiselect("Wer", sorted(log["actor"].unique()), key="audit_actors")
shown = log[log["outcome"].isin(outcomes or log["outcome"]) & log["actor"].isin(actors or log["actor"])]
st.dataframe(
    shown, hide_index=True,
    column_config={
        "logged_at": st.column_config.DatetimeColumn("Zeitpunkt", format="DD.MM.YYYY HH:mm:ss"),
        "actor": "Wer", "source_file": "Datei", "outcome": "Ergebnis", "message": "Was sich geändert hat",
        "source_sha256": "SHA-256",
    },
)
st.caption(f"{len(shown)} von {len(log)} Einträgen – Snapshot {snapshots.current_snapshot(settings).name}. "
           "Ein Rollback setzt auch das Protokoll auf den Stand dieses Snapshots zurück.")
