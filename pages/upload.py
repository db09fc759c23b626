"""Daten hochladen: staff review each uploaded agreement value by value, then keep or discard it."""

import pandas as pd
import streamlit as st

from aqb.store import upload
from aqb.app.login import plain, require_staff
from aqb.errors import AqbError
from aqb.settings import Settings

from aqb.app.ui import leave_legacy_navigation

leave_legacy_navigation()  # a first deep link must run through dashboard.py

settings = Settings.from_env()
st.title("Daten hochladen")
user = require_staff(settings)
state = st.session_state.setdefault("aqb_upload", {"round": 0, "key": None, "items": [], "report": None})

if state["report"] is not None:
    st.success(f"Gespeichert: {state['report'].summary()}.")
    st.dataframe(upload.report_frame(state["report"]), hide_index=True)

files = st.file_uploader(
    f"Zielvereinbarungen (PDF, DOCX, TXT, MD) – höchstens {upload.MAX_UPLOAD_FILES} Dateien je Upload",
    type=["pdf", "docx", "txt", "md"], accept_multiple_files=True, key=f"upload_files_{state['round']}",
    max_upload_size=settings.upload_widget_mb,
)
if not files:
    st.stop()
key = tuple(f.file_id for f in files)
if state["key"] != key:
    with st.spinner("Dateien werden geprüft …"):
        try:
            state["items"] = upload.review_uploads([(f.name, f.getvalue()) for f in files], settings)
        except AqbError as exc:
            st.error(plain(exc))
            st.stop()
    state["key"], state["report"] = key, None

decisions = {}
checked: set[str] = set()
for n, item in enumerate(state["items"]):
    with st.container(border=True):
        st.subheader(plain(item.file_name))
        if not item.ok:
            st.error("Abgelehnt – wird nicht übernommen. Grund:")
            st.text(item.refusal)
            continue
        st.text(f"Beim Übernehmen: {item.store_note}")
        st.dataframe(item.frame(), hide_index=True)
        if item.warnings:
            st.dataframe(pd.DataFrame({"Warnung": list(item.warnings)}), hide_index=True)
        if item.needs_check:
            st.warning("Zu prüfen – bitte im Dokument nachsehen:\n\n" + "\n".join(f"- {r}" for r in item.needs_check))
            if st.checkbox("Werte im Dokument nachgesehen", key=f"checked_{state['round']}_{n}"):
                checked.add(item.sha256)
        decisions[n] = st.radio("Entscheidung", ["übernehmen", "verwerfen"], key=f"decide_{state['round']}_{n}",
                                horizontal=True)

if st.button("Entscheidungen speichern", type="primary", key="upload_confirm"):
    keep = [state["items"][n] for n, choice in decisions.items() if choice == "übernehmen"]
    discard = [item for n, item in enumerate(state["items"]) if decisions.get(n) != "übernehmen"]
    try:
        report = upload.confirm(keep, user, settings, discarded=discard, checked=checked)
    except AqbError as exc:
        st.error(plain(exc))
        st.stop()
    state.update(round=state["round"] + 1, key=None, items=[], report=report)
    st.rerun()
