"""The Stand in Europe/Berlin with its zone, and the year the dashboard opens on."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import openpyxl

from aqb import fmt
from aqb.store import reader
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file


def test_stand_is_berlin_time_with_zone():
    assert fmt.stand(datetime(2026, 12, 1, 21, 41)) == "Stand: 1.12.2026, 22:41 MEZ"       # naive = UTC
    assert fmt.stand("2026-07-01T10:00:00") == "Stand: 1.7.2026, 12:00 MESZ"
    aware = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=2)))             # just after the switch
    assert fmt.stand(aware) == "Stand: 29.3.2026, 03:30 MESZ"
    assert fmt.stand(datetime(2026, 3, 29, 0, 59)) == "Stand: 29.3.2026, 01:59 MEZ"
    assert fmt.stand(None) == "Stand: –"


def test_store_keeps_utc_and_exports_say_the_stand(settings, tmp_path):
    agreement_file(settings, "06413", 2025, 1_011_410)
    before = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    ingest_paths([settings.agreements_dir], settings)
    con, _ = reader.connect(settings)
    try:
        built = run_query(con, "store_status").iloc[0]["built_at"]
    finally:
        con.close()
    assert before <= datetime.fromisoformat(built) <= before + timedelta(minutes=2)
    for kind in ("csv", "xlsx"):
        out = tmp_path / kind
        result = subprocess.run([sys.executable, "-m", "aqb.cli", "export", "--format", kind, "--out", str(out)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "csv" / "STAND.txt").read_text(encoding="utf-8") == f"AQB-Dashboard, Export · {fmt.stand(built)}\n"
    notes = [row[0] for row in openpyxl.load_workbook(tmp_path / "xlsx" / "aqb_export.xlsx")["Hinweise"].values]
    assert fmt.stand(built) in notes


def test_dashboard_opens_on_the_latest_year_with_signed_agreements(settings):
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import DASHBOARD

    agreement_file(settings, "06413", 2024, 1_000_000, signed=date(2024, 3, 1))
    agreement_file(settings, "06413", 2025, 1_011_410, signed=date(2025, 3, 1))
    draft = agreement_file(settings, "06411", 2026, 700_000, signed=date(2026, 3, 1))
    # A 2026 draft: the signature dates are gone, so the agreement is not signed.
    draft.write_text(draft.read_text(encoding="utf-8").replace("den 1.3.2026", "den"), encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con, _ = reader.connect(settings)
    try:
        years = run_query(con, "agreement_years", include_demo=True)
    finally:
        con.close()
    assert list(zip(years["agreement_year"], years["has_signed"])) == [(2024, True), (2025, True), (2026, False)]
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="jahr").value == 2025
    assert [int(o) for o in at.selectbox(key="jahr").options] == [2026, 2025, 2024]
