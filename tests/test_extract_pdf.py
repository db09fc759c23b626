"""PDF extraction: LibreOffice-made PDFs (tables over a page break, columns, furniture), passwords, scans."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from aqb.errors import DocumentRefused
from aqb.ingest import ocr
from aqb.ingest.extract import extract
from aqb.ingest.extract_pdf import PASSWORD_PROTECTED
from aqb.ingest.textclean import clean_lines

OFFICE = Path(__file__).parent / "fixtures" / "office"
MB = 20 << 20


def fixture(name: str):
    return extract(name, (OFFICE / name).read_bytes(), MB)


def refused(name: str, data: bytes) -> str:
    with pytest.raises(DocumentRefused) as info:
        extract(name, data, MB)
    return str(info.value)


def test_section_5_table_over_a_page_break_keeps_rows_cells_and_repeated_header():
    pages = fixture("zv_2023_darmstadt_dieburg.pdf").pages
    rows = [(line.page, line.cells) for page in pages for line in page if line.cells]
    header = ("Maßnahmenart", "Projekt", "Träger", "Betrag")
    assert rows == [
        (2, header),
        (2, ("1. Ausbildungsvorbereitung", "Werkstattjahr Dieburg", "Berufsbildungswerk Südhessen gGmbH", "184.500 €")),
        (2, ("", "Berufsorientierung für Geflüchtete", "Internationaler Bund Südwest gGmbH", "96.400 €")),
        (2, ("2. Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
             "Ausbildungscoaching im Landkreis", "Kreishandwerkerschaft Darmstadt-Dieburg", "212.000 €")),
        (2, ("", "Teilzeitberufsausbildung (TZBA)", "Frauenbetriebe e.V.", "148.000 €")),
        (2, ("3. Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
             "Fallmanagement für Alleinerziehende", "Kreisagentur für Beschäftigung", "231.000 €")),
        (2, ("", "Qualifizierung Lagerlogistik mit Staplerschein", "JOB Gesellschaft für Arbeit mbH", "189.000 €")),
        (2, ("", "Sprach- und Berufspraxis im Gesundheitswesen", "Volkshochschule Darmstadt-Dieburg", "164.000 €")),
        (3, header),
        # wrapped in the cell at its soft hyphens: one word again
        (3, ("", "Arbeitsmarktintegrationsbegleitung für Zugewanderte", "Caritasverband Darmstadt e.V.", "70.000 €")),
        (3, ("4. Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte",
             "Schulungen für Fachkräfte der Kreisagentur", "Kreisagentur für Beschäftigung", "32.000 €")),
        (3, ("Summe", "", "", "1.326.900 €")),
    ]


def test_table_sits_between_the_text_before_and_after_it():
    page = fixture("zv_2023_darmstadt_dieburg.pdf").pages[1]
    texts = [line.text for line in page if line.text.strip()]
    first = next(i for i, t in enumerate(texts) if t.startswith("Maßnahmenart |"))
    assert texts[first - 1] == "Qualifizierungsbudgets 2023 in den jeweiligen Maßnahmenarten folgende Projekte:"
    assert texts[-1] == "Seite 2 von 3"


def test_running_header_and_footer_are_furniture_and_signatures_are_read_column_by_column():
    cleaned = [line.text for line in clean_lines(fixture("zv_2023_darmstadt_dieburg.pdf").pages) if line.text]
    assert not [t for t in cleaned if t.startswith("Seite") or "Zielvereinbarung AQB 2023" in t]
    assert cleaned[-9:] == ["Wiesbaden, den 14.7.2023", "Thomas Reinhardt", "Staatssekretär", "Hessisches Ministerium",
                            "für Soziales und Integration", "Darmstadt, den 21.7.2023", "Petra Kühn", "Landrätin",
                            "des Landkreises Darmstadt-Dieburg"]
    joined = " ".join(cleaned)
    assert "1 326 900 Euro" in joined and "ﬂ" not in joined and "flexible" in joined


def test_owner_password_pdf_reads_like_the_open_one():
    plain = fixture("zv_2024_kassel.pdf").pages
    assert fixture("zv_2024_kassel_owner_password.pdf").pages == plain


def test_pdf_that_needs_a_password_to_open_is_refused_with_one_line():
    data = (OFFICE / "zv_2024_kassel_user_password.pdf").read_bytes()
    assert refused("zv.pdf", data) == f"zv.pdf: {PASSWORD_PROTECTED}"
    assert PASSWORD_PROTECTED == "PDF ist mit einem Kennwort geschützt und kann nicht geöffnet werden."


def test_pdf_without_text_or_images_is_refused():
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.rect(100, 100, 200, 200)
    c.showPage()
    c.save()
    assert refused("leer.pdf", out.getvalue()) == "leer.pdf: PDF enthält keinen Text."


def image_pdf(pages: int, text: str = "") -> bytes:
    """An image-only PDF: the text drawn by reportlab, rendered to pixels, saved as pictures."""
    drawn = io.BytesIO()
    c = canvas.Canvas(drawn, pagesize=A4)
    for _ in range(pages):
        y = 760
        for line in text.split("\n"):
            c.setFont("Helvetica", 13)
            c.drawString(72, y, line)
            y -= 22
        c.showPage()
    c.save()
    pdf = pypdfium2.PdfDocument(drawn.getvalue())
    images = [pdf[i].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    pdf.close()
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=200)
    return out.getvalue()


SCAN_TEXT = "Zielvereinbarung 2025\n\n§ 4\nHaushaltsmittel und Eckdaten\n1.011.410 Euro\n\nWiesbaden, den 6.8.2025"


def test_scan_is_read_by_ocr_with_its_mark_and_confidence():
    extracted = extract("scan.pdf", image_pdf(1, SCAN_TEXT), MB)
    texts = [line.text for page in extracted.pages for line in page if line.text.strip()]
    assert texts == ["Zielvereinbarung 2025", "§ 4", "Haushaltsmittel und Eckdaten", "1.011.410 Euro",
                     "Wiesbaden, den 6.8.2025"]
    assert extracted.is_ocr is True
    assert 80 <= extracted.ocr_confidence <= 100


def test_scan_without_tesseract_is_refused_with_how_to_install(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    assert refused("scan.pdf", image_pdf(1, "x")) == (
        "scan.pdf: Gescanntes PDF: Texterkennung (Tesseract) ist nicht installiert – "
        "apt-get install tesseract-ocr tesseract-ocr-deu")


def test_scan_without_german_data_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # a tessdata folder without deu.traineddata
    assert refused("scan.pdf", image_pdf(1, "x")) == (
        "scan.pdf: Gescanntes PDF: deutsche Sprachdaten für die Texterkennung fehlen – apt-get install tesseract-ocr-deu")


def test_scan_with_too_many_pages_is_refused_before_ocr():
    data = image_pdf(ocr.MAX_OCR_PAGES + 1)
    assert refused("dick.pdf", data) == (
        f"dick.pdf: Gescanntes PDF hat {ocr.MAX_OCR_PAGES + 1} Seiten (Texterkennung für höchstens {ocr.MAX_OCR_PAGES}).")


@pytest.mark.parametrize(("line", "repaired"), [
    ("s1", "§ 1"), ("82", "§ 2"), ("8 6 Zielsteuerung", "§ 6 Zielsteuerung"),
    ("in 8 4 genannten Haushaltsmitteln", "in § 4 genannten Haushaltsmitteln"),
    ("8 Wochen Praktikum", "8 Wochen Praktikum"), ("1.011.410 Euro", "1.011.410 Euro"), ("2025", "2025"),
])
def test_ocr_repairs_the_misread_paragraph_sign_only(line, repaired):
    assert ocr.repair_line(line) == repaired


def test_image_only_pages_are_not_mistaken_for_text():
    # A blank white image page: OCR finds nothing, which is said as such.
    out = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(out, "PDF", resolution=100)
    assert refused("weiss.pdf", out.getvalue()) == "weiss.pdf: Gescanntes PDF: die Texterkennung hat keinen Text gefunden."


# -- the ruled-table grid (aqb/ingest/pdf_tables.py) ------------------------------------------------

from aqb.ingest.pdf_tables import find_tables, rules_from_boxes  # noqa: E402


def grid_boxes(xs, ys, skip_h=(), skip_v=()):
    """Border lines of a grid as thin path boxes; skip_h = (row boundary, column) pairs without a line."""
    boxes = []
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r, c) not in skip_h:
                boxes.append((xs[c], y - 0.5, xs[c + 1], y + 0.5))
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (c, r) not in skip_v:
                boxes.append((x - 0.5, ys[r], x + 0.5, ys[r + 1]))
    return boxes


def test_grid_with_a_vertically_merged_first_column():
    xs, ys = [50, 150, 300, 400], [100, 120, 140, 160, 180]
    # no line between rows 1/2 and 2/3 in column 0: one cell spans rows 1–3
    table, = find_tables(rules_from_boxes(grid_boxes(xs, ys, skip_h={(2, 0), (3, 0)})))
    assert (table.xs, table.ys) == (xs, ys)
    assert [table.anchor[(r, 0)] for r in range(4)] == [(0, 0), (1, 0), (1, 0), (1, 0)]
    assert table.cell_at(100, 170) == (1, 0) and table.cell_at(200, 170) == (3, 1)
    assert table.cell_at(10, 170) is None


def test_grid_with_a_horizontally_merged_row_and_lines_that_are_no_table():
    xs, ys = [50, 150, 300], [100, 120, 140]
    table, = find_tables(rules_from_boxes(grid_boxes(xs, ys, skip_v={(1, 1)})))
    assert table.anchor[(1, 1)] == (1, 0) and table.anchor[(0, 1)] == (0, 1)
    underline = [(50, 200, 300, 200.5)]  # a rule under a heading
    box = grid_boxes([50, 300], [300, 400])  # a frame around a paragraph
    assert find_tables(rules_from_boxes(underline + box)) == []


def test_ocr_page_that_takes_too_long_is_refused(monkeypatch):
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT_S", 0.01)
    assert refused("scan.pdf", image_pdf(1, SCAN_TEXT)) == "scan.pdf: Texterkennung abgebrochen: Seite zu aufwendig."
