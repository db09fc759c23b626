"""Gesprächsunterlage: figures from the store, demo marking, PDF text, batch command, every briefing query."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from aqb.analysis.briefing import load_briefing, overview_frame, partner_keys
from aqb.present.briefing_files import write_briefings
from aqb.present.briefing_pdf import briefing_pdf
from aqb.present.slides import overview_rows
from aqb.cli import main
from aqb.fmt import german_date
from aqb.store.queries import load_query, query_names, run_query
from aqb.store.write import open_reader
from aqb.store.umsetzung_import import import_sheets
from briefing_fixtures import OFFENBACH, built, built_data, offenbach_rows, sheet, store_copy  # noqa: F401

DEMO = "Demodaten — nicht amtlich"
REAL_FILE = "zielvereinbarung_2025_offenbach_am_main.txt"


@pytest.fixture
def con(built):
    connection = open_reader(built)
    yield connection
    connection.close()


def one(con, sql, params=None):
    return con.execute(sql, params or {}).fetchone()


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def test_official_briefing_uses_only_the_real_agreement(con):
    b = load_briefing(con, OFFENBACH, 2025, include_demo=False)
    status, status_date = one(con, "select status, status_date from agreements where partner_ags = $a and"
                                   " agreement_year = 2025", {"a": OFFENBACH})
    assert b.key_lines() == [
        ("Budget 2025", "1.011.410 €"),
        ("Veränderung zum Vorjahr", "keine Vereinbarung 2024"),
        ("€ je Einwohner (Stand 31.12.2019)", "7,76 €"),
        # Regression: the official briefing said "Rang 1 von 1" and compared Offenbach with its own median.
        ("Rang nach Budget", "kein Rang: nur 1 Vereinbarung im Bestand"),
        ("Rang nach € je Einwohner", "kein Rang: nur 1 Vereinbarung im Bestand"),
        ("Projekte", "9"),
        ("Status", f"{status} am {german_date(status_date)}"),
    ]
    assert not b.has_demo
    assert b.projects["project_change"].isna().all() and b.ended.empty
    assert b.implementation_totals is None  # the demo Umsetzungsstand does not count
    assert [q.text for q in b.quality] == [
        "Keine Vereinbarung 2024 im Bestand: kein Vorjahresvergleich (neu / fortgeführt / beendet) möglich.",
        "€ je Einwohner beruht auf der Einwohnerzahl zum 31.12.2019 (130.280): neuere Zahlen fehlen für mindestens "
        "einen Partner.",
        "Kein Umsetzungsstand 2025 eingelesen – die Vorlage gibt es auf der Seite „Umsetzungsstand“ des Dashboards.",
    ]
    assert [(label, median, count) for label, median, count, _ in b.peer_context] == [
        ("Median aller kreisfreien Städte", None, 1), ("Median Regierungsbezirk Darmstadt", None, 1),
        ("Median Hessen", None, 1)]
    assert not any("aqb " in q.text or "data/" in q.text for q in b.quality)  # no command line in a meeting document
    assert b.source_line("agreement") == f"Quelle: Zielvereinbarung AQB 2025, {REAL_FILE} · Stand: {german_date(status_date)}"


def test_briefing_with_demo_rows_marks_every_derived_part(con):
    b = load_briefing(con, OFFENBACH, 2025, include_demo=True)
    budget_2024, rank = one(con, """
        select (select budget_cents from agreements where partner_ags = $a and agreement_year = 2024),
               1 + (select count(*) from agreements where agreement_year = 2025 and budget_cents > 101141000)""",
                            {"a": OFFENBACH})
    lines = dict(b.key_lines())
    assert lines["Budget 2025"] == "1.011.410 €"
    assert lines["Rang nach Budget"] == f"{rank} von 26"
    change = 101_141_000 - budget_2024
    assert lines["Veränderung zum Vorjahr"].startswith(("+" if change > 0 else "−"))
    # The real budget is not demo; rank, change, history, peers and the generated Umsetzungsstand are.
    assert (b.key.is_demo, b.key_has_demo, b.history_has_demo, b.peers.has_demo, b.implementation_has_demo) == (
        False, True, True, True, True)
    assert b.has_demo
    counts = b.change_counts()
    assert counts["neu"] + counts["fortgeführt"] == 9
    assert set(b.projects["project_change"]) <= {"neu", "fortgeführt"}
    # Regression: the 9 real projects were starred as demo because the comparison year is; now only
    # their status (neu / fortgeführt, decided against the demo 2024 list) carries the mark.
    assert not b.projects["is_demo"].any() and b.projects["is_comparison_demo"].all()
    totals = b.implementation_totals
    assert (totals["approved_cents"], totals["reported_count"], totals["is_demo"]) == (101_141_000, 9, True)
    assert b.peers.label == "kreisfreie Städte im Regierungsbezirk Darmstadt"
    assert sorted(b.peers.frame["partner_ags"]) == ["06411", "06412", "06413", "06414"]


def test_peer_group_widens_when_the_region_has_too_few(con):
    b = load_briefing(con, "06611", 2025)  # Kassel: the only kreisfreie Stadt in its Regierungsbezirk
    assert b.peers.label == "alle kreisfreie Städte in Hessen"
    assert len(b.peers.frame) == 5


def test_briefing_pdf_text(con):
    b = load_briefing(con, OFFENBACH, 2025, include_demo=True)
    pages = pdf_pages(briefing_pdf(b))
    text = "\n".join(pages)
    assert len(pages) >= 2
    assert all(DEMO in page for page in pages)  # the header of every page
    for expected in [
        "Gesprächsunterlage Offenbach am Main 2025",
        "1 Kennzahlen", "2 Budget im Zeitverlauf", "3 Projekte 2025 nach Maßnahmenart", "5 Umsetzungsstand (Plan und Ist)",
        "1.011.410 €", "7,76 €",
        b.source_line("agreement"), b.source_line("history"), b.source_line("implementation"),
        "Unterzeichnet (Ministerium): Wiesbaden, 6.8.2025 – Heike Hofmann, Staatsministerin",
        "Vereinbarung: zielvereinbarung_2025_offenbach_am_main.txt (TXT, SHA-256",
        "Veröffentlicht 2020 (AQB): 1.056.700 € (exakt) – https://offenbach.de/rathaus",
        "Berufsvorbereitung Elektro",
    ]:
        assert expected in text, expected

    official = "\n".join(pdf_pages(briefing_pdf(load_briefing(con, OFFENBACH, 2025, include_demo=False))))
    assert "Demodaten" not in official and "*" not in official
    assert "Kein Umsetzungsstand 2025 eingelesen" in official


def test_briefing_without_agreement_still_renders(con):
    b = load_briefing(con, "06611", 2025, include_demo=False)
    assert b.key is None
    assert b.key_lines() == [("Vereinbarung", "Für Kassel liegt für 2025 keine amtliche Vereinbarung im Bestand vor.")]
    text = "\n".join(pdf_pages(briefing_pdf(b)))
    assert "keine amtliche Vereinbarung" in text and "Demodaten" not in text


def test_real_umsetzungsstand_shows_up_unmarked(store_copy):
    import_sheets([("herbst.xlsx", sheet(offenbach_rows()))], store_copy)
    connection = open_reader(store_copy)
    try:
        b = load_briefing(connection, OFFENBACH, 2025, include_demo=False)
    finally:
        connection.close()
    assert dict(b.key_lines())["Mittelabfluss"] == "57\u202f% (571.500,50 € von 1.011.410 €), Stand 30.9.2025"
    assert dict(b.key_lines())["Teilnehmende"] == "147 von 201 geplanten Plätzen (73\u202f%)"
    assert b.source_line("implementation") == "Quelle: Umsetzungsstand herbst.xlsx · Stand: 30.9.2025"
    assert not b.has_demo


def test_batch_writes_one_file_per_partner_and_an_overview(built, tmp_path, capsys):
    out = tmp_path / "unterlagen"
    assert main(["briefing", "--year", "2025", "--all", "--format", "pptx", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 27 and "uebersicht_2025.pptx" in names
    assert "gespraechsunterlage_2025_06413_offenbach_am_main.pptx" in names
    assert "gespraechsunterlage_2025_06440_wetteraukreis.pptx" in names
    assert capsys.readouterr().out.endswith("27 Dateien für 26 Gebietskörperschaft(en) geschrieben.\n")

    one_out = tmp_path / "eine"
    assert main(["briefing", "--year", "2025", "--partner", "Offenbach am Main", "--format", "pdf", "--official",
                 "--out", str(one_out)]) == 0
    assert [p.name for p in one_out.iterdir()] == ["gespraechsunterlage_2025_06413_offenbach_am_main.pdf"]
    assert main(["briefing", "--year", "2025", "--partner", "Mainz", "--out", str(one_out)]) == 2
    assert capsys.readouterr().err == (
        "Fehler: Gebietskörperschaft „Mainz“ unbekannt (AGS oder Name, z. B. 06413 oder „Offenbach am Main“).\n")


def test_overview_pdf_lists_every_partner(con, tmp_path):
    files = write_briefings(con, 2025, partner_keys(con, 2025)[:3], tmp_path, formats=("pdf",), with_overview=True)
    assert [f.name for f in files][-1] == "uebersicht_2025.pdf"
    text = "\n".join(pdf_pages(files[-1].read_bytes()))
    assert "Gesprächsunterlagen 2025 – Übersicht" in text and DEMO in text
    assert "Bergstraße *" in text


def test_real_agreement_is_not_starred_because_its_comparison_is(con):
    """Regression: the overview starred Offenbach's row and the briefing its 9 real projects (demo 2024 list)."""
    b = load_briefing(con, OFFENBACH, 2025, include_demo=True)
    row = overview_frame([b]).iloc[0]
    assert (row["is_demo"], row["change_is_demo"], row["rank_is_demo"], row["projects_is_demo"]) == (
        False, True, True, True)
    cells = overview_rows(overview_frame([b]))[0]
    assert cells[0] == "Offenbach am Main" and cells[1] == "1.011.410 €"  # real values unmarked
    assert cells[2].endswith(" *") and cells[4].endswith(" *")  # change and rank rest on demo agreements
    text = "\n".join(pdf_pages(briefing_pdf(b)))
    # project table: the real name unmarked, its status (decided against the demo 2024 list) marked
    assert "Ausbildungsvorbereitung\nBerufsvorbereitung Elektro\nfortgeführt *" in text


