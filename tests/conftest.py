"""Shared fixtures: a private data folder and store per test, built from the repo's reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aqb.settings import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
REFERENCE = PROJECT_ROOT / "data" / "reference"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch) -> Path:
    """A data folder with the reference data and no agreements; AQB_* point at it."""
    root = tmp_path / "data"
    shutil.copytree(REFERENCE, root / "reference")
    (root / "agreements").mkdir()
    monkeypatch.setenv("AQB_DATA_DIR", str(root))
    monkeypatch.setenv("AQB_STORE", str(root / "aqb.duckdb"))
    return root


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings.from_env()


@pytest.fixture(autouse=True)
def _every_block_in_the_first_run(monkeypatch):
    """AppTest executes no JavaScript, so nothing would fire the trigger that sends the blocks below a page's
    first chart (aqb.app.later): in-process app runs draw everything at once. The browser tests' servers run
    with the product's default (browser_support.start_streamlit), tests/test_later.py with both."""
    monkeypatch.setenv("AQB_DEFER_BELOW_FOLD", "0")
