"""Streamlit staff login for the staff pages, and escaping so document text is never read as Markdown."""

from __future__ import annotations

from typing import Mapping

import streamlit as st

from aqb.app import auth, throttle
from aqb.store import audit
from aqb.present import escape
from aqb.errors import SettingsError
from aqb.settings import Settings

SESSION_USER = "aqb_staff_user"


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
    with st.form("staff_login", clear_on_submit=True):
        name = st.text_input("Name", key="staff_name")
        password = st.text_input("Passwort", type="password", key="staff_password")
        submitted = st.form_submit_button("Anmelden", key="staff_login_submit")
    if submitted:
        _attempt(settings, name, password, users)
    st.stop()


def client_address() -> str:
    """The browser's address; behind the project's nginx (which sets X-Real-IP) the address nginx saw."""
    address = getattr(st.context, "ip_address", None)
    address = address if isinstance(address, str) else ""  # no browser behind the session (AppTest)
    if address in ("", "127.0.0.1", "::1"):
        try:
            forwarded = st.context.headers.get("X-Real-Ip")
        except Exception:  # noqa: BLE001 - no request headers outside a browser session
            forwarded = None
        address = forwarded.strip() if isinstance(forwarded, str) and forwarded.strip() else address
    return address or "unbekannt"


def _attempt(settings: Settings, name: str, password: str, users: Mapping[str, str]) -> None:
    """Check one login against the server-side throttle, log it to the audit trail, sign in on success."""
    name = (name or "").strip()
    address = client_address()
    verdict = throttle.check(settings, name, address)
    if not verdict.allowed:
        _audit(settings, name, "anmeldung gesperrt",
               f"Anmeldung als „{name}“ von {address} abgewiesen: zu viele Fehlversuche ({verdict.reason}).")
        st.error(f"Zu viele Fehlversuche – bitte in {verdict.retry_after_s} Sekunden erneut versuchen.")
        return
    if auth.check_login(name, password, users):
        throttle.clear_user(settings, name)  # failures and lockouts are audited; a success shows in what the user writes
        st.session_state[SESSION_USER] = name
        st.rerun()
    throttle.record_failure(settings, name, address)
    _audit(settings, name, "anmeldung fehlgeschlagen", f"Anmeldung als „{name}“ von {address} fehlgeschlagen.")
    st.error("Anmeldung fehlgeschlagen: Name oder Passwort stimmt nicht.")


def _audit(settings: Settings, name: str, outcome: str, message: str) -> None:
    audit.append(settings, [{"actor": name[:60] or "–", "source_file": "Anmeldung", "outcome": outcome,
                             "message": message}], None)
