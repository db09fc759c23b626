"""The `aqb` command line, run as a real process: output, exit codes, one-line errors."""

from __future__ import annotations

import json
from decimal import Decimal
import os
import subprocess
import sys

import openpyxl
import pandas as pd

from aqb.settings import PROJECT_ROOT
from conftest import SEED

REFERENCE = PROJECT_ROOT / "data" / "reference"


def aqb(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "aqb.cli", *map(str, args)],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120,
    )


def test_help_lists_every_command_with_an_example():
    result = aqb("--help")
    assert result.returncode == 0
    for command in ("parse", "ingest", "build", "demo", "list", "export", "snapshots", "rollback", "check",
                    "briefing", "template", "import-umsetzung", "slides", "publish", "hash-password"):
        assert f"  {command}" in result.stdout
        assert f"aqb {command}" in result.stdout
    sub = aqb("export", "--help")
    assert "Beispiel:\n  aqb export --format csv --out exports/" in sub.stdout
    assert "--roh" in sub.stdout and "Parquet ist immer die Maschinenform" in " ".join(sub.stdout.split())


def test_parse_json(data_dir):
    result = aqb("parse", SEED, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["year"], data["district"], data["budget_eur"], data["ministry"]) == (
        2025,
        {"ags": "06413", "name": "Offenbach am Main", "kind": "kreisfreie Stadt"},
        1011410.0,
        "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
    )
    assert data["projects"][0]["category"] == 1 and data["projects"][0]["name"] == "Berufsvorbereitung Elektro"
    assert [(s["place"], s["date"], s["name"], s["role"]) for s in data["signatures"]] == [
        ("Wiesbaden", "2025-08-06", "Heike Hofmann", "Staatsministerin"),
        ("Offenbach am Main", "2025-08-11", "Martin Wilhelm", "Stadtrat/Stadtkämmerer"),
    ]
    assert data["warnings"] == []


def test_parse_refused_is_one_line_on_stderr(data_dir, tmp_path):
    bad = tmp_path / "mainz.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("der Stadt Offenbach am Main", "der Stadt Mainz"))
    result = aqb("parse", bad, "--json")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        "Abgelehnt: mainz.txt: Vertragspartner „der Stadt Mainz“ ist keine der 26 hessischen "
        "Gebietskörperschaften des AQB.\n"
    )
    missing = aqb("parse", tmp_path / "fehlt.pdf")
    assert (missing.returncode, missing.stderr) == (1, "Abgelehnt: fehlt.pdf: Datei nicht gefunden.\n")


