"""The built-in data after a first start: real agreement, published amounts, flagged demo corpus."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from aqb.build import build_store
from aqb.store.checks import run_checks
from aqb.ingest.parser import parse_file
from aqb.settings import PROJECT_ROOT, Settings
from aqb.store.write import open_reader
from conftest import REFERENCE, SEED


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A first start on a copy of the repo's data/ (reference, real agreement; demo generated)."""
    root = tmp_path_factory.mktemp("first_start") / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "reference", root / "reference")
    shutil.copytree(PROJECT_ROOT / "data" / "agreements", root / "agreements")
    mp = pytest.MonkeyPatch()
    mp.setenv("AQB_DATA_DIR", str(root))
    mp.setenv("AQB_STORE", str(root / "aqb.duckdb"))
    settings = Settings.from_env()
    report = build_store(settings)
    yield settings, report
    mp.undo()


def query(settings, sql):
    con = open_reader(settings)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_first_start_store(built):
    settings, report = built
    assert report.count("abgelehnt") == 0
    # 26 partner rows, plus Hanau and the smaller Main-Kinzig-Kreis from 2026
    assert query(settings, "select count(*) from partners") == [(28,)]
    assert query(settings, "select agreement_year, count(*) from agreements group by 1 order by 1") == [
        (year, 26) for year in range(2019, 2026)
    ]
    assert run_checks(open_reader(settings)) == {}


def test_offenbach_2025_is_the_real_agreement(built):
    settings, _ = built
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert query(settings, "select budget_cents, is_demo, provenance, source_file, source_sha256,"
                           " (select count(*) from projects p where p.agreement_id = a.agreement_id)"
                           " from agreements a where partner_ags = '06413' and agreement_year = 2025") == [
        (101141000, False, "vereinbarung", SEED.name, sha, 9)
    ]
    # Its demo twin was skipped, not stored anywhere.
    assert query(settings, "select count(*) from agreements_history") == [(0,)]


def test_every_other_row_is_flagged_demo(built):
    settings, _ = built
    assert query(settings, "select provenance, is_demo, count(*) from agreements group by all order by 1") == [
        ("demo", True, 181), ("vereinbarung", False, 1)
    ]
    assert query(settings, "select count(*) from agreements where is_demo and source_file not like '%_demo.%'") == [(0,)]


def test_published_amounts_with_sources(built):
    settings, _ = built
    expected = (REFERENCE / "published_amounts.csv").read_text(encoding="utf-8").strip().count("\n")
    assert query(settings, "select count(*), count(distinct source_url) > 10, bool_and(source_url like 'http%')"
                           " from published_amounts") == [(expected, True, True)]
    # Exact published AQB figures are honoured by the demo corpus, never contradicted.
    assert query(settings, """
        select p.agreement_year, p.partner_ags, p.amount_cents, a.budget_cents from published_amounts p
        join agreements a on a.partner_ags = p.partner_ags and a.agreement_year = p.agreement_year
        where p.is_aqb and p.amount_precision = 'exakt' order by 1, 2""") == [
        (2020, "06413", 105670000, 105670000), (2020, "06437", 45270000, 45270000),
        (2024, "06440", 114030000, 114030000),
    ]


def test_statewide_sums_plausible(built):
    settings, _ = built
    sums = query(settings, "select agreement_year, sum(budget_cents) // 100 from agreements group by 1 order by 1")
    assert all(25_000_000 <= total <= 30_000_000 for _, total in sums)


def test_demo_documents_round_trip(built):
    """Every generated document (txt, pdf, docx) parses back to exactly what the generator meant."""
    settings, _ = built
    manifest = json.loads((settings.demo_dir / "manifest.json").read_text(encoding="utf-8"))
    formats = set()
    for name, intended in manifest.items():
        agreement = parse_file(settings.demo_dir / name, settings.reference_dir, settings.max_file_bytes)
        formats.add(agreement.file_format)
        assert {
            "year": agreement.agreement_year,
            "ags": agreement.partner_ags,
            "budget_cents": agreement.budget_cents,
            "ministry_name": agreement.ministry_name,
            "projects": [[p.measure_type_code, p.name] for p in agreement.projects],
            "signatures": [
                {"side": s.side, "place": s.place, "date": s.signed_date.isoformat(), "name": s.name, "role": s.role}
                for s in agreement.signatures
            ],
            "is_demo": agreement.is_demo,
        } == {k: intended[k] for k in ("year", "ags", "budget_cents", "ministry_name", "projects", "signatures", "is_demo")}, name
    assert formats == {"txt", "pdf", "docx"}


def test_rebuild_is_identical(built, tmp_path, monkeypatch):
    settings, _ = built
    root = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "reference", root / "reference")
    shutil.copytree(PROJECT_ROOT / "data" / "agreements", root / "agreements")
    monkeypatch.setenv("AQB_DATA_DIR", str(root))
    monkeypatch.setenv("AQB_STORE", str(root / "aqb.duckdb"))
    other = Settings.from_env()
    build_store(other)
    ids = "select agreement_id, budget_cents from agreements order by 1"
    assert query(other, ids) == query(settings, ids)
    assert (root / "demo" / "manifest.json").read_bytes() == (settings.demo_dir / "manifest.json").read_bytes()


def test_demo_layer_can_be_left_out(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "reference", root / "reference")
    shutil.copytree(PROJECT_ROOT / "data" / "agreements", root / "agreements")
    monkeypatch.setenv("AQB_DATA_DIR", str(root))
    monkeypatch.setenv("AQB_STORE", str(root / "aqb.duckdb"))
    monkeypatch.setenv("AQB_DEMO", "0")
    settings = Settings.from_env()
    build_store(settings, with_demo=settings.demo_enabled)
    assert query(settings, "select partner_ags, agreement_year, is_demo from agreements") == [("06413", 2025, False)]
    assert not (root / "demo").exists()
