"""Parser: the real agreement exactly, format variants, partner matching, refusals and warnings."""

from __future__ import annotations

from datetime import date

import pytest

from aqb.cli import agreement_json
from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes, refusal_for
from aqb.model import CHECK, Confidence
from conftest import REFERENCE, SEED

MB = 1024 * 1024
OFFENBACH_PROJECTS = [
    (1, "Berufsvorbereitung Elektro"),
    (2, "BaE Teilzeit"),
    (2, "Coaching und Unterrichtshilfen (CUBA)"),
    (3, "Jobcoach"),
    (3, "Interkulturelle Gruppe"),
    (3, "Coaching von jungen Wohnungssuchenden"),
    (3, "Fallmanagement für Erziehende"),
    (3, "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen"),
    (4, "Schulungen für Mitarbeiter/innen"),
]


def parse_text(text: str, name: str = "zv.txt", encoding: str = "utf-8"):
    return parse_bytes(name, text.encode(encoding), REFERENCE, 20 * MB)


def summary(agreement) -> dict:
    return {
        "year": agreement.agreement_year,
        "ags": agreement.partner_ags,
        "budget_cents": agreement.budget_cents,
        "projects": [(p.measure_type_code, p.name) for p in agreement.projects],
        "signatures": [(s.side, s.place, s.signed_date, s.name, s.role) for s in agreement.signatures],
        "warnings": list(agreement.warnings),
    }


SEED_SUMMARY = {
    "year": 2025,
    "ags": "06413",
    "budget_cents": 101141000,
    "projects": OFFENBACH_PROJECTS,
    "signatures": [
        ("ministry", "Wiesbaden", date(2025, 8, 6), "Heike Hofmann", "Staatsministerin"),
        ("partner", "Offenbach am Main", date(2025, 8, 11), "Martin Wilhelm", "Stadtrat/Stadtkämmerer"),
    ],
    "warnings": [],
}


def test_real_offenbach_agreement_every_value():
    agreement = parse_bytes(SEED.name, SEED.read_bytes(), REFERENCE, 20 * MB)
    data = agreement_json(agreement)
    assert {k: data[k] for k in ("year", "district", "budget_eur", "budget_cents", "ministry", "status", "is_demo")} == {
        "year": 2025,
        "district": {"ags": "06413", "name": "Offenbach am Main", "kind": "kreisfreie Stadt"},
        "budget_eur": 1011410.0,
        "budget_cents": 101141000,
        "ministry": "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales",
        "status": "unterzeichnet",
        "is_demo": False,
    }
    assert [(p["category"], p["name"]) for p in data["projects"]] == OFFENBACH_PROJECTS
    assert [(s["place"], s["date"], s["name"], s["role"]) for s in data["signatures"]] == [
        ("Wiesbaden", "2025-08-06", "Heike Hofmann", "Staatsministerin"),
        ("Offenbach am Main", "2025-08-11", "Martin Wilhelm", "Stadtrat/Stadtkämmerer"),
    ]
    assert data["warnings"] == []
    assert data["sources"]["budget"] == {
        "page": 1,
        "line": 57,
        "snippet": "Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025 Haushaltsmittel in Höhe von insgesamt "
        "1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung.",
    }
    assert data["sources"]["partner"]["snippet"] == "und der Stadt Offenbach am Main"
    assert data["projects"][0]["source"] == {"page": 1, "line": 68, "snippet": "- Berufsvorbereitung Elektro"}
    assert agreement.status_date == date(2025, 8, 11)


@pytest.mark.parametrize(
    "amount_text, cents",
    [
        ("1.011.410 Euro", 101141000),
        ("879.800,00 €", 87980000),
        ("EUR 2.103.500", 210350000),
        ("€ 452.700", 45270000),
        ("1.011.410,- Euro", 101141000),
        ("1.011.410,55 EUR", 101141055),
        ("1\u00a0011\u00a0410 Euro", 101141000),
        ("1.011.410", 101141000),  # the number alone on its line
        ("1.011.410\n\nEuro", 101141000),  # number and unit split across lines
        ("1.011.410\nEuro", 101141000),
    ],
)
def test_budget_forms(seed_text, amount_text, cents):
    agreement = parse_text(seed_text.replace("1.011.410 Euro", amount_text))
    assert agreement.budget_cents == cents
    assert agreement.warnings == ()


