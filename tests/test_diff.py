"""`aqb diff`: two snapshots built in the test, exactly the changes made between them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from aqb.errors import AqbError
from aqb.store import diff, snapshots
from aqb.store.queries import run_query
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file

FIRST = ((1, "Berufsvorbereitung"), (3, "Jobcoach"), (3, "Interkulturelle Gruppe"))
SECOND = ((1, "Berufsvorbereitung"), (2, "Ausbildungscoaching"), (3, "Interkulturelle Gruppe"))


@pytest.fixture
def two_snapshots(settings, tmp_path):
    agreement_file(settings, "06411", 2024, 700_000, FIRST, signed=date(2024, 3, 1))
    agreement_file(settings, "06413", 2024, 900_000, FIRST, signed=date(2024, 3, 2))
    first = ingest_paths([settings.agreements_dir], settings).snapshot
    batch = tmp_path / "zweite_lieferung"
    agreement_file(settings, "06411", 2024, 750_000, SECOND, signed=date(2024, 6, 1), folder=batch)
    agreement_file(settings, "06611", 2025, 640_000, FIRST, signed=date(2025, 2, 1), folder=batch)
    agreement_file(settings, "06413", 2024, 900_000, FIRST, signed=date(2024, 3, 2), folder=batch)  # same text
    second = ingest_paths([batch], settings).snapshot
    assert first != second and snapshots.current_snapshot(settings) == second
    return first, second


def test_diff_lists_exactly_the_changes(settings, two_snapshots):
    first, second = two_snapshots
    assert diff.resolve(settings) == (first, second)
    result = diff.compare(settings, first, second)
    assert [(c.kind, c.title) for c in result.changes] == [
        ("geändert", "Darmstadt 2024"),
        ("neu", "Kassel 2025"),
    ]
    changed, added = result.changes
    assert changed.details[0].startswith("neue Fassung zv_2024_06411_2024-06-01.txt (vorher zv_2024_06411_2024-03-01.txt)")
    assert "Budget 700.000 € → 750.000 € (+50.000 €)" in changed.details
    assert "Projekte hinzugefügt: Ausbildungscoaching" in changed.details
    assert "Projekte entfallen: Jobcoach" in changed.details
    assert not [d for d in changed.details if d.startswith("Status")]
    assert added.details == ("zv_2025_06611_2025-02-01.txt, 640.000 €, 3 Projekte",)
    assert result.summary() == "1 neu, 0 entfernt, 1 geändert, 0 mit geändertem Umsetzungsstand"
    # The audit trail between the two: what the second ingest logged, nothing of the first.
    assert sorted(result.audit_entries["outcome"]) == ["ersetzt", "neu"]


def test_diff_of_a_snapshot_with_itself_is_empty(settings, two_snapshots):
    _, second = two_snapshots
    result = diff.compare(settings, second, second)
    assert result.changes == [] and result.summary() == "Keine Änderungen an Vereinbarungen oder Umsetzungsstand."


def test_cli_diff_defaults_and_names(settings, two_snapshots):
    first, second = two_snapshots
    env = {**os.environ}

    def aqb(*args):
        return subprocess.run([sys.executable, "-m", "aqb.cli", "diff", *args], capture_output=True, text=True,
                              env=env, timeout=120)

    default = aqb()
    assert default.returncode == 0, default.stderr
    lines = default.stdout.splitlines()
    assert lines[0].startswith(f"Vergleich {first.name} (Stand: ")
    assert (" MEZ) → " in lines[0] or " MESZ) → " in lines[0]) and lines[0].endswith(("MEZ)", "MESZ)"))
    assert lines[1] == "1 neu, 0 entfernt, 1 geändert, 0 mit geändertem Umsetzungsstand"
    assert lines[2].startswith("  geändert: Darmstadt 2024 – neue Fassung")
    assert lines[3] == "  neu: Kassel 2025 – zv_2025_06611_2025-02-01.txt, 640.000 €, 3 Projekte"
    assert "Protokoll dazwischen:" in lines
    by_number = aqb(str(diff.snapshot_number(first)), second.name)
    assert by_number.stdout == default.stdout
    missing = aqb("99")
    assert missing.returncode != 0
    assert missing.stderr.strip().splitlines()[-1].endswith(
        f"Snapshot '99' gibt es nicht (vorhanden: {first.name}, {second.name}).")


def test_diff_without_previous_snapshot(settings):
    agreement_file(settings, "06411", 2024, 700_000)
    ingest_paths([settings.agreements_dir], settings)
    with pytest.raises(AqbError, match="ist kein Snapshot vorhanden"):
        diff.resolve(settings)
    assert diff.latest_changes(settings) is None


def test_daten_quellen_shows_what_is_new(settings, two_snapshots):
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import DASHBOARD

    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page("pages/daten_quellen.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Was ist neu" in [h.value for h in at.header]
    first, second = two_snapshots
    caption = next(c.value for c in at.caption if c.value.startswith(first.name))
    assert caption.endswith(": 1 neu, 0 entfernt, 1 geändert, 0 mit geändertem Umsetzungsstand")
    table = next(d.value for d in at.dataframe if "Was sich geändert hat" in d.value.columns)
    assert list(zip(table["Art"], table["Gebietskörperschaft"], table["Jahr"])) == [
        ("geändert", "Darmstadt", "2024"), ("neu", "Kassel", "2025")]
    assert "Budget 700.000 € → 750.000 € (+50.000 €)" in table["Was sich geändert hat"].iloc[0]


def _briefing(settings, ags, year):
    from aqb.analysis.briefing import load_briefing
    from aqb.store import reader

    con, _ = reader.connect(settings)
    try:
        return load_briefing(con, ags, year)
    finally:
        con.close()


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _slides(data: bytes) -> list:
    import io

    from pptx import Presentation

    return list(Presentation(io.BytesIO(data)).slides)


def _title(slide) -> str:
    return next(s.text_frame.text for s in slide.shapes if s.name == "Titel")


# The versions of Darmstadt 2024 in two_snapshots, written out by hand from the fixture's documents.
DARMSTADT_VERSIONS = [
    ["1", "Erstfassung", "1.3.2024", "zv_2024_06411_2024-03-01.txt", "700.000 €", "–"],
    ["2", "neue Fassung", "1.6.2024", "zv_2024_06411_2024-06-01.txt", "750.000 €",
     "Budget 700.000 € → 750.000 € (+50.000 €); Beträge in § 4: AQB insgesamt 700.000 € → AQB insgesamt "
     "750.000 €; Projekte hinzugefügt: Ausbildungscoaching; Projekte entfallen: Jobcoach"],
]


def _squeezed(text: str) -> str:
    """Without spaces: a narrow PDF cell wraps a file name at its hyphens, and the extractor adds a space there."""
    return text.replace(" ", "")


def test_briefing_pdf_and_pptx_show_the_versions_as_a_table(settings, two_snapshots):
    from aqb.present.briefing_pdf import briefing_pdf
    from aqb.present.slides import briefing_deck

    b = _briefing(settings, "06411", 2024)
    assert list(b.versions["version_kind"]) == ["Erstfassung", "neue Fassung"]
    assert not [q for q in b.quality if "Fassung" in q.text]  # a section of its own, no longer an open point
    text = _pdf_text(briefing_pdf(b))
    assert "6 Fassungen und Änderungen 2024 Nr. Fassung Datum Datei Budget Was sich geändert hat" in text
    for row in DARMSTADT_VERSIONS:
        assert _squeezed(" ".join(row)) in _squeezed(text), row
    assert "7 Offene Datenqualitätspunkte" in text and "8 Quellen" in text
    slides = _slides(briefing_deck(b))
    versions_slide = next(s for s in slides if _title(s) == "Fassungen und Änderungen 2024")
    assert [_title(s) for s in slides].index("Fassungen und Änderungen 2024") == len(slides) - 2
    table = next(s.table for s in versions_slide.shapes if s.has_table)
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["Nr.", "Fassung", "Datum", "Datei", "Budget", "Was sich geändert hat"], *DARMSTADT_VERSIONS]
    assert b.stand_text.startswith("Stand: ") and b.stand_text.endswith(("MEZ", "MESZ"))


def test_briefing_with_only_the_original_says_so_in_one_line(settings, two_snapshots):
    from aqb.present.briefing_pdf import briefing_pdf
    from aqb.present.slides import briefing_deck

    b = _briefing(settings, "06413", 2024)  # the second delivery held the same text: nothing replaced
    assert len(b.versions) == 1
    line = "Keine weiteren Fassungen: es gilt die Erstfassung zv_2024_06413_2024-03-02.txt."
    text = _pdf_text(briefing_pdf(b))
    assert f"6 Fassungen und Änderungen 2024 {line} 7 Offene Datenqualitätspunkte" in text
    assert "Was sich geändert hat" not in text
    slides = _slides(briefing_deck(b))
    assert "Fassungen und Änderungen 2024" not in [_title(s) for s in slides]
    last = "\n".join(s.text_frame.text for s in slides[-1].shapes if s.has_text_frame)
    assert f"Fassungen 2024: {line}" in last


def test_amendment_shows_as_a_version_and_in_the_diff(settings, seed_text, tmp_path):
    from aqb.analysis import versions
    from aqb.store import reader
    from test_parser_kinds import amendment

    (settings.agreements_dir / "zv_2025_of.txt").write_text(seed_text, encoding="utf-8")
    first = ingest_paths([settings.agreements_dir], settings).snapshot
    batch = tmp_path / "aenderung"
    batch.mkdir()
    (batch / "aenderung_2025_of.txt").write_text(amendment(projects=True), encoding="utf-8")
    second = ingest_paths([batch], settings).snapshot
    con, _ = reader.connect(settings)
    try:
        rows = versions.version_rows(run_query(con, "agreement_versions", partner_ags="06413", include_demo=True))
    finally:
        con.close()
    assert list(rows["version_kind"]) == ["Erstfassung", "Änderung: 1. Änderung der Zielvereinbarung 2025"]
    assert list(rows["source_file"]) == ["zv_2025_of.txt", "aenderung_2025_of.txt"]
    assert str(rows["status_date"].iloc[1])[:10] == "2025-11-10"
    change = rows["changes"].iloc[1]
    assert change.startswith("Budget 1.011.410 € → 1.111.410 € (+100.000 €)")
    assert "Projekte hinzugefügt: Berufsvorbereitung Metall" in change
    assert "Projekte entfallen: Berufsvorbereitung Elektro, BaE Teilzeit" in change
    result = diff.compare(settings, first, second)
    assert [(c.kind, c.title) for c in result.changes] == [("geändert", "Offenbach am Main 2025")]
    assert "Budget 1.011.410 € → 1.111.410 € (+100.000 €)" in result.changes[0].details

    from aqb.present.briefing_pdf import briefing_pdf
    from aqb.present.slides import briefing_deck

    b = _briefing(settings, "06413", 2025)
    amended = ["2", "Änderung: 1. Änderung der Zielvereinbarung 2025", "10.11.2025", "aenderung_2025_of.txt",
               "1.111.410 €"]
    text = _squeezed(_pdf_text(briefing_pdf(b)))
    # the original is dated by its last signature (Offenbach, 11.8.2025), the amendment by its own date
    assert _squeezed(" ".join(["1", "Erstfassung", "11.8.2025", "zv_2025_of.txt", "1.011.410 €", "–"])) in text
    assert _squeezed(" ".join(amended) + " " + change) in text
    slide = next(s for s in _slides(briefing_deck(b)) if _title(s) == "Fassungen und Änderungen 2025")
    rows = [[c.text for c in r.cells] for r in next(s.table for s in slide.shapes if s.has_table).rows]
    assert rows[2][:5] == amended and rows[2][5] == change


def test_diff_lists_umsetzungsstand_changes(settings, seed_text):
    from briefing_fixtures import offenbach_rows, sheet
    from aqb.store.umsetzung_import import import_sheets

    (settings.agreements_dir / "zv_2025_of.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    import_sheets([("umsetzung_sept.xlsx", sheet(offenbach_rows(date(2025, 9, 30))))], settings,
                  today=date(2025, 10, 1))
    first = snapshots.current_snapshot(settings)
    rows = offenbach_rows(date(2025, 10, 31))
    rows[3][6] = 120_000          # Jobcoach: more spent
    rows[4][8] = 15               # Interkulturelle Gruppe: more participants
    import_sheets([("umsetzung_okt.xlsx", sheet(rows))], settings, today=date(2025, 11, 1))
    second = snapshots.current_snapshot(settings)
    result = diff.compare(settings, first, second)
    assert [(c.kind, c.title) for c in result.changes] == [("Umsetzungsstand", "Offenbach am Main 2025")]
    assert result.changes[0].details == (
        "Interkulturelle Gruppe: Teilnehmende 12 → 15",
        "Jobcoach: abgeflossen 101.000 € → 120.000 €",
        "Stand 31.10.2025",
    )
