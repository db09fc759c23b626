"""§ 4 budget lines and the rule that makes the agreement's budget from them (aqb/ingest/budget.py)."""

from __future__ import annotations

import pytest

from aqb.ingest.budget import read_budget
from aqb.ingest.parser import parse_bytes
from aqb.ingest.textclean import CleanLine
from conftest import REFERENCE

SEED_S4 = ("Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025 Haushaltsmittel in Höhe von insgesamt\n\n"
           "1.011.410 Euro\n\naus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung.")


def lines(text: str) -> list[CleanLine]:
    return [CleanLine(1, i, t.strip(), 0) for i, t in enumerate(text.split("\n"), start=1)]


def reading(text: str):
    r = read_budget(lines(text))
    return r.budget_cents, [(b.programme, b.role, b.amount_cents, part) for b, part in zip(r.lines, r.part_of_budget)], r.blocking


@pytest.mark.parametrize(("text", "budget", "lines_", "blocking"), [
    ("Haushaltsmittel in Höhe von insgesamt 1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget.",
     101141000, [("AQB", "gesamt", 101141000, True)], []),
    # 2018 Main-Kinzig-Kreis: two budgets, no total -> the sum.
    ("Haushaltsmittel in Höhe von 1.200.000 Euro aus dem Ausbildungs- und Qualifizierungsbudget und 300.000 Euro "
     "aus dem Arbeitsmarktbudget zur Verfügung.",
     150000000, [("AQB", "teil", 120000000, True), ("ARBEITSMARKTBUDGET", "teil", 30000000, True)], []),
    ("insgesamt 1.500.000 Euro, davon 1.200.000 Euro aus dem AQB und 300.000 Euro aus dem Arbeitsmarktbudget.",
     150000000, [("AQB", "gesamt", 150000000, True), ("AQB", "davon", 120000000, False),
                 ("ARBEITSMARKTBUDGET", "davon", 30000000, False)], []),
    ("insgesamt 1.000.000 Euro. Zusätzlich werden 50.000 Euro für Maßnahmen der Teilzeitausbildung bereitgestellt.",
     105000000, [("AQB", "gesamt", 100000000, True), ("TEILZEITAUSBILDUNG", "zusaetzlich", 5000000, True)], []),
    ("insgesamt 1.000.000 Euro, hiervon 80.000 Euro Mittel für Menschen mit Migrationshintergrund und "
     "120.000 Euro ESF-Anteil.",
     100000000, [("AQB", "gesamt", 100000000, True), ("MIGRATION", "davon", 8000000, False),
                 ("ESF", "davon", 12000000, False)], []),
])
def test_budget_rule(text, budget, lines_, blocking):
    assert reading(text) == (budget, lines_, blocking)


@pytest.mark.parametrize(("text", "message"), [
    ("insgesamt 1.000.000 Euro, davon 1.200.000 Euro für Teilzeitausbildung.",
     "§ 4: die Teilbeträge („davon“) ergeben 1.200.000 €, mehr als der Betrag 1.000.000 €."),
    ("insgesamt 1.000.000 Euro. Ein Betrag von 700.000 Euro aus dem AQB und 200.000 Euro aus dem Arbeitsmarktbudget.",
     "§ 4: Gesamtbetrag 1.000.000 €, aber die einzeln genannten Beträge ergeben 900.000 €."),
    ("insgesamt 1.000.000 Euro. Gesamtbetrag 1.100.000 Euro.", "§ 4 nennt mehrere Gesamtbeträge (1.000.000 €, 1.100.000 €)."),
    ("insgesamt 1.011.410 Euro (in Worten: eine Million zehntausendvierhundertzehn Euro)",
     "§ 4: Betrag in Ziffern (1.011.410 €) und in Worten (1.010.410 €) stimmen nicht überein."),
    ("insgesamt 1'326'900 Euro",
     "§ 4: vor dem Betrag „900 Euro“ stehen weitere Ziffern (Trennzeichen nicht erkannt) – der Betrag ist vermutlich abgeschnitten."),
])
def test_what_does_not_hold_is_blocking(text, message):
    assert message in reading(text)[2]


def test_amount_in_words_that_agrees_is_sure():
    r = read_budget(lines("insgesamt 1.011.410 Euro (in Worten: eine Million elftausendvierhundertzehn Euro)"))
    assert (r.budget_cents, r.blocking, r.confidence.level) == (101141000, [], "sicher")


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009"])
def test_seed_with_grouped_spaces_reads_the_whole_amount(seed_text, space):
    text = seed_text.replace("1.011.410 Euro", f"1{space}326{space}900 Euro")
    a = parse_bytes("zv.md", text.encode(), REFERENCE, 2**20)
    assert (a.budget_cents, a.blocking, a.confidence["budget"].level) == (132690000, (), "sicher")