def test_budget_inline_in_sentence(seed_text):
    text = seed_text.replace("insgesamt\n\n1.011.410 Euro\n\naus dem", "insgesamt 1.011.410 Euro aus dem")
    agreement = parse_text(text)
    assert agreement.budget_cents == 101141000
    assert agreement.sources["budget"].snippet.startswith("Das HMSI stellt der Stadt Offenbach am Main im Jahr 2025")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_encodings_and_line_endings(seed_text, encoding, newline):
    agreement = parse_text(seed_text.replace("\n", newline), encoding=encoding)
    assert summary(agreement) == SEED_SUMMARY


@pytest.mark.parametrize("bullet", ["–", "•", "*"])
def test_bullet_styles(seed_text, bullet):
    agreement = parse_text(seed_text.replace("\n - ", f"\n {bullet} "))
    assert summary(agreement) == SEED_SUMMARY


def test_numbering_with_parenthesis(seed_text):
    text = seed_text
    for n in "1234":
        text = text.replace(f"\n{n}. ", f"\n{n}) ")
    assert summary(parse_text(text)) == SEED_SUMMARY


@pytest.mark.parametrize("indent", ["", "   "])
def test_wrapped_project_name(seed_text, indent):
    text = seed_text.replace(
        "mit gesundheitlichen und psychosozialen Einschränkungen",
        f"mit gesundheitlichen und\n{indent}psychosozialen Einschränkungen",
    ).replace("Coaching und Unterrichtshilfen (CUBA)", f"Coaching und Unterrichtshilfen\n{indent}(CUBA)")
    assert summary(parse_text(text)) == SEED_SUMMARY


def test_wrapped_category_names(seed_text):
    text = seed_text.replace(
        "3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
        "3. Qualifizierungsprojekte zur Arbeitsmarktintegration,\nFachkräftesicherung",
    ).replace(
        "Städte in der fachlichen Verantwortung",
        "Städte in der\nfachlichen Verantwortung",
    )
    assert summary(parse_text(text)) == SEED_SUMMARY


def test_old_category_wording_and_quotes(seed_text):
    text = seed_text.replace("1. Ausbildungsvorbereitung", "1. Ausbildungs- und Qualifizierungsvorbereitung").replace(
        "- Jobcoach", "- „Perspektive Arbeit“ (Jobcoach)"
    )
    agreement = parse_text(text)
    assert [(p.measure_type_code, p.name) for p in agreement.projects][:4] == [
        (1, "Berufsvorbereitung Elektro"),
        (2, "BaE Teilzeit"),
        (2, "Coaching und Unterrichtshilfen (CUBA)"),
        (3, "„Perspektive Arbeit“ (Jobcoach)"),
    ]


def test_category_without_projects_is_a_warning(seed_text):
    text = seed_text.replace(" - Schulungen für Mitarbeiter/innen\n", "")
    agreement = parse_text(text)
    assert [p.measure_type_code for p in agreement.projects] == [1, 2, 2, 3, 3, 3, 3, 3]
    assert agreement.warnings == ("Maßnahmenart 4 (Weiterbildung Personal) ohne Projekte.",)


def test_long_german_dates(seed_text):
    text = seed_text.replace("6.8.2025", "15. März 2025").replace("11.8.2025", "2. Juli 2025")
    agreement = parse_text(text)
    assert [s.signed_date for s in agreement.signatures] == [date(2025, 3, 15), date(2025, 7, 2)]


def test_pdf_extraction_artifacts(seed_text):
    """Form feeds, running headers, page numbers, end-of-line hyphens, lost blank lines, ** emphasis."""
    lines = [ln for ln in seed_text.split("\n") if ln.strip()]  # lost blank lines
    text = "\n".join(lines)
    text = text.replace("- Berufsvorbereitung Elektro", "- Berufsvor-\nbereitung Elektro")
    text = text.replace("§ 4\n", "Seite 1 von 3\n\fZielvereinbarung AQB 2025 – Offenbach\n§ 4\n")
    text = text.replace("§ 6 **Zielsteuerung**", "Seite 2 von 3\n\fZielvereinbarung AQB 2025 – Offenbach\n§ 6 **Zielsteuerung**")
    text += "\nSeite 3 von 3\n"
    agreement = parse_text(text)
    assert summary(agreement) == SEED_SUMMARY
    assert agreement.page_count == 3
    assert agreement.sources["budget"].page == 2


def test_markdown_copy(seed_text):
    text = seed_text.replace("Zielvereinbarung\n", "# Zielvereinbarung\n").replace("§ 4\n", "## § 4\n")
    assert summary(parse_text(text, name="zv.md")) == SEED_SUMMARY


