"""Umsetzungsstand: template, all-or-nothing import with German row errors, replacement, demo rules."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from aqb.store import snapshots
from aqb.cli import main
from aqb.store.write import open_reader
from aqb.ingest.umsetzung_sheet import COLUMNS, SheetRefused, _cents
from aqb.store.checks import run_status_checks
from aqb.store.umsetzung_import import demo_records, import_file, import_sheets
from aqb.build import refresh_from_data
from aqb.present.umsetzung_template import template_bytes
from briefing_fixtures import (OFFENBACH, OFFENBACH_ROWS, built, built_data, offenbach_rows,  # noqa: F401
                               sheet, store_copy)


def rows(settings, sql, params=None):
    con = open_reader(settings)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


STATUS_SQL = ("select project_name, approved_cents, spent_cents, planned_places, participants, as_of_date::text,"
              " provenance, is_demo, source_file from implementation_status"
              " where partner_ags = $ags and agreement_year = 2025 order by project_name")


def test_template_lists_the_projects_with_instructions(built):
    con = open_reader(built)
    try:
        data = template_bytes(con, 2025, partner_ags=OFFENBACH)
    finally:
        con.close()
    wb = openpyxl.load_workbook(BytesIO(data))
    assert wb.sheetnames == ["Anleitung", "Umsetzungsstand", "Listen"]
    assert wb["Listen"].sheet_state == "hidden"
    info = wb["Anleitung"]
    assert (info["A3"].value, info["B3"].value) == ("Jahr der Vorlage:", 2025)
    assert "ganze Datei abgelehnt" in " ".join(str(c.value) for c in info["A"] if c.value)
    sheet_ = wb["Umsetzungsstand"]
    assert [c.value for c in sheet_[1]] == [c.header for c in COLUMNS]
    prefilled = [[c.value for c in row][:7] for row in sheet_.iter_rows(min_row=2, max_row=sheet_.max_row)
                 if row[0].value]
    # The real agreement: nine projects, nothing imported from a real sheet yet (demo figures are not prefilled).
    assert prefilled == [[OFFENBACH, "Offenbach am Main", 2025, label, name, None, None] for label, name in [
        ("Ausbildungsvorbereitung", "Berufsvorbereitung Elektro"),
        ("Ausbildung & Coaching", "BaE Teilzeit"),
        ("Ausbildung & Coaching", "Coaching und Unterrichtshilfen (CUBA)"),
        ("Qualifizierung", "Jobcoach"),
        ("Qualifizierung", "Interkulturelle Gruppe"),
        ("Qualifizierung", "Coaching von jungen Wohnungssuchenden"),
        ("Qualifizierung", "Fallmanagement für Erziehende"),
        ("Qualifizierung", "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen"),
        ("Weiterbildung Personal", "Schulungen für Mitarbeiter/innen"),
    ]]
    validations = {str(dv.sqref).split(":")[0][0]: dv.type for dv in sheet_.data_validations.dataValidation}
    assert validations == {"A": "list", "E": "list", "C": "whole", "F": "decimal", "G": "custom", "H": "whole",
                           "I": "whole", "J": "date"}


def test_template_marks_demo_agreements(built):
    con = open_reader(built)
    try:
        wb = openpyxl.load_workbook(BytesIO(template_bytes(con, 2025)))
    finally:
        con.close()
    data = wb["Umsetzungsstand"]
    marks = {(row[0].value, row[10].value) for row in data.iter_rows(min_row=2) if row[0].value}
    assert (OFFENBACH, None) in marks and ("06412", "Demodaten — nicht amtlich") in marks
    assert len({ags for ags, _ in marks}) == 26


def test_valid_sheet_lands_completely(store_copy, tmp_path):
    before = rows(store_copy, STATUS_SQL, {"ags": OFFENBACH})
    assert {r[6] for r in before} == {"demo"}  # the built store has the demo Umsetzungsstand
    path = tmp_path / "umsetzung_of.xlsx"
    path.write_bytes(sheet(offenbach_rows()))
    report = import_file(path, store_copy)
    assert [(o.partner_ags, o.outcome, o.row_count) for o in report.outcomes] == [(OFFENBACH, "ersetzt", 9)]
    con = open_reader(store_copy)
    try:
        assert run_status_checks(con) == {}
    finally:
        con.close()
    assert report.summary() == ("umsetzung_of.xlsx: 9 Zeilen übernommen – 0 neu, 1 ersetzt, 0 unverändert, "
                                "0 übersprungen (Gebietskörperschaft × Jahr)")
    assert rows(store_copy, STATUS_SQL, {"ags": OFFENBACH}) == sorted(
        (name, approved * 100, round(spent * 100), places, participants, "2025-09-30", "umsetzung", False,
         "umsetzung_of.xlsx")
        for name, approved, spent, places, participants in OFFENBACH_ROWS
    )
    # Exact cents: 90.000,50 € stays 9000050, never a float.
    assert rows(store_copy, "select spent_cents from implementation_status where project_name = "
                            "'Berufsvorbereitung Elektro' and partner_ags = $a", {"a": OFFENBACH}) == [(9_000_050,)]
    # Other partners keep their (demo) rows; the import is logged.
    assert rows(store_copy, "select count(distinct partner_ags) from implementation_status") == [(26,)]
    assert rows(store_copy, "select outcome, message like 'Umsetzungsstand Offenbach am Main 2025: 9 Projekte%'"
                            " from ingest_log where source_file = 'umsetzung_of.xlsx'") == [("ersetzt", True)]


BAD_ROWS = [
    [OFFENBACH, "Offenbach am Main", 2025, None, "Berufsvorbereitung Elektro", 150000, 90000, 20, 14, date(2025, 9, 30)],
    ["06999", None, 2025, None, "Jobcoach", 1000, 0, 1, 1, date(2025, 9, 30)],
    [OFFENBACH, None, 2025, None, "Gibt es nicht", 1000, 0, 1, 1, date(2025, 9, 30)],
    [OFFENBACH, None, 2025, None, "BaE Teilzeit", -5000, 0, 1, 1, date(2025, 9, 30)],
    [OFFENBACH, None, 2025, None, "Jobcoach", 1000, "viel", 1, 1, date(2025, 9, 30)],
    [OFFENBACH, None, 2025, None, "Interkulturelle Gruppe", 100000, 120000, 10, 5, "30.9.2025"],
    [OFFENBACH, None, 2024, None, "Coaching von jungen Wohnungssuchenden", 1000, 0, 1, 1, date(2025, 9, 30)],
    [None, None, None, None, None, None, None, None, None, None],
    [None, "Offenbach am Main", 2025, None, "berufsvorbereitung  elektro", 1000, 0, 2.5, 1, "irgendwann"],
]
BAD_ERRORS = [
    "Zeile 3: Gebietskörperschaft mit AGS „06999“ unbekannt",
    "Zeile 4: Projekt „Gibt es nicht“ steht nicht in der Vereinbarung Offenbach am Main 2025",
    "Zeile 5: Bewilligt (−5.000 €) ist negativ",
    "Zeile 6: Ausgezahlt („viel“) ist keine Zahl",
    "Zeile 7: Ausgezahlt (120.000 €) größer als bewilligt (100.000 €)",
    "Zeile 8: Jahr 2024 passt nicht zur Vorlage für 2025",
    "Zeile 10: Geplante Plätze („2.5“) ist keine ganze Zahl",
    "Zeile 10: Stand („irgendwann“) ist kein Datum (T.M.JJJJ)",
    "Zeile 10: Projekt „Berufsvorbereitung Elektro“ steht doppelt in der Datei (auch Zeile 2)",
]


def test_sheet_with_bad_rows_lands_not_at_all(store_copy, tmp_path):
    snapshot = snapshots.current_snapshot(store_copy)
    state = rows(store_copy, "select * from implementation_status order by all")
    log = rows(store_copy, "select count(*) from ingest_log")
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(sheet(BAD_ROWS))
    with pytest.raises(SheetRefused) as refused:
        import_file(path, store_copy)
    assert refused.value.errors == BAD_ERRORS
    assert str(refused.value).split("\n")[0] == "kaputt.xlsx: nichts übernommen, 7 fehlerhafte Zeilen:"
    # Nothing half-written: same snapshot, same rows, no log entry, no stray temporary file.
    assert snapshots.current_snapshot(store_copy) == snapshot
    assert rows(store_copy, "select * from implementation_status order by all") == state
    assert rows(store_copy, "select count(*) from ingest_log") == log
    assert not list(store_copy.snapshot_dir.glob("*.tmp*"))


def test_cli_names_each_bad_row(store_copy, tmp_path, capsys):
    path = tmp_path / "kaputt.xlsx"
    path.write_bytes(sheet(BAD_ROWS))
    assert main(["import-umsetzung", str(path)]) == 1
    err = capsys.readouterr().err
    assert err == "Abgelehnt: kaputt.xlsx: nichts übernommen, 7 fehlerhafte Zeilen:\n" + "\n".join(BAD_ERRORS) + "\n"


def test_refused_files_and_headers(store_copy, tmp_path):
    cases = {
        "keine.xlsx": (b"kein zip", ["Keine XLSX-Datei (Excel-Arbeitsmappe); bitte die Vorlage verwenden."]),
        "kopf.xlsx": (sheet([], header=["AGS", "Projekt"]), [
            "Blatt „Umsetzungsstand“, Kopfzeile: Spalte(n) „Jahr“, „Bewilligt“, „Ausgezahlt“, „Geplante Plätze“, "
            "„Teilnehmende bisher“, „Stand (Datum)“ fehlen – bitte die Vorlage (aqb template umsetzung) verwenden."]),
        "leer.xlsx": (sheet([]), ["Keine ausgefüllte Zeile gefunden – nichts einzulesen."]),
    }
    for name, (data, errors) in cases.items():
        with pytest.raises(SheetRefused) as refused:
            import_sheets([(name, data)], store_copy)
        assert refused.value.errors == errors, name


def test_reimport_replaces_the_partner_year(store_copy):
    import_sheets([("erste.xlsx", sheet(offenbach_rows()))], store_copy)
    corrected = [r for r in OFFENBACH_ROWS if r[0] != "Jobcoach"]
    corrected[0] = ("Berufsvorbereitung Elektro", 150_000, 120_000, 20, 18)
    report = import_sheets([("zweite.xlsx", sheet(offenbach_rows(date(2025, 10, 15), corrected)))], store_copy)[0]
    assert [(o.outcome, o.row_count) for o in report.outcomes] == [("ersetzt", 8)]
    stored = rows(store_copy, STATUS_SQL, {"ags": OFFENBACH})
    assert [r[0] for r in stored] == sorted(name for name, *_ in corrected)
    assert {(r[5], r[8]) for r in stored} == {("2025-10-15", "zweite.xlsx")}
    assert stored[[r[0] for r in stored].index("Berufsvorbereitung Elektro")][1:5] == (15_000_000, 12_000_000, 20, 18)
    # The same sheet again changes nothing and publishes no snapshot.
    snapshot = snapshots.current_snapshot(store_copy)
    again = import_sheets([("zweite.xlsx", sheet(offenbach_rows(date(2025, 10, 15), corrected)))], store_copy)[0]
    assert [o.outcome for o in again.outcomes] == ["unverändert"]
    assert snapshots.current_snapshot(store_copy) == snapshot


def test_demo_status_never_replaces_a_real_import(store_copy):
    import_sheets([("echt.xlsx", sheet(offenbach_rows()))], store_copy)
    results = refresh_from_data(store_copy, with_demo=True)
    assert results[-1][0] == "umsetzungsstand_2025_demo.xlsx"
    assert rows(store_copy, "select distinct provenance, is_demo from implementation_status where partner_ags = $a",
                {"a": OFFENBACH}) == [("umsetzung", False)]
    # Real sheets in data/umsetzung/ come back with every build.
    (store_copy.data_dir / "umsetzung").mkdir()
    (store_copy.data_dir / "umsetzung" / "echt.xlsx").write_bytes(sheet(offenbach_rows()))
    assert refresh_from_data(store_copy, with_demo=False) == [
        ("echt.xlsx", "unverändert", "echt.xlsx: 0 Zeilen übernommen – 0 neu, 0 ersetzt, 1 unverändert, "
                                     "0 übersprungen (Gebietskörperschaft × Jahr)")]


def test_demo_status_is_marked_and_consistent(built):
    # Every generated row is demo; approved sums to the agreement budget; spent never exceeds approved.
    assert rows(built, "select provenance, is_demo, count(*), count(distinct partner_ags) from implementation_status"
                       " group by all") == [("demo", True, rows(built, "select count(*) from projects p join agreements"
                                                                       " a using (agreement_id) where agreement_year"
                                                                       " = 2025")[0][0], 26)]
    assert rows(built, """
        select count(*) from (
            select s.partner_ags, sum(s.approved_cents) as approved, max(a.budget_cents) as budget,
                   bool_and(s.spent_cents <= s.approved_cents and s.spent_cents >= 0) as ok
            from implementation_status s join agreements a using (partner_ags, agreement_year)
            group by s.partner_ags) where approved <> budget or not ok""") == [(0,)]
    con = open_reader(built)
    try:
        assert demo_records(con) == demo_records(con)  # seeded
        assert run_status_checks(con) == {}
    finally:
        con.close()


def test_official_only_leaves_demo_status_out(store_copy):
    from aqb.store.queries import run_query

    con = open_reader(store_copy)
    try:
        assert run_query(con, "implementation_by_partner", agreement_year=2025, include_demo=False).empty
    finally:
        con.close()
    import_sheets([("echt.xlsx", sheet(offenbach_rows()))], store_copy)
    con = open_reader(store_copy)
    try:
        frame = run_query(con, "implementation_by_partner", agreement_year=2025, include_demo=False)
    finally:
        con.close()
    assert frame[["partner_ags", "approved_cents", "spent_cents", "is_demo"]].values.tolist() == [
        [OFFENBACH, 101_141_000, 57_150_050, False]]


@pytest.mark.parametrize("cell, expected", [
    (1000, (100_000, None)), (1234.56, (123_456, None)), (0.1 + 0.2, (30, None)), ("120.000,50 €", (12_000_050, None)),
    ("1.011.410", (101_141_000, None)), ("−5", (-500, None)), (12.345, (None, "hat mehr als zwei Nachkommastellen")),
    ("viel", (None, "ist keine Zahl")), (True, (None, "ist keine Zahl")),
])
def test_money_cells_to_exact_cents(cell, expected):
    assert _cents(cell) == expected


def test_template_and_import_commands(store_copy, tmp_path, capsys):
    out = tmp_path / "vorlage.xlsx"
    assert main(["template", "umsetzung", "--year", "2025", "--partner", "Offenbach am Main", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    data = wb["Umsetzungsstand"]
    for n, (_name, approved, spent, places, participants) in enumerate(OFFENBACH_ROWS, start=2):
        for col, value in zip("FGHIJ", (approved, spent, places, participants, date(2025, 9, 30))):
            data[f"{col}{n}"] = value
    wb.save(out)
    capsys.readouterr()
    assert main(["import-umsetzung", str(out), "--year", "2025"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "     ersetzt  Offenbach am Main 2025: 9 Projekte, 571.500,50 € von 1.011.410 € abgeflossen, "
        "Stand 30.9.2025 – ersetzt den bisherigen Stand.")
