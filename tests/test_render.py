"""Rendering agreements as text, PDF and DOCX in the wording and layout of the real document."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from aqb.model import AgreementSpec, SignatureSpec
from aqb.demo.styles import DEMO_NOTICE, TextStyle
from aqb.demo.wording import format_budget, partner_forms
from aqb.demo.text_writer import render_text, write_text
from aqb.demo.docx_writer import write_docx
from aqb.demo.pdf_writer import write_pdf

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "data" / "reference"
SEED_FILE = ROOT / "data" / "agreements" / "zielvereinbarung_2025_offenbach_am_main.txt"
MINISTRY_2025 = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"

OFFENBACH_2025 = AgreementSpec(
    year=2025,
    partner_ags="06413",
    budget_cents=101_141_000,
    ministry_name=MINISTRY_2025,
    projects=(
        (1, "Berufsvorbereitung Elektro"),
        (2, "BaE Teilzeit"),
        (2, "Coaching und Unterrichtshilfen (CUBA)"),
        (3, "Jobcoach"),
        (3, "Interkulturelle Gruppe"),
        (3, "Coaching von jungen Wohnungssuchenden"),
        (3, "Fallmanagement für Erziehende"),
        (3, "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen"),
        (4, "Schulungen für Mitarbeiter/innen"),
    ),
    signatures=(
        SignatureSpec("Wiesbaden", date(2025, 8, 6), "Heike Hofmann", "Staatsministerin"),
        SignatureSpec("Offenbach am Main", date(2025, 8, 11), "Martin Wilhelm", "Stadtrat/Stadtkämmerer"),
    ),
    is_demo=False,
)
DEMO = dataclasses.replace(OFFENBACH_2025, is_demo=True)


def test_default_rendering_reproduces_the_real_agreement():
    seed = SEED_FILE.read_text(encoding="utf-8").lstrip("\n")
    # The source file has a page break inside one § 1 sentence; everything else is verbatim.
    seed = seed.replace("Qualifizierungsprojekte zur\n\nArbeitsmarktintegration", "Qualifizierungsprojekte zur Arbeitsmarktintegration")
    assert render_text(OFFENBACH_2025, REF) == seed + "\n"


@pytest.mark.parametrize(
    ("budget_format", "expected"),
    [
        ("euro_suffix", "insgesamt\n\n1.011.410 Euro\n\naus dem"),
        ("cents_symbol", "insgesamt\n\n1.011.410,00 €\n\naus dem"),
        ("eur_prefix", "insgesamt\n\nEUR 1.011.410\n\naus dem"),
        ("split", "insgesamt\n\n1.011.410\nEuro\n\naus dem"),
        ("inline", "in Höhe von insgesamt 1.011.410 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung."),
    ],
)
def test_budget_formats(budget_format, expected):
    assert expected in render_text(OFFENBACH_2025, REF, TextStyle(budget_format=budget_format))


def test_format_budget_keeps_cents_exact():
    assert format_budget(123_456_789, "euro_suffix") == "1.234.567,89 Euro"
    assert format_budget(123_456_789, "cents_symbol") == "1.234.567,89 €"
    assert format_budget(50_000, "eur_prefix") == "EUR 500"
    with pytest.raises(TypeError):
        format_budget(1011410.0, "euro_suffix")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("official_name", "kind", "nominative", "dative", "genitive"),
    [
        ("Stadt Offenbach am Main", "kreisfreie Stadt", "die Stadt Offenbach am Main", "der Stadt Offenbach am Main", "der Stadt Offenbach am Main"),
        ("Wissenschaftsstadt Darmstadt", "kreisfreie Stadt", "die Wissenschaftsstadt Darmstadt", "der Wissenschaftsstadt Darmstadt", "der Wissenschaftsstadt Darmstadt"),
        ("Landeshauptstadt Wiesbaden", "kreisfreie Stadt", "die Landeshauptstadt Wiesbaden", "der Landeshauptstadt Wiesbaden", "der Landeshauptstadt Wiesbaden"),
        ("Kreis Offenbach", "Landkreis", "der Kreis Offenbach", "dem Kreis Offenbach", "des Kreises Offenbach"),
        ("Landkreis Kassel", "Landkreis", "der Landkreis Kassel", "dem Landkreis Kassel", "des Landkreises Kassel"),
        ("Landkreis Gießen", "Landkreis", "der Landkreis Gießen", "dem Landkreis Gießen", "des Landkreises Gießen"),
        ("Main-Kinzig-Kreis", "Landkreis", "der Main-Kinzig-Kreis", "dem Main-Kinzig-Kreis", "des Main-Kinzig-Kreises"),
        ("Hochtaunuskreis", "Landkreis", "der Hochtaunuskreis", "dem Hochtaunuskreis", "des Hochtaunuskreises"),
        ("Lahn-Dill-Kreis", "Landkreis", "der Lahn-Dill-Kreis", "dem Lahn-Dill-Kreis", "des Lahn-Dill-Kreises"),
        ("Kreis Bergstraße", "Landkreis", "der Kreis Bergstraße", "dem Kreis Bergstraße", "des Kreises Bergstraße"),
    ],
)
def test_partner_declension(official_name, kind, nominative, dative, genitive):
    forms = partner_forms(official_name, kind)
    assert (forms.nominative, forms.dative, forms.genitive) == (nominative, dative, genitive)


def test_county_wording_in_the_document():
    spec = dataclasses.replace(OFFENBACH_2025, partner_ags="06435")
    text = render_text(spec, REF)
    assert "\nund dem Main-Kinzig-Kreis\n" in text
    assert "\nDer Main-Kinzig-Kreis finanziert mit den Mitteln" in text
    assert "\nZiele für die Umsetzung des Main-Kinzig-Kreises\n" in text
    assert "Antragstellung durch den Main-Kinzig-Kreis vom Regierungspräsidium" in text
    assert text.endswith("\nMartin Wilhelm\nStadtrat/Stadtkämmerer\ndes Main-Kinzig-Kreises\n")


def test_old_ministry_wording():
    spec = dataclasses.replace(OFFENBACH_2025, year=2021, ministry_name="Hessisches Ministerium für Soziales und Integration")
    text = render_text(spec, REF)
    assert "\ndem Hessischen Ministerium für Soziales und Integration\n" in text
    assert "aus der Sicht des Hessischen Ministeriums für Soziales und Integration eine" in text
    assert "„Bündnis für Ausbildung für die Jahre 2020 bis 2024“" in text
    assert "Im Jahr 2021 werden im Rahmen des AQB" in text


def test_demo_notice_is_the_first_line():
    assert render_text(DEMO, REF).split("\n")[0] == DEMO_NOTICE
    assert render_text(DEMO, REF, TextStyle(page_furniture=True)).split("\n")[0] == DEMO_NOTICE
    assert "DEMODATEN" not in render_text(OFFENBACH_2025, REF)


def test_bullets_numbering_and_all_four_headings():
    text = render_text(OFFENBACH_2025, REF, TextStyle(bullet="•", numbering="1)", emphasis=False))
    lines = text.split("\n")
    start = lines.index("1) Ausbildungsvorbereitung")
    assert lines[start:start + 5] == [
        "1) Ausbildungsvorbereitung",
        " • Berufsvorbereitung Elektro",
        "2) Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
        " • BaE Teilzeit",
        " • Coaching und Unterrichtshilfen (CUBA)",
    ]
    assert "**" not in text
    empty_type = dataclasses.replace(OFFENBACH_2025, projects=((3, "Jobcoach"),))
    lines = render_text(empty_type, REF).split("\n")
    heads = [line for line in lines if line[:3] in ("1. ", "2. ", "3. ", "4. ")]
    assert [h[:3] for h in heads] == ["1. ", "2. ", "3. ", "4. "]
    assert lines[lines.index(heads[2]) + 1] == " - Jobcoach"
    assert heads[3].startswith("4. Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen")


def test_wrap_keeps_width_and_indents_item_continuations():
    text = render_text(OFFENBACH_2025, REF, TextStyle(wrap=40))
    lines = text.split("\n")
    assert max(len(line) for line in lines) <= 40
    start = lines.index(" - Fallmanagement für Personen mit")
    assert lines[start:start + 3] == [" - Fallmanagement für Personen mit", "  gesundheitlichen und psychosozialen", "  Einschränkungen"]
    # Never a dash at the start of a continuation line: it would read as a new bullet.
    assert not any(line.startswith(("– ", "- ")) for line in lines)


def test_page_furniture_and_dropped_blank_lines():
    text = render_text(OFFENBACH_2025, REF, TextStyle(page_furniture=True, drop_blank_lines=True, long_dates=True))
    pages = text.rstrip("\n").split("\f")
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        lines = page.split("\n")
        assert lines[0] == "Zielvereinbarung AQB 2025 – Stadt Offenbach am Main"
        assert lines[-1] == f"Seite {number} von 3"
        assert "" not in lines
    assert "\nWiesbaden, den 6. August 2025\n" in text
    assert "\nOffenbach am Main, den 11. August 2025\n" in text


def test_cp1252_crlf_bytes(tmp_path):
    path = write_text(OFFENBACH_2025, tmp_path / "zv.txt", REF, encoding="cp1252", newline="\r\n")
    data = path.read_bytes()
    assert data == render_text(OFFENBACH_2025, REF).replace("\n", "\r\n").encode("cp1252")
    assert b"\r\n1.011.410 Euro\r\n" in data
    assert "„Arbeitswelt Hessen“".encode("cp1252") == b"\x84Arbeitswelt Hessen\x93" and b"\x84Arbeitswelt Hessen\x93" in data
    assert b"Ma\xdfnahmenarten" in data and b"f\xfcr Arbeit" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_utf8_sig_has_bom(tmp_path):
    data = write_text(DEMO, tmp_path / "zv.txt", REF, encoding="utf-8-sig").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf" + DEMO_NOTICE.encode("utf-8") + b"\n")


def test_pdf_text_and_determinism(tmp_path):
    spec = dataclasses.replace(DEMO, projects=DEMO.projects + ((3, "Qualifizierungsgutschein (bis 500 €) – „Neustart“"),))
    first = write_pdf(spec, tmp_path / "a.pdf", REF)
    second = write_pdf(spec, tmp_path / "b.pdf", REF)
    assert first.read_bytes() == second.read_bytes()
    reader = PdfReader(first)
    assert len(reader.pages) >= 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.split("\n")[0] == DEMO_NOTICE
    assert "und der Stadt Offenbach am Main" in text
    assert "1.011.410 Euro" in text
    assert "Seite 1 von" in text and f"Seite {len(reader.pages)} von {len(reader.pages)}" in text
    assert "Zielvereinbarung AQB 2025 – Stadt Offenbach am Main" in text
    assert "• Qualifizierungsgutschein (bis 500 €) – „Neustart“" in text
    assert "Maßnahmenarten" in text and "Förderung" in text and "Bedürfnissen" in text


def test_docx_paragraphs_in_order(tmp_path):
    first = write_docx(DEMO, tmp_path / "a.docx", REF)
    second = write_docx(DEMO, tmp_path / "b.docx", REF)
    assert first.read_bytes() == second.read_bytes()
    document = docx.Document(str(first))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == DEMO_NOTICE
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bullets == [name for _, name in DEMO.projects]
    headings = [p.text for p in paragraphs if p.text[:3] in ("1. ", "2. ", "3. ", "4. ")]
    assert [h[:3] for h in headings] == ["1. ", "2. ", "3. ", "4. "]
    texts = [p.text for p in paragraphs]
    assert texts[texts.index("1. Ausbildungsvorbereitung") + 1] == "Berufsvorbereitung Elektro"
    assert "1.011.410 Euro" in texts
    assert document.sections[0].header.paragraphs[0].text == DEMO_NOTICE
    assert texts[-4:] == ["Martin Wilhelm", "Stadtrat/Stadtkämmerer", "der Stadt", "Offenbach am Main"]
