"""Hostile documents: bombs and loops are refused by the parser or cut off by a limit, injected text stays inert text."""

from __future__ import annotations

import io
import os
import pickle
import signal
import struct
import subprocess
import sys
import zipfile
import zlib

import openpyxl
import pandas as pd
import pytest

from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes
from aqb.ingest.sandbox import memory_message, parse_isolated, timeout_message
from aqb.store.write import ingest_paths, open_reader
from conftest import REFERENCE, SEED

MB = 1024 * 1024
ZIP_BOMB = "DOCX entpackt sich ungewöhnlich groß (ZIP-Bombe?) und wird abgelehnt."
PDF_UNREADABLE = "PDF nicht lesbar (beschädigt oder kein gültiges PDF)."
DOCX_BAD_XML = "DOCX nicht lesbar (fehlerhaftes XML)."
NO_PARTNER = "kein Vertragspartner (Landkreis oder kreisfreie Stadt) im Titel gefunden."


def refused_isolated(name: str, data: bytes, **limits) -> str:
    """The refusal reason of parse_isolated.

    No wall-clock assertions here (they belong in benchmarks/bench_sandbox.py): "refused quickly" is
    asserted as *which* reason came back — a parser's own reason means no limit had to stop it, the
    limit's reason means the limit did.
    """
    with pytest.raises(DocumentRefused) as caught:
        parse_isolated(name, data, REFERENCE, 20 * MB, **limits)
    return caught.value.reason


# -- PDFs written by hand ----------------------------------------------------------------------

def pdf(objects: list[bytes]) -> bytes:
    """A PDF whose objects 1..n are ``objects``, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def flate_stream(content: bytes) -> bytes:
    packed = zlib.compress(content, 9)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 3 0 R >>"
TITLE = flate_stream(b"BT /F1 12 Tf 72 700 Td (Zielvereinbarung 2025) Tj ET")


def one_page_pdf(content: bytes, catalog_extra: bytes = b"", count: int = 1) -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count %d >>" % count,
        content, FONT, PAGE,
    ])


def slow_pages_pdf(pages: int = 60, operations: int = 350_000) -> bytes:
    """60 pages sharing one 20 KB stream of 350.000 text operations: ~10 s of pypdf work per page."""
    content = b"BT /F1 12 Tf 72 700 Td " + b"(a) Tj 0 -1 Td " * operations + b"ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                flate_stream(content), FONT] + [PAGE] * pages)


def test_pdf_that_keeps_the_extractor_busy_is_cut_off():
    data = slow_pages_pdf()
    assert len(data) < 25_000
    reason = refused_isolated("endlos.pdf", data, timeout_s=3)
    assert reason == "Verarbeitung abgebrochen: Zeitlimit (3 s) überschritten – Datei wird abgelehnt."


@pytest.mark.slow
def test_pdf_that_keeps_the_extractor_busy_is_refused_within_the_default_limit():
    reason = refused_isolated("endlos.pdf", slow_pages_pdf())  # in-process this takes ~10 minutes
    assert reason == timeout_message(15)


@pytest.mark.parametrize(("name", "data", "reason"), [
    # pdfminer reads past the nesting and finds no text in it.
    ("nested_arrays", one_page_pdf(flate_stream(b"BT /F1 12 Tf " + b"[" * 100_000 + b"(a)" + b"]" * 100_000 + b" TJ ET")),
     "PDF enthält keinen Text."),
    ("page_tree_cycle", pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                             b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"]), PDF_UNREADABLE),
    # Refused before pdfminer, which would need seconds per 10.000 levels.
    ("nested_dictionaries", one_page_pdf(TITLE, b" /X " + b"<< /A " * 100_000 + b"1" + b" >>" * 100_000), PDF_UNREADABLE),
    ("lying_page_count", one_page_pdf(TITLE, count=1_000_000_000), NO_PARTNER),
    ("million_kids", pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [" + b"5 0 R " * 100_000 + b"] /Count 100000 >>", TITLE, FONT, PAGE]),
     "PDF hat 100000 Seiten (höchstens 60)."),
])
def test_malformed_pdf_structures_are_refused_quickly(name, data, reason):
    assert refused_isolated(f"{name}.pdf", data) == reason  # the parser's reason: no time limit was needed


def test_oversized_upload_is_refused_before_the_child_starts(monkeypatch):
    import aqb.ingest.sandbox as sandbox

    data = b"%PDF-1.7\n" + b"0" * (21 * MB)
    started = []
    monkeypatch.setattr(sandbox.subprocess, "run", lambda *a, **k: started.append(a) or pytest.fail("Kind gestartet"))
    reason = refused_isolated("gross.pdf", data)
    with pytest.raises(DocumentRefused) as in_process:
        parse_bytes("gross.pdf", data, REFERENCE, 20 * MB)
    assert reason == in_process.value.reason == "Datei ist 21.0 MB groß (höchstens 20 MB)."
    assert started == []  # the 21 MB were never piped to a child


# -- DOCX ----------------------------------------------------------------------------------------

def docx_with(document_xml: bytes | None = None, *, stream_xml=None) -> bytes:
    """A real python-docx document whose word/document.xml is replaced.

    ``stream_xml`` yields the new document.xml in chunks, so a huge member never sits in memory.
    """
    import docx

    source = io.BytesIO()
    docx.Document().save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, src.read(info.filename))
            elif stream_xml is None:
                dst.writestr(info.filename, document_xml)
            else:
                streamed = zipfile.ZipInfo(info.filename)
                streamed.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(streamed, "w") as member:
                    for chunk in stream_xml():
                        member.write(chunk)
    return out.getvalue()


def word_xml(body: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + body + b"</w:body></w:document>")


def padded_xml(padding_mb: int):
    head, tail = word_xml(b"<!--[PAD]-->").split(b"[PAD]")

    def chunks():
        yield head
        for _ in range(padding_mb):
            yield b" " * MB
        yield tail
    return chunks


def forge_size(data: bytes, member: str, declared: int) -> bytes:
    """Claim in both zip headers that ``member`` unpacks to ``declared`` bytes."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        struct.pack_into("<I", out, archive.getinfo(member).header_offset + 22, declared)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_length = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46 : pos + 46 + name_length] == member.encode():
            struct.pack_into("<I", out, pos + 24, declared)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_zip_bomb_docx_is_refused_quickly():
    bomb = docx_with(stream_xml=padded_xml(61))
    assert len(bomb) < 200_000
    with pytest.raises(DocumentRefused, match="ZIP-Bombe"):  # from the declared sizes, before unpacking
        parse_bytes("bombe.docx", bomb, REFERENCE, 20 * MB)
    assert refused_isolated("bombe.docx", bomb) == ZIP_BOMB


