"""Store: exact rows, idempotent re-ingest, replacement with history, demo precedence, rollback."""

from __future__ import annotations

import duckdb
import pytest

from aqb.store import snapshots
from aqb.store.checks import run_checks
from aqb.errors import StoreError
from aqb.store.write import ingest_paths, open_reader


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(settings, sql, params=None):
    con = open_reader(settings)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def amended(seed_text: str, budget: str = "1.050.000 Euro", date: str = "20.9.2025") -> str:
    return seed_text.replace("1.011.410 Euro", budget).replace("11.8.2025", date)


def test_ingest_real_agreement_rows(settings, seed_text):
    path = write(settings.agreements_dir, "zv_2025_of.txt", seed_text)
    report = ingest_paths([settings.agreements_dir], settings)
    assert [(o.file_name, o.outcome) for o in report.outcomes] == [("zv_2025_of.txt", "neu")]
    assert rows(settings, "select partner_ags, agreement_year, budget_cents, status, status_date::text, provenance,"
                          " is_demo, source_file, ministry_name from agreements") == [
        ("06413", 2025, 101141000, "unterzeichnet", "2025-08-11", "vereinbarung", False, "zv_2025_of.txt",
         "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales")
    ]
    assert rows(settings, "select count(*), min(project_position), max(project_position) from projects") == [(9, 1, 9)]
    assert rows(settings, "select side, signed_place, signed_date::text, signer_name, signer_role from signatures"
                          " order by side") == [
        ("ministry", "Wiesbaden", "2025-08-06", "Heike Hofmann", "Staatsministerin"),
        ("partner", "Offenbach am Main", "2025-08-11", "Martin Wilhelm", "Stadtrat/Stadtkämmerer"),
    ]
    assert rows(settings, "select field_name from extracted_values order by 1") == [
        ("budget",), ("ministry",), ("partner",), ("year",)
    ]
    assert rows(settings, "select content from source_documents") == [(path.read_bytes(),)]
    # 26 partners, plus Hanau and the smaller Main-Kinzig-Kreis from 2026 (one more row each)
    assert rows(settings, "select count(*) from partners") == [(28,)]
    assert rows(settings, "select count(*) from published_amounts where source_url like 'http%'") == [(32,)]
    assert run_checks(open_reader(settings)) == {}


def test_same_file_twice_changes_nothing(settings, seed_text):
    write(settings.agreements_dir, "zv.txt", seed_text)
    first = ingest_paths([settings.agreements_dir], settings)
    second = ingest_paths([settings.agreements_dir], settings)
    assert [o.outcome for o in second.outcomes] == ["unverändert"]
    assert second.snapshot == first.snapshot
    assert [p.name for p in snapshots.list_snapshots(settings)] == ["aqb-000001.duckdb"]


