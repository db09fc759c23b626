"""The same hostile document text through every output: Markdown, Plotly, XLSX, PPTX, PDF (issue 10, 3-5)."""

from __future__ import annotations

import io
from datetime import date
import zipfile

import openpyxl
import pytest
from markdown_it import MarkdownIt
from pptx import Presentation
from pptx.util import Inches

from aqb.analysis.catalogue import PERCENT, ChartView, Series
from aqb.present import escape, figures
from aqb.store.umsetzung_import import import_sheets
from aqb.store.write import ingest_paths, open_reader

HOSTILE = [
    "![x](http://tracker.example/beacon.png)",
    "[Quelle](http://evil.example/)",
    ":red[Achtung] :material/warning: :smile:",
    "$\\sum x^2$ und $$E=mc^2$$",
    '<a href="http://evil.example/">Quelle</a>',
    "<b>fett</b><br><img src=x>",
    '=HYPERLINK("http://evil.example/","Jobcoach")',
    "**fett** _kursiv_ # Titel\n> Zitat",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_shows_the_text_literally(text):
    rendered = MarkdownIt("commonmark").render(escape.markdown(text))
    assert "<img" not in rendered and "<a " not in rendered and "<strong>" not in rendered and "<em>" not in rendered
    # Streamlit's own syntax (:colour[…], :icon:, $…$) needs its marks escaped too.
    assert ":red[" not in escape.markdown(text) and "$" not in escape.markdown(text).replace("\\$", "")
    # Nothing is lost: unescaping gives back the text (line breaks become spaces).
    assert escape.markdown(text).replace("\\", "") == text.replace("\\", "").replace("\n", " ")


@pytest.mark.parametrize("text", HOSTILE)
def test_plotly_labels_carry_no_markup(text):
    view = ChartView("umsetzung", "", "clustered_bar", [text, "Jobcoach"], [Series("Mittelabfluss", [0.5, 0.2], [False, False])],
                     PERCENT, "Quelle", has_demo=False)
    fig = figures.view_figure(view, projector=False).to_dict()
    labels = [v for trace in fig["data"] for key in ("x", "y") for v in (trace.get(key) or []) if isinstance(v, str)]
    assert escape.plotly(text) in labels
    assert all("<" not in v and ">" not in v and "$" not in v for v in labels)


@pytest.mark.parametrize("text", HOSTILE + ['" onmouseover="alert(1)', "Budget & <Kreis>"])
def test_app_html_shows_the_text_in_content_and_attributes(text):
    """Key figures (label, value, change, explanation in an attribute) as a browser parses them: the text, no markup."""
    from html.parser import HTMLParser

    from aqb.present.key_figures import key_figures_html

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.texts, self.attrs = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attrs += [(k, v) for k, v in attrs]

        def handle_data(self, data):
            self.texts.append(data)

    reader = Reader()
    reader.feed(key_figures_html([(text, text, "+1 " + text, text)]))
    assert set(reader.tags) <= {"div", "p", "span", "button"}  # no <a>, <img>, <b> from the text
    assert {k for k, _ in reader.attrs} <= {"class", "data-testid", "type", "aria-label", "data-tip", "aria-hidden"}
    shown = text.replace("\n", " ")
    assert reader.texts.count(shown) == 2 and f"+1 {shown}" in reader.texts  # label, value; the change
    assert ("data-tip", shown) in reader.attrs and ("aria-label", f"Erläuterung zu {shown}: {shown}") in reader.attrs


@pytest.mark.parametrize("text", HOSTILE)
def test_pdf_paragraph_shows_the_text(text):
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([Paragraph(escape.pdf(text), getSampleStyleSheet()["Normal"])])
    assert b"/Annots" not in buffer.getvalue() and b"/XObject" not in buffer.getvalue()  # no link, no image


def test_pptx_chart_workbook_has_no_formulas():
    from aqb.present.slides import add_native_chart

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    view = ChartView("umsetzung", "", "clustered_bar", HOSTILE, [Series("Mittelabfluss", [0.1] * len(HOSTILE),
                     [False] * len(HOSTILE))], PERCENT, "Quelle", has_demo=False)
    add_native_chart(slide, view, Inches(1), Inches(1), Inches(6), Inches(4))
    out = io.BytesIO()
    deck.save(out)
    with zipfile.ZipFile(out) as pptx:
        embedded = [n for n in pptx.namelist() if n.endswith(".xlsx")]
        assert embedded
        book = openpyxl.load_workbook(io.BytesIO(pptx.read(embedded[0])))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert HOSTILE[6] in [c.value for c in cells]


def test_template_row_with_formula_like_name_stays_text_and_imports(settings, seed_text):
    from aqb.present.umsetzung_template import template_bytes

    name = HOSTILE[6]
    (settings.agreements_dir / "zv.txt").write_text(seed_text.replace(" - Jobcoach", f" - {name}"), encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    con = open_reader(settings)
    try:
        assert (name,) in con.execute("select project_name from projects").fetchall()
        data = template_bytes(con, 2025)
    finally:
        con.close()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Umsetzungsstand"] if "Umsetzungsstand" in book.sheetnames else book.worksheets[1]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == name]
    assert cells and all(c.data_type == "s" for c in cells)
    for row in sheet.iter_rows(min_row=2):
        if row[4].value:
            row[5].value, row[6].value, row[9].value = 1000, 500, date(2025, 9, 30)  # approved, spent, Stand
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_sheets([("herbst.xlsx", buffer.getvalue())], settings, expected_year=2025)[0]
    assert report.row_count == 9