def _with_partner(seed_text: str, phrase: str) -> str:
    return seed_text.replace("und der Stadt Offenbach am Main", f"und {phrase}")


@pytest.mark.parametrize(
    "phrase, ags",
    [
        ("der Stadt Offenbach am Main", "06413"),
        ("dem Kreis Offenbach", "06438"),
        ("der Stadt Kassel", "06611"),
        ("dem Landkreis Kassel", "06633"),
        ("der Wissenschaftsstadt Darmstadt", "06411"),
        ("der Landeshauptstadt Wiesbaden", "06414"),
        ("dem Main-Kinzig-Kreis", "06435"),
        ("dem Kreisausschuss des Lahn-Dill-Kreises", "06532"),
        ("dem Landkreis Darmstadt-Dieburg", "06432"),
        ("dem Kreis Groß-Gerau", "06433"),
        ("dem Hochtaunuskreis, vertreten durch den Landrat", "06434"),
        ("dem Werra-Meißner-Kreis", "06636"),
        ("dem Landkreis Waldeck-Frankenberg", "06635"),
    ],
)
def test_partner_forms(seed_text, phrase, ags):
    assert parse_text(_with_partner(seed_text, phrase)).partner_ags == ags


def test_partner_name_wrapped_over_two_lines(seed_text):
    text = seed_text.replace("und der Stadt Offenbach am Main", "und dem Landkreis\nMarburg-Biedenkopf")
    assert parse_text(text).partner_ags == "06534"


def test_partner_mismatch_in_section_4_is_blocking(seed_text):
    agreement = parse_text(_with_partner(seed_text, "dem Kreis Offenbach"))
    assert agreement.partner_ags == "06438"
    assert agreement.blocking == ("§ 4 nennt Stadt Offenbach am Main, der Titel Kreis Offenbach.",)
    assert agreement.confidence["partner"] == Confidence(CHECK, agreement.blocking[0])


def test_year_mismatch_is_blocking(seed_text):
    text = seed_text.replace("im Jahr 2025 Haushaltsmittel", "im Jahr 2024 Haushaltsmittel")
    agreement = parse_text(text)
    assert agreement.agreement_year == 2025
    assert agreement.blocking == ("Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich.",)
    assert agreement.confidence["year"].level == CHECK
    assert str(refusal_for(agreement)) == (
        "zv.txt: nicht übernommen, Werte widersprechen sich: Jahr im Titel (2025) und in § 4 (2024) unterscheiden sich.")


def test_unsigned_draft(seed_text):
    text = seed_text.replace("Wiesbaden, den 6.8.2025", "Wiesbaden, den ________").split("Offenbach am Main, den 11.8")[0]
    agreement = parse_text(text)
    assert agreement.status == "entwurf"
    assert agreement.signatures[0].signed_date is None
    assert "nur eine Unterschrift gefunden." in agreement.warnings


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda t: t.replace("und der Stadt Offenbach am Main", "und der Stadt Mainz"),
         "zv.txt: Vertragspartner „der Stadt Mainz“ ist keine der 26 hessischen Gebietskörperschaften des AQB."),
        (lambda t: t.replace("und der Stadt Offenbach am Main", "und Offenbach"),
         "zv.txt: Vertragspartner „und Offenbach“ ist mehrdeutig (Stadt Offenbach am Main oder Kreis Offenbach)."),
        (lambda t: t.replace("und der Stadt Offenbach am Main", ""),
         "zv.txt: kein Vertragspartner (Landkreis oder kreisfreie Stadt) im Titel gefunden."),
        (lambda t: t.replace("und der Stadt Offenbach am Main", "und der Gebietskörperschaft Kassel"),
         "zv.txt: Vertragspartner „der Gebietskörperschaft Kassel“ ist mehrdeutig (Stadt Kassel oder Landkreis Kassel)."),
        (lambda t: t.replace("und der Stadt Offenbach am Main", "und der Stadt Fulda"),
         "zv.txt: Vertragspartner „der Stadt Fulda“ ist keine der 26 hessischen Gebietskörperschaften des AQB."),
        (lambda t: t.replace("1.011.410 Euro", "eine noch festzulegende Summe"),
         "zv.txt: kein Budgetbetrag in § 4 gefunden (erwartet z. B. „1.011.410 Euro“)."),
        (lambda t: t.replace("§ 4", "§ 4a").replace("§ 5", "§ 4").replace("§ 4a", "Abschnitt"),
         "zv.txt: kein Budgetbetrag in § 4 gefunden (erwartet z. B. „1.011.410 Euro“)."),
        (lambda t: t.replace("2025", "dieses Jahres"),
         "zv.txt: kein Vereinbarungsjahr gefunden (weder im Titel noch in § 4)."),
        (lambda t: "   \n\n  ", "zv.txt: Datei ist leer."),
    ],
)
def test_refusals(seed_text, mutate, message):
    with pytest.raises(DocumentRefused) as info:
        parse_text(mutate(seed_text))
    assert str(info.value) == message


