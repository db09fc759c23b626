"""Extraction of text files: encodings, normalisation, Markdown tables, `pdftotext -layout` columns."""

from __future__ import annotations

import pytest

from aqb.errors import DocumentRefused
from aqb.ingest.extract import Line, extract
from aqb.ingest.layout import arrange, split_spaced
from aqb.ingest.normalize import join_wrapped, normalize_text

MB = 1 << 20


def lines(name: str, data: bytes) -> list[tuple[str, tuple[str, ...]]]:
    return [(line.text, line.cells) for page in extract(name, data, MB).pages for line in page]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-8", "cp1252"])
def test_encodings_word_writes(encoding):
    text = "Zielvereinbarung 2024\r\nMaßnahmen für Geflüchtete – „Jobcoach“\r\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # Word's "Unicode-Text" always starts with the BOM
        data = ("\ufeff" + text).encode(encoding)
    assert [t for t, _ in lines("zv.txt", data)] == [
        "Zielvereinbarung 2024", "Maßnahmen für Geflüchtete – „Jobcoach“", ""]


def test_broken_utf16_is_refused():
    with pytest.raises(DocumentRefused) as info:
        extract("zv.txt", b"\xff\xfeZ\x00\x00\xd8", MB)
    assert str(info.value) == "zv.txt: Zeichenkodierung nicht lesbar (UTF-16 fehlerhaft)."


def test_special_spaces_ligatures_soft_hyphens_and_page_breaks():
    text = ("1\u202f326\u00a0900 Euro und 1\u2009083\u2007700 €\r\nQualiﬁzierung ﬂexibel\n"
            "Fallmanage\u00adment\nFallmanage\u00ad\nment\fSeite 2")
    pages = extract("zv.txt", text.encode("utf-8"), MB).pages
    assert [[line.text for line in page] for page in pages] == [
        ["1 326 900 Euro und 1 083 700 €", "Qualifizierung flexibel", "Fallmanagement", "Fallmanage-", "ment"],
        ["Seite 2"],
    ]
    assert pages[1][0] == Line(2, 1, "Seite 2")


def test_markdown_table_rows_become_cells_and_separator_rows_go():
    md = ("Text davor\n| Maßnahmenart | Projekt | Betrag |\n|:---|---|---:|\n"
          "| 1. Ausbildungsvorbereitung | **Werkstatt** *Plus* | 10.000 € |\n| **Summe** | | 10.000 € |\n")
    assert lines("zv.md", md.encode()) == [
        ("Text davor", ()),
        ("Maßnahmenart | Projekt | Betrag", ("Maßnahmenart", "Projekt", "Betrag")),
        ("1. Ausbildungsvorbereitung | Werkstatt Plus | 10.000 €", ("1. Ausbildungsvorbereitung", "Werkstatt Plus", "10.000 €")),
        ("Summe |  | 10.000 €", ("Summe", "", "10.000 €")),
        ("", ()),
    ]


LAYOUT_SIGNATURES = """Die Zielvereinbarungen werden veröffentlicht.

Wiesbaden, den 20.8.2024                     Kassel, den 27.8.2024



Markus Albrecht                              Claudia Wendel
Staatssekretär                               Bürgermeisterin
Hessisches Ministerium                       der Stadt Kassel
für Arbeit, Integration,
Jugend und Soziales
"""


def test_pdftotext_layout_signature_columns_are_read_one_after_the_other():
    texts = [t for t, _ in lines("zv.txt", LAYOUT_SIGNATURES.encode()) if t]
    assert texts == [
        "Die Zielvereinbarungen werden veröffentlicht.",
        "Wiesbaden, den 20.8.2024", "Markus Albrecht", "Staatssekretär", "Hessisches Ministerium",
        "für Arbeit, Integration,", "Jugend und Soziales",
        "Kassel, den 27.8.2024", "Claudia Wendel", "Bürgermeisterin", "der Stadt Kassel",
    ]