def test_two_budget_agreement_2018(seed_text):
    text = (seed_text.replace("2025", "2018")
            .replace("Arbeit, Integration, Jugend und Soziales", "Soziales und Integration")
            .replace("der Stadt Offenbach am Main", "dem Main-Kinzig-Kreis")
            .replace("Qualifizierungsbudgets\n", "Qualifizierungsbudgets und des Arbeitsmarktbudgets\n", 1)
            .replace("Haushaltsmittel in Höhe von insgesamt\n\n1.011.410 Euro\n\naus dem Ausbildungs- und "
                     "Qualifizierungsbudget 2018 zur Verfügung.",
                     "Haushaltsmittel in Höhe von 1.200.000 Euro aus dem Ausbildungs- und Qualifizierungsbudget "
                     "2018 und 300.000 Euro aus dem Arbeitsmarktbudget zur Verfügung."))
    a = parse_bytes("mkk_2018.txt", text.encode(), REFERENCE, 2**20)
    assert (a.partner_ags, a.agreement_year, a.budget_cents, a.blocking) == ("06435", 2018, 150000000, ())
    assert [(b.programme, b.amount_cents) for b in a.budget_lines] == [("AQB", 120000000), ("ARBEITSMARKTBUDGET", 30000000)]


def test_budget_lines_in_the_store_and_the_partner_query(settings, seed_text):
    import duckdb

    from aqb.store.queries import run_query
    from aqb.store.write import ingest_paths

    two = (seed_text.replace("der Stadt Offenbach am Main", "dem Main-Kinzig-Kreis")
           .replace("Haushaltsmittel in Höhe von insgesamt\n\n1.011.410 Euro\n\n",
                    "Haushaltsmittel in Höhe von insgesamt 1.500.000 Euro, davon 1.200.000 Euro aus dem "
                    "Ausbildungs- und Qualifizierungsbudget und 300.000 Euro aus dem Arbeitsmarktbudget, "))
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    (settings.agreements_dir / "mkk.txt").write_text(two, encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert [o.outcome for o in report.outcomes] == ["neu", "neu"], report.outcomes
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        lines = run_query(con, "partner_budget_lines", partner_ags="06435", include_demo=False)
        assert lines[["programme_label", "line_role_label", "amount_cents", "is_part_of_budget"]].values.tolist() == [
            ["Ausbildungs- und Qualifizierungsbudget", "Gesamtbetrag", 150000000, True],
            ["Ausbildungs- und Qualifizierungsbudget", "davon", 120000000, False],
            ["Arbeitsmarktbudget", "davon", 30000000, False],
        ]
        # Statewide: the lines that are part of a budget add up to the budgets, no amount twice.
        assert con.execute(
            "select (select sum(amount_cents) from budget_lines where is_part_of_budget),"
            " (select sum(budget_cents) from agreements)").fetchone() == (251141000, 251141000)
    finally:
        con.close()


def test_briefing_breaks_the_budget_down_by_programme(settings, seed_text):
    import duckdb

    from aqb.analysis.briefing import load_briefing
    from aqb.store.write import ingest_paths

    two = seed_text.replace("Haushaltsmittel in Höhe von insgesamt\n\n1.011.410 Euro\n\n",
                            "Haushaltsmittel in Höhe von 811.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget "
                            "und 200.000 Euro aus dem Arbeitsmarktbudget ")
    (settings.agreements_dir / "zv.txt").write_text(two, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        lines = dict(load_briefing(con, "06413", 2025).key_lines())
    finally:
        con.close()
    assert lines["Budget 2025"] == "1.011.410 €"
    assert lines["Haushaltsmittel nach § 4"] == "Ausbildungs- und Qualifizierungsbudget 811.410 € + Arbeitsmarktbudget 200.000 €"


def test_the_data_check_finds_lines_that_do_not_add_up():
    import duckdb

    from aqb.store.checks import CHECKS
    from aqb.store.schema import schema_sql

    con = duckdb.connect()
    con.execute(schema_sql())
    con.execute("insert into agreements (agreement_id, partner_ags, agreement_year, budget_cents, status, provenance,"
                " is_demo, source_file, source_sha256, file_format, page_count, ingested_at, parser_version, warnings)"
                " values ('a', '06413', 2025, 100, 'entwurf', 'vereinbarung', false, 'f', 'a', 'txt', 1, now(), '2', [])")
    con.execute("insert into budget_lines values ('a', 1, 'AQB', 'gesamt', 100, true, 1, 1, 'x'),"
                " ('a', 2, 'ESF', 'davon', 30, false, 1, 1, 'x')")
    assert con.execute(CHECKS["budget_lines_add_up"]).fetchall() == []
    con.execute("insert into budget_lines values ('a', 3, 'TEILZEITAUSBILDUNG', 'zusaetzlich', 5, true, 1, 1, 'x')")
    assert con.execute(CHECKS["budget_lines_add_up"]).fetchall() == [("a", 100, 105)]
