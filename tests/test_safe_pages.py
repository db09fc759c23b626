"""The pages with hostile document text, public mode and the meeting-page login (issue 10, 1, 3, 13)."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from aqb.app import auth
from dashboard_fixtures import key_figures
from aqb.settings import PROJECT_ROOT
from aqb.store import reader
from aqb.store.umsetzung_import import import_sheets
from aqb.store.write import ingest_paths
from briefing_fixtures import offenbach_rows, sheet

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
ROLE = "![x](http://tracker.example/beacon.png) [Quelle](http://evil.example/) :red[Chef] $x^2$"
BUDGET_LINE = "\n1.011.410 Euro\n"  # the § 4 amount stands on a line of its own: the snippet is that line


@pytest.fixture
def hostile_store(settings, seed_text):
    """Offenbach 2025 (signed, not published) with a hostile signer role and § 4 sentence, and its Umsetzungsstand."""
    text = seed_text.replace("Stadtrat/Stadtkämmerer", ROLE).replace(
        BUDGET_LINE, "\n1.011.410 Euro [mehr](http://evil.example/) ![b](http://tracker.example/2.png)\n", 1)
    (settings.agreements_dir / "zv.txt").write_text(text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    import_sheets([("herbst.xlsx", sheet(offenbach_rows()))], settings)
    return settings


def _dashboard(page: str, **params) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    return at.run()


def test_document_text_on_the_partner_page_is_not_markdown(hostile_store):
    at = _dashboard("pages/gebietskoerperschaft.py", partner="Offenbach am Main", jahr="2025")
    assert not at.exception, [e.value for e in at.exception]
    bodies = [m.value for m in at.markdown] + [c.value for c in at.caption]
    quoted = [b for b in bodies if "tracker" in b]
    assert len(quoted) >= 2, bodies  # the signer role and the § 4 sentence are shown …
    for body in quoted:  # … with every Markdown mark escaped: no image, no link, no colour, no formula
        unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", body.removeprefix("> "))
        assert re.search(r"[!-/:-@\[-`{-~]", unescaped) is None, body
        assert "\\]\\(http\\:" in body


def test_public_presentation_and_partner_page_hide_unpublished_umsetzungsstand(hostile_store, monkeypatch):
    monkeypatch.setenv("AQB_PUBLIC", "1")
    con, _ = reader.connect(reader.Settings.from_env())
    assert con.execute("select count(*) from implementation_status").fetchone() == (0,)
    at = _dashboard("pages/presentation.py", charts="abfluss", year="2025")
    assert not at.exception
    shown = " ".join([m.value for m in at.markdown] + [str(c.proto.spec) for c in at.get("plotly_chart")]
                     + [x.value for x in at.metric] + [x.value for x in key_figures(at)])
    assert "Mittelabfluss" not in shown or "52" not in shown
    assert "90.000" not in shown and "Berufsvorbereitung Elektro" not in shown


def test_make_run_and_streamlit_listen_on_localhost():
    dry = subprocess.run(["make", "-n", "run"], cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert "--server.address 127.0.0.1" in dry
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


@pytest.mark.parametrize("page", ["pages/briefing.py", "pages/umsetzung.py"])
def test_meeting_pages_behind_the_login_when_asked(hostile_store, monkeypatch, page):
    monkeypatch.setenv("AQB_STAFF_USERS", f"anna:{auth.hash_password('korrekt-pferd-batterie', iterations=auth.MIN_ITERATIONS)}")
    at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=90).run()
    assert not [w.value for w in at.warning if w.value.startswith("Nur für Mitarbeiter")]  # default: the team's own
    monkeypatch.setenv("AQB_MEETINGS_LOGIN", "1")
    at = AppTest.from_file(str(PROJECT_ROOT / page), default_timeout=90).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Nur für Mitarbeiterinnen und Mitarbeiter: bitte anmelden."]
    assert not at.dataframe and not at.get("plotly_chart")


def test_drafts_hidden_for_sessions_without_login(settings, seed_text):
    import dataclasses

    draft = seed_text.replace("Offenbach am Main, den 11.8.2025", "Offenbach am Main, den")
    (settings.agreements_dir / "entwurf.txt").write_text(draft.replace("2025", "2024"), encoding="utf-8")
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con, _ = reader.connect(settings)
    statuses = sorted(r[0] for r in con.execute("select status from agreements").fetchall())
    assert "entwurf" in statuses, json.dumps(statuses)
    con, _ = reader.connect(dataclasses.replace(settings, meetings_login=True, drafts_hidden=True))
    assert "entwurf" not in {r[0] for r in con.execute("select status from agreements").fetchall()}