def test_ingest_list_export(data_dir, tmp_path):
    (data_dir / "agreements" / "zv.txt").write_bytes(SEED.read_bytes())
    (data_dir / "agreements" / "kaputt.pdf").write_bytes(b"kein pdf")
    result = aqb("ingest", data_dir / "agreements")
    assert result.returncode == 1
    assert "Zusammenfassung: 1 neu, 0 ersetzt, 0 unverändert, 0 übersprungen, 1 abgelehnt" in result.stdout
    assert "abgelehnt  kaputt.pdf: Endung .pdf, aber der Inhalt ist keine PDF-Datei." in result.stderr
    assert "Traceback" not in result.stderr

    listing = aqb("list")
    assert listing.returncode == 0
    assert "2025  06413  Offenbach am Main" in listing.stdout and "1.011.410 €" in listing.stdout

    for fmt in ("csv", "xlsx", "parquet"):
        out = tmp_path / fmt
        assert aqb("export", "--format", fmt, "--out", out).returncode == 0
    assert aqb("export", "--format", "csv", "--roh", "--out", tmp_path / "roh").returncode == 0

    # The default is the people form: the screen's German headers and values, euros as shown, exact cents beside.
    raw = (tmp_path / "csv" / "vereinbarungen.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(tmp_path / "csv" / "vereinbarungen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert frame[["AGS", "Gebietskörperschaft", "Budget (€)", "Budget (Cent, exakt)", "Status", "Herkunft"]
                 ].values.tolist() == [["06413", "Offenbach am Main", "1011410", "101141000", "unterzeichnet",
                                        "Zielvereinbarung"]]
    projects = pd.read_csv(tmp_path / "csv" / "projekte.csv", sep=";", encoding="utf-8-sig")
    assert len(projects) == 9 and set(projects["Gebietskörperschaft"]) == {"Offenbach am Main"}
    names = set(pd.read_csv(REFERENCE / "massnahmenarten.csv")["measure_type_name"])
    assert set(projects["Maßnahmenart"]) <= names
    lines = pd.read_csv(tmp_path / "csv" / "haushaltszeilen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert lines[["Programm", "Art des Betrags", "Betrag (€)", "Betrag (Cent, exakt)", "zählt zum Budget"]
                 ].values.tolist() == [["Ausbildungs- und Qualifizierungsbudget", "Gesamtbetrag", "1011410",
                                        "101141000", "ja"]]
    sides = pd.read_csv(tmp_path / "csv" / "unterschriften.csv", sep=";", encoding="utf-8-sig")
    assert set(sides["Seite"]) <= {"Ministerium", "Gebietskörperschaft"}
    explained = pd.read_csv(tmp_path / "csv" / "spalten.csv", sep=";", encoding="utf-8-sig")
    for name, sheet in (("vereinbarungen", "Vereinbarungen"), ("projekte", "Projekte"),
                        ("haushaltszeilen", "Haushaltszeilen"), ("unterschriften", "Unterschriften"),
                        ("veroeffentlichte_betraege", "Veröffentlichte Beträge")):
        header = list(pd.read_csv(tmp_path / "csv" / f"{name}.csv", sep=";", encoding="utf-8-sig", nrows=0).columns)
        assert not [h for h in header if "_" in h]  # no internal column name reaches a person
        assert explained.loc[explained["Tabelle"] == sheet, "Spalte"].tolist() == header
    assert explained["Bedeutung"].notna().all()

    book = openpyxl.load_workbook(tmp_path / "xlsx" / "aqb_export.xlsx")
    assert book.sheetnames == ["Vereinbarungen", "Projekte", "Haushaltszeilen", "Unterschriften",
                               "Veröffentlichte Beträge", "Spalten", "Hinweise"]
    sheet = book["Vereinbarungen"]
    header = [c.value for c in sheet[1]]
    euro = sheet.cell(row=2, column=header.index("Budget (€)") + 1)
    assert (euro.value, euro.number_format) == (1011410, '#,##0 "€"')
    assert sheet.cell(row=2, column=header.index("Budget (Cent, exakt)") + 1).value == 101141000
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", sheet.dimensions)
    assert [r[1] for r in book["Spalten"].iter_rows(min_row=2, values_only=True) if r[0] == "Vereinbarungen"] == header

    # --roh (and Parquet always): the store's names and codes, for scripts.
    machine = pd.read_csv(tmp_path / "roh" / "vereinbarungen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert machine[["partner_ags", "budget_cents", "budget_eur", "provenance"]].values.tolist() == [
        ["06413", "101141000", "1011410,00", "vereinbarung"]
    ]
    lines = pd.read_csv(tmp_path / "roh" / "haushaltszeilen.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert lines[["programme_code", "line_role", "amount_cents", "is_part_of_budget"]].values.tolist() == [
        ["AQB", "gesamt", "101141000", "True"]]
    assert pd.read_parquet(tmp_path / "parquet" / "vereinbarungen.parquet")["budget_eur"].tolist() == [Decimal("1011410.00")]


def test_export_without_store(data_dir, tmp_path):
    result = aqb("export", "--format", "csv", "--out", tmp_path)
    assert (result.returncode, result.stderr) == (2, "Fehler: Noch kein Bestand zum Exportieren: zuerst `aqb build`.\n")


def test_bad_setting_is_one_line(data_dir):
    result = aqb("list", env={"AQB_DEMO": "vielleicht"})
    assert (result.returncode, result.stderr) == (
        2, "Fehler: AQB_DEMO='vielleicht' ist kein Schalter: erlaubt sind 1/0, true/false, on/off.\n"
    )