def test_ambiguous_bare_partner_name(seed_text):
    text = seed_text.replace("und der Stadt Offenbach am Main", "und dem Partner Kassel")
    with pytest.raises(DocumentRefused) as info:
        parse_text(text)
    assert str(info.value) == "zv.txt: Vertragspartner „dem Partner Kassel“ ist mehrdeutig (Stadt Kassel oder Landkreis Kassel)."


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("zv.txt", b"\x00\x01\x02binary\x00" * 10, "zv.txt: Binärdatei: als Textdatei (.txt/.md) erwartet."),
        ("zv.pdf", b"Zielvereinbarung 2025", "zv.pdf: Endung .pdf, aber der Inhalt ist keine PDF-Datei."),
        ("zv.pdf", b"%PDF-1.7\n garbage garbage", "zv.pdf: PDF nicht lesbar (beschädigt oder kein gültiges PDF)."),
        ("zv.docx", b"not a zip at all", "zv.docx: Endung .docx, aber der Inhalt ist kein Word-Dokument (DOCX)."),
        ("zv.doc", b"Zielvereinbarung", "zv.doc: Dateityp „.doc“ wird nicht unterstützt (erlaubt: PDF, DOCX, TXT, MD)."),
        ("zv.txt", b"", "zv.txt: Datei ist leer."),
        ("zv.txt", "Zielvereinbarung \x81\x8d".encode("latin-1") + b"\x90\x9d",
         "zv.txt: Zeichenkodierung nicht lesbar (erwartet UTF-8 oder Windows-1252)."),
    ],
)
def test_bad_files(name, data, message):
    with pytest.raises(DocumentRefused) as info:
        parse_bytes(name, data, REFERENCE, 20 * MB)
    assert str(info.value) == message


def test_size_limit(seed_text):
    with pytest.raises(DocumentRefused) as info:
        parse_bytes("gross.txt", seed_text.encode() * 10, REFERENCE, 50_000)
    assert str(info.value) == "gross.txt: Datei ist 0.1 MB groß (höchstens 0 MB)."


def test_demo_marker(seed_text):
    agreement = parse_text("DEMODATEN – nicht amtlich. Erzeugt vom AQB-Dashboard.\n" + seed_text)
    assert agreement.is_demo is True
    assert summary(agreement) == SEED_SUMMARY


def test_project_amounts_that_add_up(seed_text):
    amounts = ["100.000", "150.000", "61.410", "100.000", "100.000", "100.000", "100.000", "100.000", "200.000"]
    text = seed_text
    for (_, name), amount in zip(OFFENBACH_PROJECTS, amounts):
        text = text.replace(f"- {name}\n", f"- {name} ({amount} Euro)\n", 1)
    agreement = parse_text(text)
    assert [(p.name, p.amount_cents) for p in agreement.projects][:3] == [
        ("Berufsvorbereitung Elektro", 10000000), ("BaE Teilzeit", 15000000),
        ("Coaching und Unterrichtshilfen (CUBA)", 6141000),
    ]
    assert agreement.warnings == ()


def test_amounts_that_do_not_add_up_are_blocking(seed_text):
    text = seed_text.replace("1. Ausbildungsvorbereitung", "1. Ausbildungsvorbereitung: 200.000 Euro")
    text = text.replace("2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
                        "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen – 300.000 €")
    text = text.replace("3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
                        "3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung: 400.000 Euro")
    text = text.replace("im Kontext der Arbeitsmarktförderung\n", "im Kontext der Arbeitsmarktförderung: 11.000 Euro\n")
    agreement = parse_text(text)
    assert [(p.measure_type_code, p.name) for p in agreement.projects] == OFFENBACH_PROJECTS
    assert agreement.warnings == ()
    assert agreement.blocking == (
        "Summe der Beträge je Maßnahmenart in § 5 (911.000 €) weicht vom Budget in § 4 (1.011.410 €) ab.",
    )