MY_QUERIES = [n for n in query_names() if n.startswith(("briefing_", "presentation_", "implementation_", "umsetzung_"))]
PARAMS = {"partner_ags": OFFENBACH, "agreement_year": 2025, "year_from": 2019, "year_to": 2025}


@pytest.mark.parametrize("name", MY_QUERIES)
@pytest.mark.parametrize("include_demo", [True, False])
def test_every_briefing_query_runs_and_honours_official_only(con, name, include_demo):
    _, needed = load_query(name)
    params = {k: (include_demo if k == "include_demo" else PARAMS[k]) for k in needed}
    frame = run_query(con, name, **params)
    assert len(frame.columns) > 0
    if not include_demo and "include_demo" in needed and "is_demo" in frame.columns:
        assert not frame["is_demo"].fillna(False).astype(bool).any(), name


def test_every_character_of_the_briefing_pdf_has_a_glyph_in_its_font(con, monkeypatch):
    # Text extraction maps a missing glyph back to its character, so the check is made on what reportlab is given:
    # a character the font lacks (e.g. aqb.fmt's narrow no-break space before "%") would print as a box.
    from reportlab.pdfbase import pdfmetrics

    from aqb.present import briefing_pdf as module

    texts: list[str] = []
    paragraph, table = module.Paragraph, module.Table

    def recording_paragraph(text, *args, **kwargs):
        texts.append(text)
        return paragraph(text, *args, **kwargs)

    def recording_table(rows, *args, **kwargs):
        texts.extend(c for row in rows for c in row if isinstance(c, str))
        return table(rows, *args, **kwargs)

    monkeypatch.setattr(module, "Paragraph", recording_paragraph)
    monkeypatch.setattr(module, "Table", recording_table)
    b = load_briefing(con, OFFENBACH, 2025, include_demo=True)
    assert "%" in "\n".join(pdf_pages(briefing_pdf(b)))
    assert any("%" in t for t in texts)  # the Mittelabfluss percentages were among the recorded texts
    glyphs = pdfmetrics.getFont(module.FONT).face.charToGlyph
    assert sorted({c for t in texts for c in t if c not in "\n\t" and ord(c) not in glyphs}) == []
