"""No store lost: deleted link, truncated or corrupt snapshot, full disk, one snapshot per write (issue 10, 2, 9, 10, 12)."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from aqb.build import build_store
from aqb.errors import StoreError
from aqb.settings import PROJECT_ROOT
from aqb.store import reader, snapshots
from aqb.store.upload import confirm, review_uploads
from aqb.store.write import ingest_paths, open_reader
from briefing_fixtures import built_data, offenbach_rows, sheet, store_copy  # noqa: F401


def _three_snapshots(settings, seed_text):
    folder = settings.agreements_dir
    (folder / "a.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([folder], settings)
    (folder / "b.txt").write_text(seed_text.replace("2025", "2024"), encoding="utf-8")
    ingest_paths([folder], settings)
    (folder / "c.txt").write_text(seed_text.replace("2025", "2023"), encoding="utf-8")
    third = ingest_paths([folder], settings).snapshot
    assert third.name == "aqb-000003.duckdb"
    return third


def _agreements(settings) -> int:
    con = open_reader(settings)
    try:
        return con.execute("select count(*) from agreements").fetchone()[0]
    finally:
        con.close()


def test_deleted_link_does_not_lose_the_store(settings, seed_text):
    third = _three_snapshots(settings, seed_text)
    settings.store_path.unlink()
    current = snapshots.resolve(settings)
    assert current.snapshot == third
    assert current.notice == f"Hinweis: die Verknüpfung aqb.duckdb fehlt – es gilt der letzte lesbare Stand {third.name}."
    (settings.agreements_dir / "d.txt").write_text(seed_text.replace("2025", "2022"), encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert _agreements(settings) == 4  # built on the three, not on an empty store
    assert [p.name for p in snapshots.list_snapshots(settings)] == [f"aqb-00000{n}.duckdb" for n in range(1, 5)]
    assert snapshots.rollback(settings) == (report.snapshot, third)


def test_deleted_link_after_rollback_keeps_the_rolled_back_state(settings, seed_text):
    third = _three_snapshots(settings, seed_text)
    _old, second = snapshots.rollback(settings)
    settings.store_path.unlink()
    assert snapshots.current_snapshot(settings) == second != third  # the index remembers the rollback


def test_truncated_snapshot_falls_back_to_the_last_readable_one(settings, seed_text):
    third = _three_snapshots(settings, seed_text)
    second = snapshots.list_snapshots(settings)[-2]
    with open(third, "r+b") as handle:
        handle.truncate(third.stat().st_size // 2)
    current = snapshots.resolve(settings)
    assert current.snapshot == second
    assert current.notice.startswith(f"Hinweis: {third.name} ist beschädigt (Größe ")
    assert current.notice.endswith(f"es gilt der letzte lesbare Stand {second.name}.")
    assert str(settings.data_dir) not in current.notice
    con, used = reader.connect(settings)
    assert used == second and con.execute("select count(*) from agreements").fetchone() == (2,)


def test_garbage_snapshot_of_the_right_size_is_skipped_by_readers(settings, seed_text):
    third = _three_snapshots(settings, seed_text)
    size = third.stat().st_size
    with open(third, "r+b") as handle:
        handle.seek(4096)
        handle.write(os.urandom(size - 4096))
    con = open_reader(settings)
    try:
        assert con.execute("select count(*) from agreements").fetchone() == (2,)
    finally:
        con.close()


def test_no_write_starts_from_an_empty_store_unless_fresh(settings, seed_text):
    _three_snapshots(settings, seed_text)
    for snap in snapshots.list_snapshots(settings):
        snap.write_bytes(b"kaputt")
    with pytest.raises(StoreError, match=r"^Kein lesbarer Snapshot im Bestand .*`aqb build --fresh` baut ihn neu\.$"):
        ingest_paths([settings.agreements_dir], settings)
    assert len(snapshots.list_snapshots(settings)) == 3
    build_store(settings, fresh=True, with_demo=False)
    assert _agreements(settings) == 3


def test_a_build_publishes_exactly_one_snapshot(store_copy):  # noqa: F811
    (store_copy.data_dir / "umsetzung").mkdir()
    (store_copy.data_dir / "umsetzung" / "herbst.xlsx").write_bytes(sheet(offenbach_rows()))
    seed = (store_copy.agreements_dir / "zielvereinbarung_2025_offenbach_am_main.txt").read_text(encoding="utf-8")
    (store_copy.agreements_dir / "zv_2024.txt").write_text(seed.replace("2025", "2024"), encoding="utf-8")
    before = snapshots.list_snapshots(store_copy)
    report = build_store(store_copy, with_demo=True)
    after = snapshots.list_snapshots(store_copy)
    assert after[len(before) - len(after) - 1:] == [before[-1], report.snapshot] or len(after) == len(before) + 1
    assert report.snapshot.name == f"aqb-{int(before[-1].name[4:10]) + 1:06d}.duckdb"
    con = duckdb.connect(str(report.snapshot), read_only=True)
    assert con.execute("select count(*) from agreements where agreement_year = 2024 and partner_ags = '06413'"
                       " and not is_demo").fetchone() == (1,)
    assert con.execute("select count(*) from implementation_status where source_file = 'herbst.xlsx'").fetchone() == (9,)
    snapshots.rollback(store_copy)  # straight back to the state before the build, not half of it
    assert snapshots.current_snapshot(store_copy) == before[-1]


def test_staff_uploads_survive_a_fresh_rebuild(settings, seed_text):
    build_store(settings, fresh=True, with_demo=False)
    items = review_uploads([("hochgeladen.txt", seed_text.encode())], settings, timeout_s=120)
    confirm(items, "anna", settings)
    assert (settings.data_dir / "inbox").is_dir()
    build_store(settings, fresh=True, with_demo=False)
    con = open_reader(settings)
    try:
        assert con.execute("select source_file from agreements").fetchall() == [("hochgeladen.txt",)]
    finally:
        con.close()


_FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk: write() fails with EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
from aqb.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("extra", [-4096, 200_000], ids=["copy fails", "checkpoint fails"])
def test_full_disk_is_one_german_line_and_leaves_nothing_behind(settings, seed_text, extra):
    (settings.agreements_dir / "a.txt").write_text(seed_text, encoding="utf-8")
    first = ingest_paths([settings.agreements_dir], settings).snapshot
    (settings.agreements_dir / "b.txt").write_text(seed_text.replace("2025", "2024"), encoding="utf-8")
    limit = first.stat().st_size + extra
    done = subprocess.run([sys.executable, "-c", _FULL_DISK.format(limit=limit), "ingest", str(settings.agreements_dir)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, env=os.environ, timeout=300)
    assert done.returncode == 2, done.stderr
    # The last line is the user's; the operator's detail (paths, DuckDB's text) is logged above it.
    assert done.stderr.splitlines()[-1] == (
        "Fehler: Bestand nicht geändert: Kein Speicherplatz mehr auf dem Datenträger des Bestands – bitte Platz "
        "schaffen und erneut versuchen."), done.stderr
    assert "Traceback" not in done.stderr
    assert not list(settings.snapshot_dir.glob("*.tmp*"))
    assert snapshots.current_snapshot(settings) == first and _agreements(settings) == 1


def test_corrupt_store_shows_no_server_path_in_public_mode(settings, seed_text, monkeypatch):
    third = _three_snapshots(settings, seed_text)
    for snap in snapshots.list_snapshots(settings):
        with open(snap, "r+b") as handle:
            handle.truncate(snap.stat().st_size // 2)
    monkeypatch.setenv("AQB_PUBLIC", "1")
    at = AppTest.from_file(str(PROJECT_ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    texts = [e.value for kind in ("error", "warning", "info", "markdown", "caption") for e in getattr(at, kind)]
    assert texts and not [t for t in texts if str(settings.data_dir) in str(t) or "/tmp" in str(t)]
    assert any(str(t).startswith("Kein lesbarer Snapshot im Bestand (") for t in texts), texts
    assert third.name in " ".join(map(str, texts))