def test_zip_bomb_with_forged_sizes_is_refused_while_unpacking():
    # The headers claim 2 KB; aqb.ingest.extract unpacks every member once, bounded, before python-docx
    # sees it, and the lie (size/CRC mismatch) is refused in-process and in the sandbox alike.
    bomb = forge_size(docx_with(stream_xml=padded_xml(500)), "word/document.xml", 2000)
    damaged = "DOCX ist beschädigt (kein gültiges ZIP-Archiv)."
    with pytest.raises(DocumentRefused) as info:
        parse_bytes("bombe.docx", bomb, REFERENCE, 20 * MB)
    assert info.value.reason == damaged
    assert refused_isolated("bombe.docx", bomb) == damaged


@pytest.mark.parametrize("xml", [
    word_xml(b"<w:p>" + b"<w:r>" * 100_000 + b"</w:r>" * 100_000 + b"</w:p>"),
    # "billion laughs": nine levels of ten entity references each
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">'
    + b"".join(b'<!ENTITY l%d "%s">' % (i, b"&l%d;" % (i - 1) * 10) for i in range(1, 10))
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
      b"<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>",
], ids=["deeply_nested", "entity_expansion"])
def test_hostile_docx_xml_is_refused_quickly(xml):
    assert refused_isolated("tief.docx", docx_with(xml)) == DOCX_BAD_XML  # the XML parser's reason, not a limit


# -- text that looks like code -------------------------------------------------------------------

HOSTILE_NAMES = {
    "Jobcoach": "<script>alert(1)</script>",
    "Interkulturelle Gruppe": "**fett** [link](http://x)",
    "Coaching von jungen Wohnungssuchenden": '=HYPERLINK("http://x","klick")',
    "Fallmanagement für Erziehende": "@SUMME(A1:A9)",
    "Schulungen für Mitarbeiter/innen": "'); drop table agreements; --",
}


def hostile_seed() -> str:
    text = SEED.read_text(encoding="utf-8")
    for old, new in HOSTILE_NAMES.items():
        text = text.replace(f" - {old}\n", f" - {new}\n")
    return text