def test_new_version_replaces_and_keeps_history(settings, seed_text):
    write(settings.agreements_dir, "zv.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    write(settings.agreements_dir, "zv_aenderung.txt", amended(seed_text))
    report = ingest_paths([settings.agreements_dir], settings)
    assert sorted((o.file_name, o.outcome) for o in report.outcomes) == [
        ("zv.txt", "unverändert"), ("zv_aenderung.txt", "ersetzt")
    ]
    assert rows(settings, "select budget_cents, source_file from agreements") == [(105000000, "zv_aenderung.txt")]
    assert rows(settings, "select budget_cents, source_file from agreements_history") == [(101141000, "zv.txt")]
    assert rows(settings, "select count(*) from projects") == [(18,)]  # both versions keep their projects
    # Re-ingesting the folder (original and amendment) is idempotent.
    again = ingest_paths([settings.agreements_dir], settings)
    assert sorted(o.outcome for o in again.outcomes) == ["unverändert", "unverändert"]


def test_later_signed_version_wins_within_one_batch(settings, seed_text):
    # File names sort the other way round: signing date decides, not file order.
    write(settings.agreements_dir, "a_aenderung.txt", amended(seed_text))
    write(settings.agreements_dir, "b_original.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    assert rows(settings, "select source_file from agreements") == [("a_aenderung.txt",)]
    assert rows(settings, "select source_file, replaced_by is not null from agreements_history") == [
        ("b_original.txt", True)
    ]


def test_demo_never_replaces_real_but_real_replaces_demo(settings, seed_text):
    demo_text = "DEMODATEN – nicht amtlich.\n" + amended(seed_text, budget="999.900 Euro")
    write(settings.agreements_dir, "real.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    demo_dir = settings.data_dir / "demo"
    demo_dir.mkdir()
    write(demo_dir, "demo.txt", demo_text)
    report = ingest_paths([demo_dir], settings)
    assert [(o.outcome, o.message) for o in report.outcomes] == [
        ("übersprungen", "Offenbach am Main 2025: amtliche Vereinbarung vorhanden, Demodaten nicht übernommen.")
    ]
    assert rows(settings, "select budget_cents, is_demo from agreements") == [(101141000, False)]

    # The other way round: a real agreement arriving later replaces the demo row.
    other = settings.data_dir / "other"
    other.mkdir()
    kreis_demo = "DEMODATEN – nicht amtlich.\n" + seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach")
    write(other, "kreis_demo.txt", kreis_demo)
    ingest_paths([other], settings)
    write(other, "kreis_real.txt", seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach"))
    report = ingest_paths([other / "kreis_real.txt"], settings)
    assert [o.outcome for o in report.outcomes] == ["ersetzt"]
    assert rows(settings, "select partner_ags, is_demo, provenance from agreements order by 1") == [
        ("06413", False, "vereinbarung"), ("06438", False, "vereinbarung")
    ]


def test_valid_files_land_when_others_are_refused(settings, seed_text):
    write(settings.agreements_dir, "gut.txt", seed_text)
    write(settings.agreements_dir, "mainz.txt", seed_text.replace("der Stadt Offenbach am Main", "der Stadt Mainz"))
    write(settings.agreements_dir, "leer.txt", "")
    report = ingest_paths([settings.agreements_dir], settings)
    assert sorted((o.file_name, o.outcome, o.message) for o in report.outcomes) == [
        ("gut.txt", "neu", "Offenbach am Main 2025: 1.011.410 €, 9 Projekte."),
        ("leer.txt", "abgelehnt", "Datei ist leer."),
        ("mainz.txt", "abgelehnt",
         "Vertragspartner „der Stadt Mainz“ ist keine der 26 hessischen Gebietskörperschaften des AQB."),
    ]
    assert rows(settings, "select count(*) from agreements") == [(1,)]
    assert rows(settings, "select source_file, outcome from ingest_log order by 1") == [
        ("gut.txt", "neu"), ("leer.txt", "abgelehnt"), ("mainz.txt", "abgelehnt")
    ]


def test_rollback_and_snapshot_pruning(settings, seed_text, monkeypatch):
    write(settings.agreements_dir, "zv.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    for i in range(6):
        write(settings.agreements_dir, f"v{i}.txt", amended(seed_text, budget=f"1.0{i}0.000 Euro", date=f"{20 + i}.9.2025"))
        ingest_paths([settings.agreements_dir / f"v{i}.txt"], settings)
    assert [p.name for p in snapshots.list_snapshots(settings)] == [f"aqb-00000{n}.duckdb" for n in range(3, 8)]
    assert rows(settings, "select budget_cents from agreements") == [(105000000,)]
    old, new = snapshots.rollback(settings)
    assert (old.name, new.name) == ("aqb-000007.duckdb", "aqb-000006.duckdb")
    assert rows(settings, "select budget_cents from agreements") == [(104000000,)]


def test_rollback_without_store(settings):
    with pytest.raises(StoreError, match="Kein Bestand vorhanden"):
        snapshots.rollback(settings)


def test_readers_keep_their_snapshot_while_a_writer_publishes(settings, seed_text):
    write(settings.agreements_dir, "zv.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    reader = open_reader(settings)
    write(settings.agreements_dir, "neu.txt", amended(seed_text))
    ingest_paths([settings.agreements_dir], settings)
    assert reader.execute("select budget_cents from agreements").fetchall() == [(101141000,)]
    assert rows(settings, "select budget_cents from agreements") == [(105000000,)]
    reader.close()


def test_published_snapshots_are_never_written_again(settings, seed_text):
    write(settings.agreements_dir, "zv.txt", seed_text)
    first = ingest_paths([settings.agreements_dir], settings).snapshot
    before = first.read_bytes()
    write(settings.agreements_dir, "neu.txt", amended(seed_text))
    ingest_paths([settings.agreements_dir], settings)
    assert first.read_bytes() == before
    con = duckdb.connect(str(first), read_only=True)
    assert con.execute("select count(*) from agreements").fetchone() == (1,)
    con.close()


def test_audit_file_survives_rollback(settings, seed_text):
    from aqb.store import audit

    write(settings.agreements_dir, "zv.txt", seed_text)
    ingest_paths([settings.agreements_dir], settings)
    write(settings.agreements_dir, "neu.txt", amended(seed_text))
    ingest_paths([settings.agreements_dir / "neu.txt"], settings, actor="anna")
    snapshots.rollback(settings, actor="bernd")
    log = audit.read(settings)
    assert log[["actor", "source_file", "outcome", "snapshot"]].values.tolist() == [
        ["bernd", "aqb-000002.duckdb", "rollback", "aqb-000001.duckdb"],
        ["anna", "neu.txt", "ersetzt", "aqb-000002.duckdb"],
        ["cli", "zv.txt", "neu", "aqb-000001.duckdb"],
    ]
    # The snapshot's own ingest_log is rewound with it; the audit file is not.
    assert rows(settings, "select source_file from ingest_log") == [("zv.txt",)]
