"""§ 5 as a table: only project cells become projects, amounts and Träger are kept, header rows
(also repeated after a page break) and sum rows are skipped, empty Maßnahmenart cells inherit."""

from __future__ import annotations

from aqb.ingest.parser import parse_bytes, refusal_for
from conftest import REFERENCE

TABLE = """| Maßnahmenart | Projekt | Träger | Betrag |
|---|---|---|---|
| 1. Ausbildungsvorbereitung | Berufsvorbereitung Elektro | Handwerkskammer e.V. | 211.410 Euro |
| 2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen | BaE Teilzeit | Frauenbetriebe e.V. | 300.000 Euro |
|  | Coaching und Unterrichtshilfen (CUBA) | GOAB gGmbH | 100.000 Euro |
\f| Maßnahmenart | Projekt | Träger | Betrag |
| 3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung | Jobcoach | Jobcenter | 350.000 Euro |
| 4. Weiterbildungsmaßnahmen für Personal | Schulungen für Mitarbeiter/innen | Stadt | 50.000 Euro |
| Summe | | | {total} |

"""


def with_table(seed_text: str, total: str = "1.011.410 Euro") -> str:
    start, end = seed_text.index("1. Ausbildungsvorbereitung"), seed_text.index("Die Förderung der aufgeführten")
    return seed_text[:start] + TABLE.format(total=total) + seed_text[end:]


def test_table_rows_become_projects_with_provider_and_amount(seed_text):
    a = parse_bytes("zv.md", with_table(seed_text).encode(), REFERENCE, 2**20)
    assert [(p.measure_type_code, p.name, p.provider, p.amount_cents) for p in a.projects] == [
        (1, "Berufsvorbereitung Elektro", "Handwerkskammer e.V.", 21141000),
        (2, "BaE Teilzeit", "Frauenbetriebe e.V.", 30000000),
        (2, "Coaching und Unterrichtshilfen (CUBA)", "GOAB gGmbH", 10000000),
        (3, "Jobcoach", "Jobcenter", 35000000),
        (4, "Schulungen für Mitarbeiter/innen", "Stadt", 5000000),
    ]
    assert [p.position for p in a.projects] == [1, 2, 3, 4, 5]
    assert (a.budget_cents, a.blocking, a.warnings) == (101141000, (), ())


def test_a_sum_row_that_does_not_match_the_budget_is_blocking(seed_text):
    a = parse_bytes("zv.md", with_table(seed_text, "1.111.410 Euro").encode(), REFERENCE, 2**20)
    assert a.blocking == ("Summenzeile in § 5 (1.111.410 €) weicht vom Budget in § 4 (1.011.410 €) ab.",)
    assert str(refusal_for(a)) == ("zv.md: nicht übernommen, Werte widersprechen sich: Summenzeile in § 5 (1.111.410 €) "
                                   "weicht vom Budget in § 4 (1.011.410 €) ab.")


def test_project_amounts_that_do_not_add_up_are_blocking(seed_text):
    text = with_table(seed_text).replace("| 50.000 Euro |", "| 5.000 Euro |")
    a = parse_bytes("zv.md", text.encode(), REFERENCE, 2**20)
    assert a.blocking == ("Summe der Projektbeträge in § 5 (966.410 €) weicht vom Budget in § 4 (1.011.410 €) ab.",)


def test_an_agreement_without_projects_is_blocking(seed_text):
    start, end = seed_text.index("1. Ausbildungsvorbereitung"), seed_text.index("Die Förderung der aufgeführten")
    a = parse_bytes("zv.txt", (seed_text[:start] + seed_text[end:]).encode(), REFERENCE, 2**20)
    assert a.blocking == ("§ 5: keine Projekte gefunden – eine Zielvereinbarung ohne Projekte wird nicht übernommen.",)