def aqb(*args):
    return subprocess.run([sys.executable, "-m", "aqb.cli", *map(str, args)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


def test_injected_project_names_stay_plain_text_and_are_neutralised_in_exports(data_dir, tmp_path):
    agreement = parse_isolated("zv.txt", hostile_seed().encode(), REFERENCE, 20 * MB)
    # The parser drops Markdown emphasis markers (they are PDF/Markdown furniture), nothing else.
    assert [p.name for p in agreement.projects] == [
        "Berufsvorbereitung Elektro", "BaE Teilzeit", "Coaching und Unterrichtshilfen (CUBA)",
        "<script>alert(1)</script>", "fett [link](http://x)", '=HYPERLINK("http://x","klick")',
        "@SUMME(A1:A9)", "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
        "'); drop table agreements; --",
    ]
    (data_dir / "agreements" / "zv.txt").write_text(hostile_seed(), encoding="utf-8")
    assert aqb("ingest", data_dir / "agreements").returncode == 0
    expected = [
        "Berufsvorbereitung Elektro", "BaE Teilzeit", "Coaching und Unterrichtshilfen (CUBA)",
        "<script>alert(1)</script>", "fett [link](http://x)", '\'=HYPERLINK("http://x","klick")',
        "'@SUMME(A1:A9)", "Fallmanagement für Personen mit gesundheitlichen und psychosozialen Einschränkungen",
        "'); drop table agreements; --",
    ]
    # Both forms of `aqb export`: the people form (German headers, default) and the machine form (--roh).
    for form, sheet_name, header, extra in (("menschen", "Projekte", "Projekt", ()),
                                            ("roh", "projekte", "project_name", ("--roh",))):
        assert aqb("export", "--format", "csv", "--out", tmp_path / form / "csv", *extra).returncode == 0
        assert aqb("export", "--format", "xlsx", "--out", tmp_path / form / "xlsx", *extra).returncode == 0
        csv = pd.read_csv(tmp_path / form / "csv" / "projekte.csv", sep=";", encoding="utf-8-sig", dtype=str)
        book = openpyxl.load_workbook(tmp_path / form / "xlsx" / "aqb_export.xlsx")
        sheet = book[sheet_name]
        column = [c.value for c in sheet[1]].index(header)
        cells = [row[column] for row in sheet.iter_rows(min_row=2)]
        assert csv[header].tolist() == expected, form  # CSV has no cell types: the apostrophe is its only guard
        # XLSX: the text as written in a text cell, no apostrophe in the value (issue 11)
        assert [c.value for c in cells] == [e[1:] if e.startswith(("'=", "'@")) else e for e in expected], form
        assert {c.data_type for c in cells} == {"s"}, form  # no cell became a formula


def test_sql_in_names_is_only_ever_a_bound_value(settings, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = "x'); drop table ingest_log; --.txt"
    (folder / name).write_text(hostile_seed(), encoding="utf-8")
    report = ingest_paths([folder], settings)
    assert [(o.file_name, o.outcome) for o in report.outcomes] == [(name, "neu")]
    con = open_reader(settings)
    try:
        assert con.execute("select project_name from projects where project_position = 9").fetchall() == [
            ("'); drop table agreements; --",)
        ]
        assert con.execute("select count(*) from agreements").fetchall() == [(1,)]
        assert con.execute("select source_file from ingest_log").fetchall() == [(name,)]
        assert con.execute(
            "select count(*) from information_schema.tables where table_name in ('agreements', 'ingest_log')"
        ).fetchall() == [(2,)]
    finally:
        con.close()


# -- the child's answer ----------------------------------------------------------------------------

class _Exploit:
    def __reduce__(self):
        return (os.system, ("touch /tmp/aqb_sandbox_pwned",))


def test_a_compromised_child_cannot_run_code_in_the_parent(tmp_path):
    from aqb.ingest.sandbox import _answer

    forged = subprocess.CompletedProcess([], 0, stdout=pickle.dumps(("ok", _Exploit())), stderr=b"")
    assert _answer(forged) == ("crash", None)
    assert not os.path.exists("/tmp/aqb_sandbox_pwned")
    wrong_type = subprocess.CompletedProcess([], 0, stdout=pickle.dumps(("ok", "kein Vertrag")), stderr=b"")
    assert _answer(wrong_type) == ("crash", None)
    assert _answer(subprocess.CompletedProcess([], -signal.SIGXCPU, b"", b"")) == ("cpu", None)
