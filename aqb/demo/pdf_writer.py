"""Demo documents as PDF (reportlab platypus), with page furniture like an office export."""

from __future__ import annotations

import io
import re
from pathlib import Path
from aqb.model import AgreementSpec
from aqb.demo.blocks import partner_for, build_blocks
from aqb.demo.styles import DEMO_BANNER, DEMO_FOOTER, DEMO_NOTICE, PdfStyle
from aqb.demo.text_writer import no_dash_at_line_start
from aqb.demo.wording import page_footer, running_header


# PDF (reportlab platypus; standard Helvetica in WinAnsi covers ä ö ü ß € „ “ –, the bullet comes from Symbol)


def _xml(text: str) -> str:
    escaped = no_dash_at_line_start(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)


def write_pdf(spec: AgreementSpec, path: Path, reference_dir: Path, style: PdfStyle = PdfStyle()) -> Path:
    """An A4 PDF with running header and 'Seite n von N' footer; bytes depend only on the input."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, ListFlowable, ListItem, PageTemplate, Paragraph, Spacer

    partner = partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    blocks = build_blocks(spec, reference_dir)
    size = style.font_size
    width, height = A4
    margin_x, margin_top, margin_bottom = 2.4 * cm, 2.6 * cm, 2.4 * cm
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=size, leading=size * 1.35, spaceAfter=size * 0.6)
    styles = {
        "notice": ParagraphStyle("notice", parent=body, fontName="Helvetica-Bold", textColor="#b00020",
                                 borderColor="#b00020", borderWidth=0.8, borderPadding=4, spaceAfter=size * 1.6),
        "title": ParagraphStyle("title", parent=body, alignment=TA_CENTER, fontSize=size * 1.15,
                                leading=size * 1.55, spaceAfter=size * 0.5),
        "heading": ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", alignment=TA_CENTER,
                                  spaceBefore=size * 0.4, spaceAfter=size * 0.3, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", parent=body, fontName="Helvetica-Bold", keepWithNext=1),
        "para": body,
        "amount": ParagraphStyle("amount", parent=body, fontName="Helvetica-Bold", alignment=TA_CENTER),
        "measure": ParagraphStyle("measure", parent=body, leftIndent=0.6 * cm, firstLineIndent=-0.6 * cm,
                                  spaceAfter=size * 0.2, keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, spaceAfter=size * 0.15),
        "sigplace": ParagraphStyle("sigplace", parent=body, spaceBefore=size, spaceAfter=size * 0.8),
        "sigmark": ParagraphStyle("sigmark", parent=body, fontName="Helvetica-Oblique", fontSize=size * 1.3,
                                  leading=size * 1.6, spaceAfter=size * 0.8),
        "sigline": ParagraphStyle("sigline", parent=body, spaceAfter=0),
    }

    story: list = []
    items: list = []
    signature: list = []

    # reportlab encodes "•" in Helvetica as 0x7F, which extractors drop; the Symbol font keeps it.
    bullet_font = "Symbol" if style.bullet == "•" else "Helvetica"
    inline_item = ParagraphStyle("inline_item", parent=styles["item"], leftIndent=1.3 * cm,
                                 bulletIndent=0.6 * cm, bulletFontName=bullet_font)

    def flush_items() -> None:
        if not items:
            return
        if style.bullet_layout == "inline":
            story.extend(Paragraph(_xml(t), inline_item, bulletText=style.bullet) for t in items)
        else:
            story.append(ListFlowable(
                [ListItem(Paragraph(_xml(t), styles["item"])) for t in items],
                bulletType="bullet", start=style.bullet, bulletFontName=bullet_font, bulletFontSize=size,
                leftIndent=1.3 * cm,
            ))
        story.append(Spacer(1, size * 0.3))
        items.clear()

    def flush_signature() -> None:
        if signature:
            story.append(KeepTogether(list(signature)))
            signature.clear()

    for block in blocks:
        if block.kind == "item":
            items.append(block.text)
            continue
        flush_items()
        if block.kind == "sigplace":
            flush_signature()
            signature.append(Paragraph(_xml(block.place_and_date()), styles["sigplace"]))
        elif block.kind == "sigmark":
            if style.signature_marks:
                signature.append(Paragraph(_xml(block.text), styles["sigmark"]))
        elif block.kind == "sigline":
            signature.append(Paragraph(_xml(block.text), styles["sigline"]))
        elif block.kind == "measure":
            story.append(Paragraph(_xml(f"{block.number}. {block.text}"), styles["measure"]))
        elif block.kind == "notice":
            story.append(Paragraph(_xml(DEMO_BANNER), styles["notice"]))
        else:
            story.append(Paragraph(_xml(block.text), styles[block.kind]))
    flush_items()
    flush_signature()

    def draw_header(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        y = height - 1.2 * cm
        if spec.is_demo:
            canvas.setFont("Helvetica-Bold", 8)
            canvas.setFillColor("#b00020")
            canvas.drawString(margin_x, y, DEMO_NOTICE)
            y -= 0.45 * cm
        if style.running_header:
            canvas.setFont("Helvetica", 8)
            canvas.setFillColor("#444444")
            canvas.drawString(margin_x, y, header)
        canvas.restoreState()

    def draw_footer(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        y = 1.3 * cm
        if spec.is_demo:
            canvas.setFillColor("#b00020")
            canvas.drawString(margin_x, y, DEMO_FOOTER)
            y -= 0.45 * cm
        if style.page_numbers:
            canvas.setFillColor("#444444")
            canvas.drawRightString(width - margin_x, y, page_footer(page, total))
        canvas.restoreState()

    class NumberedCanvas(Canvas):
        # Pages are kept until the end so the footer can say "von N".
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pending: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._pending.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pending)
            for state in self._pending:
                self.__dict__.update(state)
                draw_footer(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=margin_x, rightMargin=margin_x, topMargin=margin_top,
        bottomMargin=margin_bottom, title=header, author="AQB-Dashboard" if spec.is_demo else "",
        subject=DEMO_NOTICE if spec.is_demo else "Zielvereinbarung", creator="AQB-Dashboard", invariant=1,
    )
    frame = Frame(margin_x, margin_bottom, width - 2 * margin_x, height - margin_top - margin_bottom, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_header)])
    doc.build(story, canvasmaker=NumberedCanvas)
    path = Path(path)
    path.write_bytes(buffer.getvalue())
    return path
