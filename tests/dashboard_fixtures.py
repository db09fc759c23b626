"""Fixtures for the dashboard tests: one real store per session, built through the real pipeline."""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from aqb.store import snapshots
from aqb.build import build_store
from aqb.settings import PROJECT_ROOT, Settings

REFERENCE = PROJECT_ROOT / "data" / "reference"
AGREEMENTS = PROJECT_ROOT / "data" / "agreements"
DASHBOARD = str(PROJECT_ROOT / "dashboard.py")
PAGES = {
    "pages/ueberblick.py": "Überblick",
    "pages/gebietskoerperschaft.py": "Gebietskörperschaft",
    "pages/jahresvergleich.py": "Jahresvergleich",
    "pages/massnahmenarten.py": "Maßnahmenarten",
    "pages/karte.py": "Karte",
    "pages/projekte.py": "Projekte",
    "pages/daten_quellen.py": "Daten & Quellen",
}
def statement(at) -> str:
    """The page statement (what the page's numbers rest on): the last line of the quiet block under the title,
    as shown (plain HTML, aqb.app.ui.quiet_lines)."""
    for block in at.get("html"):
        if 'data-testid="aqb-statement"' in block.value:
            return html.unescape(re.findall(r'<p class="aqb-quiet">(.*?)</p>', block.value)[-1])
    raise AssertionError("Die Seite hat keine Seitenaussage")


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    delta: str  # "" when the figure shows no change
    help: str
    arrow: str  # "↑", "↓" or "" beside the change


class _KeyFigureParser(HTMLParser):
    """Reads the key figures back from the HTML the page sent (aqb.present.key_figures), as a browser shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[dict] = []
        self._field: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        testid = attrs.get("data-testid", "")
        if testid == "aqb-kpi":
            self.figures.append({"label": "", "value": "", "delta": "", "help": "", "arrow": ""})
        elif testid.startswith("aqb-kpi-"):
            self._field = testid.removeprefix("aqb-kpi-")
        elif tag == "span" and attrs.get("aria-hidden") == "true" and self.figures:
            self._field = "arrow"
        elif tag == "button" and "aqb-help" in attrs.get("class", ""):
            self.figures[-1]["help"] = attrs.get("data-tip", "")

    def handle_endtag(self, tag):
        self._field = None

    def handle_data(self, data):
        if self._field:
            self.figures[-1][self._field] += data


def key_figures(at) -> list[KeyFigure]:
    """The key figures of the page, in order (label, value, change and explanation as shown)."""
    parser = _KeyFigureParser()
    for block in at.get("html"):
        if 'data-testid="aqb-kpis"' in block.value:
            parser.feed(block.value)
    return [KeyFigure(**f) for f in parser.figures]


_ENV = ("AQB_DEMO", "AQB_PUBLIC", "AQB_KEEP_SNAPSHOTS", "AQB_MAX_FILE_MB")


@dataclass(frozen=True)
class BuiltStore:
    data_dir: Path
    store_path: Path

    @property
    def snapshot(self) -> Path:
        target = (self.store_path.parent / self.store_path.readlink()).resolve()
        return target

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.snapshot), read_only=True)
        try:
            return con.execute(sql, params or {}).fetchall()
        finally:
            con.close()

    def value(self, sql: str, params: dict | None = None):
        return self.rows(sql, params)[0][0]


def _data_folder(root: Path) -> Path:
    shutil.copytree(REFERENCE, root / "reference")
    shutil.copytree(AGREEMENTS, root / "agreements")
    return root


def _point_env(mp: pytest.MonkeyPatch, data_dir: Path, store_path: Path) -> None:
    mp.setenv("AQB_DATA_DIR", str(data_dir))
    mp.setenv("AQB_STORE", str(store_path))
    for name in _ENV:
        mp.delenv(name, raising=False)


@pytest.fixture(scope="session")
def built_store(tmp_path_factory) -> BuiltStore:
    """The real agreement plus the seeded demo corpus (26 partners x 2019-2025), built once per session."""
    root = _data_folder(tmp_path_factory.mktemp("dashboard_store") / "data")
    with pytest.MonkeyPatch.context() as mp:
        _point_env(mp, root, root / "aqb.duckdb")
        settings = Settings.from_env()
        build_store(settings, fresh=True, with_demo=True)
        assert snapshots.current_snapshot(settings) is not None
    return BuiltStore(root, root / "aqb.duckdb")


@pytest.fixture
def store_env(built_store, monkeypatch) -> BuiltStore:
    """AQB_* point at the session store for the duration of one test."""
    _point_env(monkeypatch, built_store.data_dir, built_store.store_path)
    return built_store


@pytest.fixture
def empty_env(tmp_path, monkeypatch) -> Path:
    """A data folder with reference data but no store built yet."""
    root = tmp_path / "data"
    shutil.copytree(REFERENCE, root / "reference")
    (root / "agreements").mkdir()
    _point_env(monkeypatch, root, root / "aqb.duckdb")
    return root
