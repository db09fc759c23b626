"""Fixtures for the briefing, Umsetzungsstand and slide tests: one built store per test run, copied for writers."""

from __future__ import annotations

import shutil
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook

from aqb.build import build_store
from aqb.settings import PROJECT_ROOT, Settings
from aqb.ingest.umsetzung_sheet import COLUMNS, DATA_SHEET, INFO_SHEET, YEAR_LABEL

_BUILT: dict[str, Path] = {}
_ENV = ("AQB_DEMO", "AQB_PUBLIC", "AQB_PUBLIC_DEMO", "AQB_STAFF_USERS", "AQB_KEEP_SNAPSHOTS", "AQB_MAX_FILE_MB")

# The real Offenbach 2025 agreement (data/agreements/) and plausible autumn figures for it.
OFFENBACH = "06413"
OFFENBACH_ROWS = [
    # project, approved €, spent €, planned places, participants
    ("Berufsvorbereitung Elektro", 150_000, 90_000.5, 20, 14),
    ("BaE Teilzeit", 100_000, 62_000, 8, 8),
    ("Coaching und Unterrichtshilfen (CUBA)", 130_000, 70_000, 30, 21),
    ("Jobcoach", 140_000, 101_000, 25, 19),
    ("Interkulturelle Gruppe", 100_000, 40_000, 16, 12),
    ("Coaching von jungen Wohnungssuchenden", 140_000, 66_500, 30, 17),
    ("Fallmanagement für Erziehende", 130_000, 80_000, 20, 22),
    ("Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen", 81_410, 50_000, 12, 9),
    ("Schulungen für Mitarbeiter/innen", 40_000, 12_000, 40, 25),
]


def use_store(monkeypatch, root: Path) -> Settings:
    monkeypatch.setenv("AQB_DATA_DIR", str(root))
    monkeypatch.setenv("AQB_STORE", str(root / "aqb.duckdb"))
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    return Settings.from_env()


@pytest.fixture(scope="session")
def built_data(tmp_path_factory) -> Path:
    """A data folder built from the repo's data/ (real Offenbach 2025, demo corpus, demo Umsetzungsstand).

    Built once per test process even when several modules import this fixture.
    """
    if "root" not in _BUILT:
        root = tmp_path_factory.mktemp("briefing_store") / "data"
        shutil.copytree(PROJECT_ROOT / "data" / "reference", root / "reference")
        shutil.copytree(PROJECT_ROOT / "data" / "agreements", root / "agreements")
        with pytest.MonkeyPatch.context() as mp:
            build_store(use_store(mp, root), fresh=True, with_demo=True)
        _BUILT["root"] = root
    return _BUILT["root"]


@pytest.fixture
def built(built_data, monkeypatch) -> Settings:
    """Settings on the shared built store: only for tests that do not write."""
    return use_store(monkeypatch, built_data)


@pytest.fixture
def store_copy(built_data, tmp_path, monkeypatch) -> Settings:
    """Settings on a private copy of the built store: for tests that import or rebuild."""
    root = tmp_path / "data"
    shutil.copytree(built_data, root, symlinks=True)
    return use_store(monkeypatch, root)


def sheet(rows: list[list], year: int | None = 2025, header: list[str] | None = None) -> bytes:
    """An Umsetzungsstand workbook with exactly these data rows (cells as given, row 2 onwards)."""
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    if year is not None:
        info["A3"], info["B3"] = YEAR_LABEL, year
    data = wb.create_sheet(DATA_SHEET)
    data.append(header or [c.header for c in COLUMNS])
    for row in rows:
        data.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def offenbach_rows(as_of: date = date(2025, 9, 30), rows=OFFENBACH_ROWS) -> list[list]:
    return [[OFFENBACH, "Offenbach am Main", 2025, None, name, approved, spent, places, participants, as_of]
            for name, approved, spent, places, participants in rows]