def test_word_text_export_tab_columns_and_list_tabs():
    text = ("1.\tAusbildungsvorbereitung\n•\tPraxisklasse\n2.\tAusbildung\n\n"
            "Wiesbaden, den 12.9.2022\tGießen, den 19.9.2022\nSabine Richter\tMartin Vogt\n"
            "Staatssekretärin\tErster Kreisbeigeordneter\nfür Soziales und Integration\n")
    texts = [t for t, _ in lines("zv.txt", text.encode("utf-16")) if t]
    assert texts == ["1. Ausbildungsvorbereitung", "• Praxisklasse", "2. Ausbildung",
                     "Wiesbaden, den 12.9.2022", "Sabine Richter", "Staatssekretärin", "für Soziales und Integration",
                     "Gießen, den 19.9.2022", "Martin Vogt", "Erster Kreisbeigeordneter"]


def test_layout_table_with_wrapped_cells_and_sum_row():
    text = ("Maßnahmenart        Projekt                 Träger          Betrag\n"
            "1. Ausbildungs-     Werkstatt               GFFB gGmbH      120.000 €\n"
            "vorbereitung        Elektro\n"
            "                    Jobcoach                Caritas         50.000 €\n"
            "Summe                                                       170.000 €\n")
    assert [c for _, c in lines("zv.txt", text.encode())] == [
        ("Maßnahmenart", "Projekt", "Träger", "Betrag"),
        ("1. Ausbildungsvorbereitung", "Werkstatt Elektro", "GFFB gGmbH", "120.000 €"),
        ("", "Jobcoach", "Caritas", "50.000 €"),
        ("Summe", "", "", "170.000 €"),
        (),
    ]


def test_gaps_inside_one_line_of_prose_do_not_make_columns():
    text = "Das HMSI stellt   insgesamt 1.011.410 Euro   zur Verfügung.\n    - eingerückt\n"
    assert [t for t, _ in lines("zv.txt", text.encode())] == [
        "Das HMSI stellt   insgesamt 1.011.410 Euro   zur Verfügung.", "    - eingerückt", ""]


def test_join_wrapped_soft_and_hard_hyphens():
    assert join_wrapped(["Arbeitsmarktintegrations-", "begleitung für", "Zugewanderte"]) == \
        "Arbeitsmarktintegrationsbegleitung für Zugewanderte"
    assert join_wrapped(["Fallmanage\u00ad", "ment"]) == "Fallmanagement"
    assert join_wrapped(["Ausbildungs-", "und Qualifizierungsbudget"]) == "Ausbildungs- und Qualifizierungsbudget"
    assert join_wrapped(["Main-", "Kinzig-Kreis"]) == "Main-Kinzig-Kreis"
    assert join_wrapped(["", "  Jobcoach  ", ""]) == "Jobcoach"


def test_normalize_keeps_digit_groups_apart_by_one_space():
    assert normalize_text("1\u202f011\u00a0410\u2009€\r\n") == "1 011 410 €\n"


def test_split_spaced_and_arrange_two_rows_only_on_the_right_are_not_columns():
    rows = [split_spaced("Wiesbaden, den 1.1.2024      Kassel, den 2.1.2024"), split_spaced("ein Satz")]
    assert arrange(rows, tol=2) == ["Wiesbaden, den 1.1.2024 Kassel, den 2.1.2024", "ein Satz"]


CENTRED_SIGNATURES = """        Wiesbaden, den 3.5.2018                        Gelnhausen, den 14.5.2018

             Bernd Hollmann                                 Jörg Sauerwein
              Staatssekretär                          Erster Kreisbeigeordneter
          Hessisches Ministerium                        des Main-Kinzig-Kreises
        für Soziales und Integration
Die Zielvereinbarungen werden auf dem Internetportal des HMSI veröffentlicht, sobald beide unterschrieben haben.
"""


def test_centred_signature_columns_and_a_full_width_line_after_them():
    texts = [t for t, _ in lines("zv.txt", CENTRED_SIGNATURES.encode()) if t]
    assert [t.strip() for t in texts] == [
        "Wiesbaden, den 3.5.2018", "Bernd Hollmann", "Staatssekretär", "Hessisches Ministerium",
        "für Soziales und Integration",
        "Gelnhausen, den 14.5.2018", "Jörg Sauerwein", "Erster Kreisbeigeordneter", "des Main-Kinzig-Kreises",
        "Die Zielvereinbarungen werden auf dem Internetportal des HMSI veröffentlicht, sobald beide unterschrieben haben.",
    ]
