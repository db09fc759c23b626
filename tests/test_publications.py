"""Agreement status: entwurf and unterzeichnet from the document, veroeffentlicht from the sidecar CSV."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from aqb.store import snapshots
from aqb.build import build_store
from aqb.errors import AqbError
from aqb.store.publications import Publication, load_publications, save_publication
from aqb.settings import PROJECT_ROOT
from aqb.store.write import ingest_paths, open_reader

HEADER = "source_file,published_date,url\n"
URL = "https://soziales.hessen.de/zv-2025-offenbach.pdf"


def rows(settings, sql):
    con = open_reader(settings)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def status(settings):
    return rows(settings, "select source_file, status, status_date::text from agreements order by 1")


def aqb(*args):
    return subprocess.run([sys.executable, "-m", "aqb.cli", *map(str, args)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


@pytest.fixture
def signed(settings, seed_text):
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    (settings.agreements_dir / "entwurf.txt").write_text(
        # Another partner throughout (title, § 4, § 5), since a title that disagrees with § 4 is refused.
        seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach")
        .replace("die Stadt Offenbach am Main", "der Kreis Offenbach")
        .replace("Stadt Offenbach am Main", "Kreis Offenbach").replace("11.8.2025", ""),
        encoding="utf-8")
    build_store(settings, with_demo=False)
    return settings


def test_real_data_lists_no_invented_publication():
    path = PROJECT_ROOT / "data" / "agreements" / "veroeffentlichungen.csv"
    assert path.read_text(encoding="utf-8") == HEADER
    assert load_publications(path) == {}


def test_status_from_the_document(signed):
    assert status(signed) == [("entwurf.txt", "entwurf", None), ("zv.txt", "unterzeichnet", "2025-08-11")]


def test_editing_the_csv_and_building_updates_status_without_reparsing(signed):
    before = snapshots.current_snapshot(signed)
    signed.publications_file.write_text(HEADER + f"zv.txt,2025-09-01,{URL}\n", encoding="utf-8")
    result = aqb("build", "--no-demo")
    assert result.returncode == 0, result.stderr
    assert f"status geändert  zv.txt: Offenbach am Main 2025: Status veroeffentlicht am 1.9.2025 ({URL})." in result.stdout
    assert status(signed) == [("entwurf.txt", "entwurf", None), ("zv.txt", "veroeffentlicht", "2025-09-01")]
    assert rows(signed, "select actor, source_file, outcome, message from ingest_log where outcome = 'status geändert'") == [
        ("build", "zv.txt", "status geändert", f"Offenbach am Main 2025: Status veroeffentlicht am 1.9.2025 ({URL}).")
    ]
    assert snapshots.current_snapshot(signed) != before
    # Building again changes nothing: no new snapshot.
    again = snapshots.current_snapshot(signed)
    build_store(signed, with_demo=False)
    assert snapshots.current_snapshot(signed) == again
    # Taking the row out falls back to the signed status read from the signatures.
    signed.publications_file.write_text(HEADER, encoding="utf-8")
    build_store(signed, with_demo=False)
    assert status(signed) == [("entwurf.txt", "entwurf", None), ("zv.txt", "unterzeichnet", "2025-08-11")]


def test_a_listed_document_is_published_from_its_first_ingest(settings, seed_text, tmp_path):
    save_publication(settings.publications_file, "zv.txt", date(2025, 9, 1))
    folder = tmp_path / "neu"
    folder.mkdir()
    (folder / "zv.txt").write_text(seed_text, encoding="utf-8")
    report = ingest_paths([folder], settings)
    assert [o.outcome for o in report.outcomes] == ["neu"]
    assert status(settings) == [("zv.txt", "veroeffentlicht", "2025-09-01")]


def test_aqb_publish(signed):
    result = aqb("publish", "zv.txt", "--date", "2025-09-01", "--url", URL)
    assert result.returncode == 0, result.stderr
    assert signed.publications_file.read_text(encoding="utf-8") == HEADER + f"zv.txt,2025-09-01,{URL}\n"
    assert status(signed)[1] == ("zv.txt", "veroeffentlicht", "2025-09-01")
    # Publishing again with another date updates the row instead of adding one.
    assert aqb("publish", "zv.txt", "--date", "2025-09-02").returncode == 0
    assert signed.publications_file.read_text(encoding="utf-8") == HEADER + "zv.txt,2025-09-02,\n"
    assert status(signed)[1] == ("zv.txt", "veroeffentlicht", "2025-09-02")


@pytest.mark.parametrize(("args", "message"), [
    (("fehlt.txt", "--date", "2025-09-01"),
     "Fehler: fehlt.txt ist keine aktuelle Vereinbarung im Bestand (`aqb list` zeigt sie).\n"),
    (("entwurf.txt", "--date", "2025-09-01"),
     "Fehler: entwurf.txt ist ein Entwurf (nicht beidseitig unterzeichnet) und wird nicht veröffentlicht.\n"),
    (("zv.txt", "--date", "1.9.2025"), "Fehler: --date '1.9.2025' ist kein Datum (JJJJ-MM-TT).\n"),
    (("zv.txt", "--date", "2025-09-01", "--url", "javascript:alert(1)"),
     "Fehler: Veröffentlichung: url muss mit https:// oder http:// beginnen.\n"),
])
def test_aqb_publish_refusals_leave_csv_and_store_alone(signed, args, message):
    before = snapshots.current_snapshot(signed)
    result = aqb("publish", *args)
    assert (result.returncode, result.stderr) == (2, message)
    assert not signed.publications_file.exists()
    assert snapshots.current_snapshot(signed) == before


@pytest.mark.parametrize(("content", "message"), [
    ("datei,datum\n", "veroeffentlichungen.csv: Kopfzeile muss „source_file,published_date,url“ sein."),
    (HEADER + "zv.txt,1.9.2025,\n",
     "veroeffentlichungen.csv, Zeile 2: published_date „1.9.2025“ ist kein Datum (JJJJ-MM-TT)."),
    (HEADER + "zv.txt,2025-09-01,ftp://x\n",
     "veroeffentlichungen.csv, Zeile 2: url muss mit https:// oder http:// beginnen."),
    (HEADER + ",2025-09-01,\n", "veroeffentlichungen.csv, Zeile 2: source_file fehlt."),
    (HEADER + "zv.txt,2025-09-01,\n\nzv.txt,2025-09-02,\n", "veroeffentlichungen.csv, Zeile 4: zv.txt steht doppelt."),
])
def test_bad_csv_rows_are_named_and_nothing_is_written(signed, content, message):
    before = snapshots.current_snapshot(signed)
    signed.publications_file.write_text(content, encoding="utf-8")
    with pytest.raises(AqbError) as caught:
        build_store(signed, with_demo=False)
    assert str(caught.value) == message
    assert snapshots.current_snapshot(signed) == before
    assert not list(signed.snapshot_dir.glob("*.tmp"))


def test_load_publications(tmp_path):
    path = tmp_path / "veroeffentlichungen.csv"
    assert load_publications(path) == {}
    path.write_text(HEADER + f"a.pdf,2025-09-01,{URL}\n\nb.docx,2024-10-02,\n", encoding="utf-8")
    assert load_publications(path) == {
        "a.pdf": Publication("a.pdf", date(2025, 9, 1), URL),
        "b.docx": Publication("b.docx", date(2024, 10, 2), ""),
    }
