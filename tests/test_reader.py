"""Reader connections: the same filtered view for every cursor; demo off and public mode at the root."""

from __future__ import annotations

import dataclasses

from aqb.store.reader import connect, switch
from aqb.store.write import ingest_paths


def _store(settings, seed_text):
    folder = settings.agreements_dir
    (folder / "real.txt").write_text(seed_text, encoding="utf-8")
    kreis = "DEMODATEN – nicht amtlich.\n" + seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach")
    (folder / "demo.txt").write_text(kreis, encoding="utf-8")
    return ingest_paths([folder], settings)


def test_views_filter_demo_and_public(settings, seed_text):
    _store(settings, seed_text)
    con, _ = connect(settings)
    assert con.cursor().execute("select partner_ags from agreements order by 1").fetchall() == [("06413",), ("06438",)]

    no_demo = dataclasses.replace(settings, demo_enabled=False)
    con, _ = connect(no_demo)
    cursor = con.cursor()
    assert cursor.execute("select partner_ags from agreements").fetchall() == [("06413",)]
    assert cursor.execute("select count(*) from projects").fetchall() == [(9,)]

    public = dataclasses.replace(settings, public_mode=True)
    con, _ = connect(public)
    cursor = con.cursor()
    # Nothing is published yet: public mode shows no agreement, no project, no log; reference data
    # stays (26 partner rows plus Hanau and the smaller Main-Kinzig-Kreis from 2026).
    assert [cursor.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("agreements", "projects", "signatures", "source_documents", "ingest_log", "partners")] == [
        0, 0, 0, 0, 0, 28
    ]


def test_switch_to_newer_snapshot(settings, seed_text):
    (settings.agreements_dir / "real.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con, first = connect(settings)
    (settings.agreements_dir / "v2.txt").write_text(
        seed_text.replace("1.011.410 Euro", "1.200.000 Euro").replace("11.8.2025", "1.9.2025"), encoding="utf-8")
    second = ingest_paths([settings.agreements_dir], settings).snapshot
    assert con.execute("select budget_cents from agreements").fetchall() == [(101141000,)]
    switch(con, second, settings)
    assert con.cursor().execute("select budget_cents from agreements").fetchall() == [(120000000,)]
    assert first != second


def test_public_mode_shows_demo_only_when_switched_on(settings, seed_text):
    _store(settings, seed_text)
    publish = settings.publications_file
    publish.write_text("source_file,published_date,url\nreal.txt,2025-09-01,https://example.org/zv\n"
                       "demo.txt,2025-09-01,https://example.org/demo\n", encoding="utf-8")
    (settings.agreements_dir / "noch_eins.txt").write_text(
        seed_text.replace("2025", "2024").replace("Arbeit, Integration, Jugend und Soziales", "Soziales und Integration"),
        encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    public = dataclasses.replace(settings, public_mode=True)
    con, _ = connect(public)
    assert con.execute("select partner_ags, agreement_year, status from agreements").fetchall() == [
        ("06413", 2025, "veroeffentlicht")
    ]
    con, _ = connect(dataclasses.replace(public, public_demo=True))
    assert con.execute("select partner_ags, is_demo from agreements order by 1").fetchall() == [
        ("06413", False), ("06438", True)
    ]
