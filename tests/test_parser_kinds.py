"""Document kinds: agreement, amendment (applied to its base on ingest), letters that are refused."""

from __future__ import annotations

import pytest

from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes
from aqb.model import Confidence
from aqb.store.write import ingest_paths
from conftest import REFERENCE

SIGNATURES = """
Wiesbaden, den 3.11.2025

Heike Hofmann
Staatsministerin

Offenbach am Main, den 10.11.2025

Martin Wilhelm
Stadtrat/Stadtkämmerer
"""
HEAD = """{label}

zwischen

dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales

und der Stadt Offenbach am Main

zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets

§ 1

Änderungen

"""
NEW_BUDGET = ("§ 4 der Zielvereinbarung erhält folgende Fassung: Das HMSI stellt der Stadt Offenbach am Main im Jahr "
              "2025 Haushaltsmittel in Höhe von insgesamt 1.111.410 Euro aus dem Ausbildungs- und "
              "Qualifizierungsbudget 2025 zur Verfügung.\n\n")
NEW_PROJECTS = """§ 5 der Zielvereinbarung erhält folgende Fassung:

1. Ausbildungsvorbereitung
 - Berufsvorbereitung Metall
3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung
 - Jobcoach

Alle übrigen Bestimmungen der Zielvereinbarung bleiben unverändert.
"""


def amendment(label="1. Änderung der Zielvereinbarung 2025", budget=True, projects=False) -> str:
    return HEAD.format(label=label) + (NEW_BUDGET if budget else "") + (NEW_PROJECTS if projects else "") + SIGNATURES


def parse(text: str, name: str = "aenderung.txt"):
    return parse_bytes(name, text.encode(), REFERENCE, 2**20)


def test_agreement_kind(seed_text):
    assert parse(seed_text).document_kind == "zielvereinbarung"


@pytest.mark.parametrize("label", ["1. Änderung der Zielvereinbarung 2025", "Nachtrag Nr. 1 zur Zielvereinbarung 2025",
                                   "Änderungsvereinbarung zur Zielvereinbarung 2025", "2. Nachtrag zur Zielvereinbarung 2025"])
def test_amendment_is_recognised_with_its_base_year(label):
    a = parse(amendment(label))
    assert (a.document_kind, a.amendment_label, a.agreement_year, a.partner_ags) == ("aenderung", label, 2025, "06413")
    assert (a.budget_cents, a.has_budget, a.has_projects, a.projects) == (111141000, True, False, ())
    assert a.status == "unterzeichnet" and a.blocking == ()


def test_amendment_with_new_projects_only():
    a = parse(amendment(budget=False, projects=True))
    assert (a.has_budget, a.has_projects) == (False, True)
    assert [(p.measure_type_code, p.name) for p in a.projects] == [(1, "Berufsvorbereitung Metall"), (3, "Jobcoach")]


def test_amendment_without_new_values_is_refused():
    with pytest.raises(DocumentRefused) as info:
        parse(amendment(budget=False))
    assert str(info.value) == ("aenderung.txt: ist eine 1. Änderung der Zielvereinbarung 2025, aber weder ein neues "
                               "Budget (§ 4) noch neue Projekte (§ 5) sind erkennbar.")


@pytest.mark.parametrize(("title", "message"), [
    ("Zuwendungsbescheid\n\nAusbildungs- und Qualifizierungsbudget 2025 – Zielvereinbarung vom 6.8.2025",
     "bescheid.txt: ist ein Zuwendungsbescheid, keine Zielvereinbarung."),
    ("Änderungsbescheid zum Zuwendungsbescheid vom 1.9.2025", "bescheid.txt: ist ein Zuwendungsbescheid, keine Zielvereinbarung."),
    ("Verwendungsnachweis 2024\n\nAusbildungs- und Qualifizierungsbudget", "bescheid.txt: ist ein Verwendungsnachweis, keine Zielvereinbarung."),
    ("Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie die Zielvereinbarung 2025.",
     "bescheid.txt: ist ein Anschreiben, keine Zielvereinbarung."),
])
def test_letters_that_are_no_agreement_are_refused_naming_what_they_are(seed_text, title, message):
    body = seed_text[seed_text.index("§ 1"):]
    with pytest.raises(DocumentRefused) as info:
        parse(title + "\n\n" + body, "bescheid.txt")
    assert str(info.value) == message


def test_text_without_title_or_sections_is_refused():
    with pytest.raises(DocumentRefused) as info:
        parse("Einkaufsliste\n\nMilch\nBrot\n", "liste.txt")
    assert str(info.value) == "liste.txt: ist keine Zielvereinbarung (weder Titel „Zielvereinbarung“ noch §-Gliederung)."


def test_draft_keeps_status_entwurf(seed_text):
    text = seed_text.replace("Wiesbaden, den 6.8.2025", "Wiesbaden, den ________").replace("den 11.8.2025", "den ______")
    assert parse(text).status == "entwurf"


