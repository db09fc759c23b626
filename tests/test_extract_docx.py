"""DOCX extraction: body order, Word numbering, tracked changes, content controls, layout tables."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from aqb.ingest.extract import extract
from aqb.ingest.extract_docx import TRACKED_CHANGES, Numbering, format_number

OFFICE = Path(__file__).parent / "fixtures" / "office"
MB = 1 << 20


def texts(name: str, data: bytes) -> list[str]:
    return [line.text for page in extract(name, data, MB).pages for line in page if line.text.strip()]


def numbering(xml: str) -> Numbering:
    return Numbering(parse_xml(f"<w:numbering {nsdecls('w')}>{xml}</w:numbering>"))


LEVELS = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="§ %1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
    '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
    '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>'
)


def test_numbering_labels_count_per_level_and_restart_deeper_levels():
    n = numbering(LEVELS)
    labels = [n.label("1", lvl) for lvl in (0, 1, 1, 2, 0, 1, 3, 2)]
    # Each level shows its own format, as Word does ("%1.%2.%3" = "1.b.I").
    assert labels == ["§ 1", "a)", "b)", "1.b.I", "§ 2", "a)", "-", "2.a.I"]


def test_legal_numbering_shows_every_level_as_decimal():
    n = numbering(LEVELS.replace('<w:numFmt w:val="upperRoman"/>', '<w:numFmt w:val="upperRoman"/><w:isLgl/>'))
    assert [n.label("1", lvl) for lvl in (0, 1, 1, 2)] == ["§ 1", "a)", "b)", "1.2.1"]


def test_numbering_start_override_and_unknown_lists():
    n = numbering(LEVELS)
    assert [n.label("2", 0), n.label("2", 0), n.label("1", 0)] == ["§ 4", "§ 5", "§ 1"]
    assert [n.label("9", 0), n.label("0", 0), n.label("1", 7)] == [None, None, None]


@pytest.mark.parametrize(("n", "fmt", "label"), [
    (4, "decimal", "4"), (4, "lowerRoman", "iv"), (14, "upperRoman", "XIV"), (3, "lowerLetter", "c"),
    (28, "upperLetter", "BB"), (2, "none", ""), (7, "decimalZero", "7"),
])
def test_format_number(n, fmt, label):
    assert format_number(n, fmt) == label


def test_word_document_in_body_order_with_numbering_changes_and_content_controls():
    data = (OFFICE / "zv_2024_kassel.docx").read_bytes()
    extracted = extract("zv_2024_kassel.docx", data, MB)
    lines = [line.text for line in extracted.pages[0] if line.text.strip()]
    assert extracted.warnings == (TRACKED_CHANGES,)
    assert "und der Stadt Kassel" in lines  # the partner sits in a content control
    start = lines.index("§ 4 Haushaltsmittel und Eckdaten")
    assert lines[start: start + 18] == [
        "§ 4 Haushaltsmittel und Eckdaten",
        "Das HMSI stellt der Stadt Kassel im Jahr 2024 Haushaltsmittel in Höhe von insgesamt",
        "1.204.300 Euro",  # "1.184.300" is a tracked deletion
        "aus dem Ausbildungs- und Qualifizierungsbudget 2024 zur Verfügung.",
        "§ 5 Ziele für die Umsetzung der Stadt Kassel",
        "Die Stadt Kassel finanziert mit den Mitteln des Ausbildungs- und Qualifizierungsbudgets 2024 in den "
        "jeweiligen Maßnahmenarten folgende Projekte:",
        "1. Ausbildungsvorbereitung",
        "- Produktionsschule Kassel",
        "- Berufsorientierung im Handwerk",
        "2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
        "- Teilzeitausbildung für junge Mütter und Väter",
        "- Ausbildungscoaching Kassel",
        "3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
        "- Qualifizierung in der Pflegehilfe",
        "- Sprachkurs mit Fachpraxis",  # a tracked insertion; "Werkstatt für Wiedereinsteiger" was deleted
        "4. Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen "
        "Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
        "- Fortbildung Fallmanagement",
        "Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach Antragstellung "
        "durch die Stadt Kassel vom Regierungspräsidium Kassel erlassenen – Bescheides.",
    ]
    # The borderless signature table (inside a content control) is read column by column.
    assert lines[-10:] == ["Wiesbaden, den 20.8.2024", "Markus Albrecht", "Staatssekretär", "Hessisches Ministerium",
                           "für Arbeit, Integration,", "Jugend und Soziales",
                           "Kassel, den 27.8.2024", "Claudia Wendel", "Bürgermeisterin", "der Stadt Kassel"]
    assert not any("AQB 2024" in t or t.startswith("Seite") for t in lines)  # header and footer are not read
    assert "Werkstatt für Wiedereinsteiger" not in " ".join(lines)


def test_word_table_is_in_its_place_with_merged_cells_empty():
    data = (OFFICE / "zv_2023_darmstadt_dieburg.docx").read_bytes()
    page = extract("dd.docx", data, MB).pages[0]
    texts_ = [line.text for line in page]
    first = next(i for i, line in enumerate(page) if line.cells)
    assert texts_[first - 1].endswith("folgende Projekte:")
    rows = [line.cells for line in page if line.cells]
    assert rows[:3] == [
        ("Maßnahmenart", "Projekt", "Träger", "Betrag"),
        ("1. Ausbildungsvorbereitung", "Werkstattjahr Dieburg", "Berufsbildungswerk Südhessen gGmbH", "184.500 €"),
        ("", "Berufsorientierung für Geflüchtete", "Internationaler Bund Südwest gGmbH", "96.400 €"),
    ]
    assert rows[8] == ("", "Arbeitsmarktintegrationsbegleitung für Zugewanderte", "Caritasverband Darmstadt e.V.",
                       "70.000 €")  # soft hyphens removed, ligatures resolved
    assert rows[-1] == ("Summe", "", "", "1.326.900 €")
    assert texts_[texts_.index(page[first + len(rows) - 1].text) + 1].startswith("Die Förderung")
    assert "1 326 900 Euro" in " ".join(texts_)  # narrow no-break spaces became plain spaces


def small_docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_list_styles_without_numbering_definitions_and_layout_table_of_three_columns():
    def build(document):
        document.add_paragraph("Ausbildungsvorbereitung", style="List Number")
        document.add_paragraph("Werkstatt", style="List Bullet")
        document.add_paragraph("Qualifizierung", style="List Number")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Wiesbaden, den 1.2.2024", "Fulda, den 3.2.2024"
        table.cell(1, 0).text, table.cell(1, 1).text = "Anna Roth", "Ben Kurz"
        table2 = document.add_table(rows=1, cols=3)
        for cell, text in zip(table2.rows[0].cells, ("a", "b", "c")):
            cell.text = text

    assert texts("zv.docx", small_docx(build)) == [
        "1. Ausbildungsvorbereitung", "- Werkstatt", "2. Qualifizierung",
        "Wiesbaden, den 1.2.2024", "Anna Roth", "Fulda, den 3.2.2024", "Ben Kurz", "a | b | c"]


def test_word_page_breaks_make_pages_without_cutting_a_line():
    def build(document):
        document.add_paragraph("Seite eins")
        p = document.add_paragraph()
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:br w:type="page"/><w:t>Anfang Seite zwei</w:t></w:r>'))
        p = document.add_paragraph()
        # Word's last rendered break inside a sentence: the page changes after the paragraph.
        p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">1.011.410 </w:t>'
                              '<w:lastRenderedPageBreak/><w:t>Euro</w:t></w:r>'))
        document.add_paragraph("Seite drei")
        p = document.add_paragraph("Seite vier")
        p.paragraph_format.page_break_before = True

    pages = extract("zv.docx", small_docx(build), MB).pages
    assert [[line.text for line in page] for page in pages] == [
        ["Seite eins"], ["Anfang Seite zwei", "1.011.410 Euro"], ["Seite drei"], ["Seite vier"]]
    assert pages[1][1].page == 2 and pages[3][0].number == 1
