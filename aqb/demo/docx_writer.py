"""Demo documents as DOCX (python-docx), zipped deterministically."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from aqb.model import AgreementSpec
from aqb.demo.blocks import partner_for, build_blocks
from aqb.demo.styles import DEMO_FOOTER, DEMO_NOTICE, _FIXED_DOC_TIME, _FIXED_ZIP_TIME
from aqb.demo.wording import running_header


# DOCX


def _add_runs(paragraph, text: str) -> None:
    for index, part in enumerate(re.split(r"\*\*", text)):
        if part:
            paragraph.add_run(part).bold = index % 2 == 1 or None


def _deterministic_zip(data: bytes) -> bytes:
    # python-docx stamps every zip member with the current time; fix it so equal input gives equal bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(spec: AgreementSpec, path: Path, reference_dir: Path) -> Path:
    """A Word document: headings and paragraphs, projects in style 'List Bullet'."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    partner = partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    blocks = build_blocks(spec, reference_dir)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)

    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.text = DEMO_NOTICE if spec.is_demo else header
    if spec.is_demo:
        section.header.add_paragraph(header)
        section.footer.paragraphs[0].text = DEMO_FOOTER

    for block in blocks:
        kind = block.kind
        if kind == "notice":
            para = document.add_paragraph()
            run = para.add_run(block.text)
            run.bold = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        elif kind == "title":
            para = document.add_paragraph(style="Title" if block.text == "Zielvereinbarung" else None)
            _add_runs(para, block.text)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            level = 2 if block.text.startswith("§") else 3
            para = document.add_heading(level=level)
            _add_runs(para, block.text)
        elif kind == "subheading":
            para = document.add_heading(level=4)
            _add_runs(para, block.text)
        elif kind == "amount":
            para = document.add_paragraph()
            para.add_run(block.text).bold = True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "measure":
            para = document.add_paragraph()
            _add_runs(para, f"{block.number}. {block.text}")
        elif kind == "item":
            para = document.add_paragraph(style="List Bullet")
            _add_runs(para, block.text)
        elif kind == "sigplace":
            document.add_paragraph(block.place_and_date())
        elif kind == "sigmark":
            para = document.add_paragraph()
            para.add_run(block.text).italic = True
        else:
            para = document.add_paragraph()
            _add_runs(para, block.text)

    props = document.core_properties
    props.title = header
    props.author = "AQB-Dashboard"
    props.last_modified_by = "AQB-Dashboard"
    props.subject = DEMO_NOTICE if spec.is_demo else "Zielvereinbarung"
    props.created = _FIXED_DOC_TIME
    props.modified = _FIXED_DOC_TIME
    props.last_printed = _FIXED_DOC_TIME
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
    return path
