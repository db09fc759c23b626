"""Access: password hashes, staff logins from secrets or environment, what public mode shows."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import pandas as pd
import pytest

from aqb.app import auth
from aqb.app.auth import Policy, check_login, hash_password, hash_problem, policy, verify_password
from aqb.errors import SettingsError
from aqb.settings import Settings

FAST = auth.MIN_ITERATIONS  # the cheapest hash the app accepts keeps the tests quick


@pytest.fixture(scope="module")
def anna_hash() -> str:
    return hash_password("korrekt-pferd-batterie", iterations=FAST)


def test_hash_format_and_verification():
    encoded = hash_password("korrekt-pferd-batterie", iterations=FAST, salt=b"0123456789abcdef")
    assert encoded == (
        "pbkdf2_sha256$200000$MDEyMzQ1Njc4OWFiY2RlZg==$" + encoded.rsplit("$", 1)[1]
    )
    assert hash_problem(encoded) is None
    assert verify_password("korrekt-pferd-batterie", encoded)
    assert not verify_password("korrekt-pferd-batteriE", encoded)
    assert hash_password("x" * 12, iterations=FAST) != hash_password("x" * 12, iterations=FAST)  # fresh salt
    assert hash_password("x" * 12).split("$")[1] == "600000"


@pytest.mark.parametrize(("encoded", "problem"), [
    ("klartext", "kein pbkdf2_sha256-Hash (Format pbkdf2_sha256$Iterationen$Salz$Hash)"),
    ("md5$1$a$b", "kein pbkdf2_sha256-Hash (Format pbkdf2_sha256$Iterationen$Salz$Hash)"),
    ("pbkdf2_sha256$1000$MDEyMzQ1Njc4OWFiY2RlZg==$AAAA", "zu wenige Iterationen (mindestens 200000)"),
    ("pbkdf2_sha256$200000$nicht*base64$AAAA", "Salz oder Hash ist kein Base64"),
    ("pbkdf2_sha256$200000$MDEyMzQ1Njc4OWFiY2RlZg==$AAAA", "Salz oder Hash hat die falsche Länge"),
])
def test_unusable_hashes_are_named_and_never_match(encoded, problem):
    assert hash_problem(encoded) == problem
    assert verify_password("klartext", encoded) is False


def test_weak_iteration_counts_are_not_produced():
    with pytest.raises(ValueError):
        hash_password("korrekt-pferd-batterie", iterations=10_000)


def test_check_login(anna_hash):
    users = {"anna": anna_hash}
    assert [
        check_login("anna", "korrekt-pferd-batterie", users),
        check_login(" anna ", "korrekt-pferd-batterie", users),
        check_login("anna", "falsch", users),
        check_login("anna", "", users),
        check_login("bert", "korrekt-pferd-batterie", users),
        check_login("", "", {}),
    ] == [True, True, False, False, False, False]


def settings_with(settings: Settings, **changes) -> Settings:
    return dataclasses.replace(settings, **changes)


def test_staff_users_from_environment_and_secrets(data_dir, monkeypatch, anna_hash):
    other = hash_password("noch-ein-passwort", iterations=FAST)
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{anna_hash}; bert:{other};")
    settings = Settings.from_env()
    assert settings.staff_users == (("anna", anna_hash), ("bert", other))
    assert "pbkdf2" not in repr(settings)
    # The environment wins over secrets.toml for a name in both.
    assert auth.staff_users(settings, {"anna": other, "cora": other}) == {"anna": anna_hash, "cora": other, "bert": other}


def test_malformed_staff_settings_say_what_to_do(data_dir, monkeypatch):
    monkeypatch.setenv("AQB_STAFF_USERS", "anna")
    with pytest.raises(SettingsError) as caught:
        Settings.from_env()
    assert str(caught.value) == "AQB_STAFF_USERS, Eintrag 1: erwartet „name:hash“ (Hash mit `aqb hash-password` erzeugen)."
    monkeypatch.setenv("AQB_STAFF_USERS", "anna:geheim")
    with pytest.raises(SettingsError) as caught:
        auth.staff_users(Settings.from_env())
    assert str(caught.value) == (
        "Zugang „anna“: kein pbkdf2_sha256-Hash (Format pbkdf2_sha256$Iterationen$Salz$Hash). "
        "Neuen Hash mit `aqb hash-password` erzeugen."
    )


def test_staff_functions_on_only_with_a_login_and_not_in_public_mode(settings, anna_hash):
    users = {"anna": anna_hash}
    assert auth.staff_disabled_reason(settings, {}) == auth.HOW_TO_ENABLE
    assert auth.HOW_TO_ENABLE.startswith("Mitarbeiterfunktionen sind ausgeschaltet")
    assert auth.staff_enabled(settings, {}) is False
    assert auth.staff_enabled(settings_with(settings, staff_users=())) is False
    assert auth.staff_enabled(settings, users) is True
    assert auth.staff_enabled(settings_with(settings, staff_users=(("anna", anna_hash),))) is True
    public = settings_with(settings, public_mode=True)
    assert auth.staff_disabled_reason(public, users) == auth.PUBLIC_MODE_OFF
    assert auth.staff_enabled(public, users) is False


def test_policy_internal_public_and_public_demo(settings):
    assert policy(settings) == Policy(
        read_only=False, statuses=("entwurf", "unterzeichnet", "veroeffentlicht"), show_demo=True,
        demo_marked=True, show_audit_log=True, show_internal_notes=True,
    )
    public = settings_with(settings, public_mode=True)
    assert policy(public) == Policy(
        read_only=True, statuses=("veroeffentlicht",), show_demo=False, demo_marked=True,
        show_audit_log=False, show_internal_notes=False,
    )
    assert policy(settings_with(public, public_demo=True)).show_demo is True
    assert policy(settings_with(public, public_demo=True, demo_enabled=False)).show_demo is False
    assert policy(settings_with(settings, demo_enabled=False)).show_demo is False


def test_public_demo_needs_the_explicit_switch(data_dir, monkeypatch):
    monkeypatch.setenv("AQB_PUBLIC", "1")
    assert Settings.from_env().public_demo is False
    monkeypatch.setenv("AQB_PUBLIC_DEMO", "1")
    assert auth.demo_visible(Settings.from_env()) is True


def test_filter_visible(settings):
    frame = pd.DataFrame({
        "source_file": ["entwurf.txt", "signed.txt", "published.txt", "demo.txt"],
        "status": ["entwurf", "unterzeichnet", "veroeffentlicht", "unterzeichnet"],
        "is_demo": [False, False, False, True],
    })
    assert auth.filter_visible(frame, settings)["source_file"].tolist() == [
        "entwurf.txt", "signed.txt", "published.txt", "demo.txt"
    ]
    public = settings_with(settings, public_mode=True)
    assert auth.filter_visible(frame, public)["source_file"].tolist() == ["published.txt"]
    assert auth.filter_visible(frame, settings_with(public, public_demo=True))["source_file"].tolist() == [
        "published.txt", "demo.txt"
    ]
    assert auth.filter_visible(frame.iloc[:0], public).empty


def hash_cli(stdin: str):
    return subprocess.run([sys.executable, "-m", "aqb.cli", "hash-password"], input=stdin, capture_output=True,
                          text=True, env=os.environ.copy(), timeout=60)


def test_cli_hash_password_reads_stdin(data_dir):
    result = hash_cli("korrekt-pferd-batterie\n")
    assert result.returncode == 0, result.stderr
    encoded = result.stdout.strip()
    assert encoded.startswith("pbkdf2_sha256$600000$")
    assert verify_password("korrekt-pferd-batterie", encoded)
    short = hash_cli("kurz\n")
    assert (short.returncode, short.stdout, short.stderr) == (2, "", "Fehler: Passwort zu kurz: mindestens 12 Zeichen.\n")