# -- applied on ingest ----------------------------------------------------------------------
def _rows(settings, sql):
    import duckdb

    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_amendment_without_base_in_the_store_is_refused(settings):
    (settings.agreements_dir / "aenderung.txt").write_text(amendment(), encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert [(o.file_name, o.outcome, o.message) for o in report.outcomes] == [(
        "aenderung.txt", "abgelehnt",
        "ist eine 1. Änderung der Zielvereinbarung 2025, aber für Offenbach am Main 2025 ist keine Zielvereinbarung im Bestand.",
    )]


def test_amendment_replaces_the_budget_keeps_projects_and_moves_the_old_version_to_history(settings, seed_text):
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    old_id = _rows(settings, "select agreement_id from agreements")[0][0]
    (settings.agreements_dir / "aenderung.txt").write_text(amendment(), encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert [(o.outcome, o.message) for o in report.outcomes if o.outcome != "unverändert"] == [(
        "ersetzt", "Offenbach am Main 2025: 1. Änderung der Zielvereinbarung 2025 angewandt – 1.111.410 €, 9 Projekte.")]
    assert _rows(settings, "select budget_cents, document_kind, amended_by_file, amended_date::text, status"
                           " from agreements") == [(111141000, "aenderung", "aenderung.txt", "2025-11-10", "unterzeichnet")]
    assert _rows(settings, "select count(*) from projects join agreements using (agreement_id)") == [(9,)]
    assert _rows(settings, "select agreement_id, budget_cents from agreements_history") == [(old_id, 101141000)]
    assert _rows(settings, "select base_agreement_id, amendment_label, changes_budget, changes_projects"
                           " from agreement_amendments") == [(old_id, "1. Änderung der Zielvereinbarung 2025", True, False)]
    assert _rows(settings, "select programme_code, line_role, amount_cents from budget_lines join agreements"
                           " using (agreement_id)") == [("AQB", "gesamt", 111141000)]


def test_amendment_in_the_same_batch_replaces_projects(settings, seed_text):
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    (settings.agreements_dir / "a_aenderung.txt").write_text(amendment(budget=False, projects=True), encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    assert _rows(settings, "select budget_cents, document_kind from agreements") == [(101141000, "aenderung")]
    assert _rows(settings, "select project_name from projects join agreements using (agreement_id)"
                           " order by project_position") == [("Berufsvorbereitung Metall",), ("Jobcoach",)]


def test_amendment_with_an_unreadable_new_amount_is_blocking_or_refused():
    a = parse(amendment(projects=True).replace("1.111.410 Euro", "1'111'410'Euro"))
    assert a.blocking == ("1. Änderung der Zielvereinbarung 2025: der Text zu § 4 nennt einen Betrag, der nicht lesbar ist.",)
    with pytest.raises(DocumentRefused) as info:
        parse(amendment().replace("1.111.410 Euro", "1'111'410'Euro"))
    assert str(info.value) == "aenderung.txt: ist eine 1. Änderung der Zielvereinbarung 2025, aber der neue Betrag in § 4 ist nicht lesbar."


def test_ingest_refuses_a_document_whose_checks_do_not_hold(settings, seed_text):
    (settings.agreements_dir / "zv.txt").write_text(
        seed_text.replace("im Jahr 2025 Haushaltsmittel", "im Jahr 2024 Haushaltsmittel"), encoding="utf-8")
    report = ingest_paths([settings.agreements_dir], settings)
    assert [(o.file_name, o.outcome, o.message) for o in report.outcomes] == [(
        "zv.txt", "abgelehnt",
        "nicht übernommen, Werte widersprechen sich: Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich.")]


def test_values_read_by_ocr_are_always_zu_pruefen():
    from aqb.ingest.crosscheck import Findings, cross_check

    v = cross_check(Findings(year=2025, title_year=2025, s4_year=2025, partner_ags="06413", partner_name="Stadt X",
                             s4_partner=None, budget=None, projects=[], category_amounts={}, table_sums=[],
                             signatures=[], is_ocr=True, needs_projects=False))
    assert v.confidence == {"year": Confidence("zu prüfen", "per Texterkennung gelesen"),
                            "partner": Confidence("zu prüfen", "per Texterkennung gelesen")}
    assert v.blocking == []


def test_parse_json_has_kind_budget_lines_and_confidence(seed_text):
    from aqb.cli import agreement_json

    out = agreement_json(parse(amendment()))
    assert (out["document_kind"], out["amendment"], out["blocking"], out["is_ocr"]) == (
        "aenderung", "1. Änderung der Zielvereinbarung 2025", [], False)
    assert [(b["programme"], b["role"], b["amount_cents"], b["is_part_of_budget"]) for b in out["budget_lines"]] == [
        ("AQB", "gesamt", 111141000, True)]
    assert out["confidence"]["budget"] == {"level": "sicher", "reason": ""}
    assert agreement_json(parse(seed_text))["document_kind"] == "zielvereinbarung"


def test_data_checks_hold_after_an_amendment(settings, seed_text):
    """budget_lines_add_up and amendment_has_base_in_history (aqb check) hold on a real amended store."""
    import duckdb

    from aqb.store.checks import run_checks

    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    (settings.agreements_dir / "aenderung.txt").write_text(amendment(), encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        assert run_checks(con) == {}
        assert con.execute("select count(*) from agreement_amendments").fetchone() == (1,)
    finally:
        con.close()
