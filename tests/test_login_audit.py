"""Server-side login throttling, constant-cost answers and the tolerant audit trail (issue 10, 6 and 7)."""

from __future__ import annotations

import hashlib

import pytest
from streamlit.testing.v1 import AppTest

from aqb.app import auth, throttle
from aqb.settings import PROJECT_ROOT
from aqb.store import audit
from aqb.store.umsetzung_import import import_sheets
from briefing_fixtures import built_data, offenbach_rows, sheet, store_copy  # noqa: F401

PASSWORD = "korrekt-pferd-batterie"


@pytest.fixture
def staff_env(settings, monkeypatch):
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS)}")
    return settings


def _login(name: str, password: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "audit.py"), default_timeout=60).run()
    at.text_input(key="staff_name").input(name)
    at.text_input(key="staff_password").input(password)
    return at.button(key="staff_login_submit").click().run()


def test_throttle_holds_across_sessions_and_is_audited(staff_env):
    for _ in range(throttle.MAX_PER_USER):
        at = _login("anna", "falsch")  # each attempt in a fresh browser session
        assert [e.value for e in at.error] == ["Anmeldung fehlgeschlagen: Name oder Passwort stimmt nicht."]
    at = _login("anna", PASSWORD)  # the right password, but the name is locked
    assert not at.exception
    assert [e.value for e in at.error][0].startswith("Zu viele Fehlversuche – bitte in ")
    assert "Angemeldet als anna" not in [c.value for c in at.caption]
    log = audit.read(staff_env)
    assert sorted(log["outcome"]) == ["anmeldung fehlgeschlagen"] * throttle.MAX_PER_USER + ["anmeldung gesperrt"]
    assert set(log["actor"]) == {"anna"}


def test_throttle_is_persisted_and_counts_per_address(settings):
    now = 1_000_000.0
    for n in range(throttle.MAX_PER_ADDRESS):
        assert throttle.check(settings, f"name{n}", "10.0.0.7", now).allowed
        throttle.record_failure(settings, f"name{n}", "10.0.0.7", now)
    # A new name from the same address is refused; the same new name from elsewhere is not.
    assert throttle.check(settings, "neu", "10.0.0.7", now + 1) == throttle.Verdict(False, throttle.WINDOW_S, "address")
    assert throttle.check(settings, "neu", "10.0.0.8", now + 1).allowed
    assert throttle.check(settings, "neu", "10.0.0.7", now + throttle.WINDOW_S + 1).allowed  # the window passes


def test_every_answer_costs_one_full_pbkdf2(monkeypatch):
    users = {"anna": auth.hash_password(PASSWORD, iterations=auth.MIN_ITERATIONS + 1)}
    auth.check_login("x", "y", users)  # builds the dummy hash once
    runs = []
    real = hashlib.pbkdf2_hmac
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", lambda *a: runs.append(a[3]) or real(*a))
    assert not auth.check_login("anna", "", users)
    assert not auth.check_login("unbekannt", "", users)
    assert not auth.check_login("unbekannt", "falsch", users)
    assert auth.check_login("anna", PASSWORD, users)
    assert runs == [auth.MIN_ITERATIONS + 1] * 4


def test_torn_audit_line_is_skipped_and_the_next_entry_stands_alone(staff_env):
    audit.append(staff_env, [{"actor": "anna", "source_file": "a.txt", "outcome": "neu", "message": "eins"}], None)
    with open(audit.audit_path(staff_env), "ab") as handle:
        handle.write(b'{"logged_at": "2026-12-01T10:00:00", "actor": "an')  # killed mid-write
    audit.append(staff_env, [{"actor": "bert", "source_file": "b.txt", "outcome": "neu", "message": "zwei"}], None)
    log = audit.read(staff_env)
    assert sorted(log["message"]) == ["eins", "zwei"] and log.attrs["torn_lines"] == 1
    at = _login("anna", PASSWORD)
    assert not at.exception
    assert [w.value for w in at.warning] == [
        "1 unvollständige Zeile(n) im Protokoll übersprungen (abgebrochener Schreibvorgang)."]


def test_umsetzungsstand_import_reaches_the_audit_file(store_copy):  # noqa: F811
    before = len(audit.read(store_copy))
    report = import_sheets([("herbst.xlsx", sheet(offenbach_rows()))], store_copy, actor="anna")[0]
    log = audit.read(store_copy)
    new = log.head(len(log) - before)
    assert list(new["actor"]) == ["anna"] and list(new["source_file"]) == ["herbst.xlsx"]
    assert list(new["snapshot"]) == [report.snapshot.name]
    assert new["message"].iloc[0].startswith("Umsetzungsstand Offenbach am Main 2025: 9 Projekte")
