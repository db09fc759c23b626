"""`aqb check` hints: population coverage of the common Stichtag, stale and ambiguous project aliases."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from aqb.cli import main
from aqb.store import reader
from aqb.store.checks import alias_warnings, population_warnings, run_checks
from aqb.store.write import ingest_paths
from history_fixtures import agreement_file
from test_population import synthetic_population

ALIAS_COLUMNS = "ags,agreement_year,previous_name,project_name,note\n"


def _connect(settings):
    con, _ = reader.connect(settings)
    return con


def _warnings(settings):
    con = _connect(settings)
    try:
        return population_warnings(con)
    finally:
        con.close()


def partners_2026(reference_dir) -> list[str]:
    """'Name (AGS)' of every partner valid in 2026 (27: Hanau is kreisfrei), straight from the reference CSV."""
    with (reference_dir / "gebietskoerperschaften.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if (not r["valid_from"] or date.fromisoformat(r["valid_from"]) <= date(2026, 12, 31))
                and (not r["valid_to"] or date.fromisoformat(r["valid_to"]) >= date(2026, 1, 1))]
    return [f"{r['name']} ({r['ags']})" for r in sorted(rows, key=lambda r: r["ags"])]


def test_population_check_is_quiet_when_every_year_has_its_preferred_stichtag(settings):
    synthetic_population(settings.reference_dir)  # every partner has 31.12.2020 and 31.12.2023
    agreement_file(settings, "06413", 2021, 900_000)
    agreement_file(settings, "06411", 2024, 700_000)
    ingest_paths([settings.agreements_dir], settings)
    assert _warnings(settings) == []


def test_population_check_names_partner_year_and_both_stichtage(settings):
    synthetic_population(settings.reference_dir)  # 31.12.2021 is missing for Darmstadt only
    agreement_file(settings, "06413", 2021, 900_000)
    agreement_file(settings, "06413", 2022, 950_000)
    agreement_file(settings, "06413", 2026, 1_000_000)  # no figures for Hanau and the smaller Kreis at all
    ingest_paths([settings.agreements_dir], settings)
    assert len(partners_2026(settings.reference_dir)) == 27
    assert _warnings(settings) == [
        "Einwohner 2022: keine Zahl zum bevorzugten Stichtag 31.12.2021 für Darmstadt (06411); "
        "verwendet wird für alle Partner der 31.12.2020.",
        f"Einwohner 2026: keine Zahl zum bevorzugten Stichtag 31.12.2025 für alle {len(partners_2026(settings.reference_dir))} "
        "Gebietskörperschaften; "
        "es gibt keinen Stichtag mit Zahlen für alle Partner, 2026 hat keine Werte je Einwohner.",
    ]
    con = _connect(settings)
    try:
        assert run_checks(con) == {}  # hints, not inconsistencies
    finally:
        con.close()


@pytest.fixture
def project_store(settings):
    agreement_file(settings, "06413", 2024, 900_000, ((1, "Berufsvorbereitung"), (3, "Jobcoach")))
    agreement_file(settings, "06413", 2025, 950_000, ((1, "Berufsvorbereitung"), (3, "Jobcoaching"),
                                                      (3, "Interkulturelle Gruppe"), (4, "Interkulturelle-Gruppe")))
    ingest_paths([settings.agreements_dir], settings)
    return settings


def _alias_warnings(settings, rows: str) -> list[str]:
    (settings.reference_dir / "project_aliases.csv").write_text(ALIAS_COLUMNS + rows, encoding="utf-8")
    con = _connect(settings)
    try:
        return alias_warnings(con, settings.reference_dir)
    finally:
        con.close()


def test_alias_check_is_quiet_for_aliases_that_point_at_one_project_each(project_store):
    assert _alias_warnings(project_store, "06413,2025,Jobcoach,Jobcoaching,umbenannt\n"
                                          "06413,2025,,berufsvorbereitung,neu trotz gleichem Namen\n") == []


def test_alias_check_names_stale_and_ambiguous_rows(project_store):
    rows = ("06413,2025,Jobcoach,Jobcoaching,in Ordnung\n"
            "06413,2025,Jobcoach,Nicht vorhanden,Ziel gibt es nicht\n"
            "06413,2025,Gibt es nicht,Jobcoaching,Vorjahresname gibt es nicht\n"
            "06413,2023,,Berufsvorbereitung,kein Jahr im Bestand\n"
            "06413,2025,,Interkulturelle Gruppe,zwei Projekte mit diesem Namen\n")
    assert _alias_warnings(project_store, rows) == [
        "project_aliases.csv, Zeile 3: Projekt „Nicht vorhanden“ gibt es in der Vereinbarung 2025 von "
        "Offenbach am Main (06413) nicht (Eintrag veraltet?).",
        "project_aliases.csv, Zeile 4: Vorjahresprojekt „Gibt es nicht“ gibt es in der Vereinbarung 2024 von "
        "Offenbach am Main (06413) nicht (Eintrag veraltet?).",
        "project_aliases.csv, Zeile 5: Projekt „Berufsvorbereitung“ – für Offenbach am Main (06413) gibt es 2023 "
        "keine Vereinbarung im Bestand (Eintrag veraltet?).",
        "project_aliases.csv, Zeile 6: Projekt „Interkulturelle Gruppe“ passt in der Vereinbarung 2025 von "
        "Offenbach am Main (06413) auf 2 Projekte (Pos. 3, 4) – Ziel nicht eindeutig.",
    ]


def test_cli_check_prints_the_hints_and_still_passes(settings, capsys):
    synthetic_population(settings.reference_dir)
    agreement_file(settings, "06413", 2022, 950_000)
    ingest_paths([settings.agreements_dir], settings)
    (settings.reference_dir / "project_aliases.csv").write_text(
        ALIAS_COLUMNS + "06413,2022,Alt,Neu,\n", encoding="utf-8")
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Hinweis: Einwohner 2022: keine Zahl zum bevorzugten Stichtag 31.12.2021 für Darmstadt (06411); "
        "verwendet wird für alle Partner der 31.12.2020.",
        "Hinweis: project_aliases.csv, Zeile 2: Projekt „Neu“ gibt es in der Vereinbarung 2022 von "
        "Offenbach am Main (06413) nicht (Eintrag veraltet?).",
        "Hinweis: project_aliases.csv, Zeile 2: Vorjahresprojekt „Alt“ – für Offenbach am Main (06413) gibt es 2021 "
        "keine Vereinbarung im Bestand (Eintrag veraltet?).",
        "Alle Datenprüfungen bestanden, 3 Hinweise.",
    ]
