"""Streamlit staff login for the staff pages, and escaping so document text is never read as Markdown."""

from __future__ import annotations

import time
from typing import Mapping

import streamlit as st

from aqb.app import auth
from aqb.present import escape
from aqb.errors import SettingsError
from aqb.settings import Settings

SESSION_USER = "aqb_staff_user"
_FAILURES = "aqb_login_failures"
MAX_FAILURES = 5
LOCKOUT_S = 60


def plain(text: object) -> str:
    """``text`` with every ASCII punctuation mark backslash-escaped, for Markdown-rendering widgets.

    Labels, st.subheader, st.error and friends render Markdown; a file name or document text
    passed through this shows literally (no links, emphasis, colour directives or formulas).
    """
    return escape.markdown(text)


def _secrets_table() -> Mapping[str, str] | None:
    try:
        table = st.secrets.get("staff_users")
    except FileNotFoundError:  # no secrets.toml: environment only
        return None
    return dict(table) if table else None


def logged_in_user(settings: Settings) -> str | None:
    """The staff name of this session, if it logged in and staff functions are on."""
    users = auth.staff_users(settings, _secrets_table())
    user = st.session_state.get(SESSION_USER)
    return user if auth.staff_enabled(settings, users) and user in users else None


def require_staff(settings: Settings) -> str:
    """The logged-in staff name; otherwise show why not (or the login form) and stop the page."""
    try:
        users = auth.staff_users(settings, _secrets_table())
    except SettingsError as exc:
        st.error(plain(exc))
        st.stop()
    reason = auth.staff_disabled_reason(settings, users)
    if reason is not None:
        st.info(reason)
        st.stop()
    user = st.session_state.get(SESSION_USER)
    if user in users:
        left, right = st.columns([5, 1])
        left.caption(f"Angemeldet als {plain(user)}")
        if right.button("Abmelden", key="staff_logout"):
            st.session_state.pop(SESSION_USER, None)
            st.rerun()
        return user
    st.warning("Nur für Mitarbeiterinnen und Mitarbeiter: bitte anmelden.")
    failures = [t for t in st.session_state.get(_FAILURES, []) if time.monotonic() - t < LOCKOUT_S]
    with st.form("staff_login", clear_on_submit=True):
        name = st.text_input("Name", key="staff_name")
        password = st.text_input("Passwort", type="password", key="staff_password")
        submitted = st.form_submit_button("Anmelden", key="staff_login_submit")
    if submitted:
        if len(failures) >= MAX_FAILURES:
            st.error(f"Zu viele Fehlversuche – bitte in {LOCKOUT_S} Sekunden erneut versuchen.")
        elif auth.check_login(name, password, users):
            st.session_state[SESSION_USER] = name.strip()
            st.session_state.pop(_FAILURES, None)
            st.rerun()
        else:
            st.session_state[_FAILURES] = [*failures, time.monotonic()]
            st.error("Anmeldung fehlgeschlagen: Name oder Passwort stimmt nicht.")
    st.stop()
