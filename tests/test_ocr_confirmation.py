"""An agreement read by OCR counts as official (public mode) only after staff confirmed its values."""

from __future__ import annotations

import dataclasses
from dataclasses import replace
from datetime import date

import pytest

from aqb.errors import AqbError
from aqb.ingest.parser import parse_bytes
from aqb.store.confirmations import confirm_ocr
from aqb.store.publications import save_publication
from aqb.store.reader import connect
from aqb.store.write import write_agreements


def _public_count(settings) -> int:
    con, _ = connect(dataclasses.replace(settings, public_mode=True))
    try:
        return con.cursor().execute("select count(*) from agreements").fetchone()[0]
    finally:
        con.close()


def test_ocr_agreement_is_official_only_once_confirmed(settings, seed_text):
    # The OCR path itself is tested in 9A's fixtures; here only what the store does with its mark.
    scan = replace(parse_bytes("scan.txt", seed_text.encode(), settings.reference_dir, 2**20), is_ocr=True)
    save_publication(settings.publications_file, "scan.txt", date(2025, 9, 1), "https://example.org/zv.pdf")
    write_agreements([scan], settings, documents={scan.sha256: seed_text.encode()})
    assert _public_count(settings) == 0  # published, but read by OCR and not yet confirmed
    with pytest.raises(AqbError) as info:
        confirm_ocr(settings, "scan.txt", " ")
    assert str(info.value) == "Bestätigen nur mit Namen (--by), für das Protokoll."
    assert confirm_ocr(settings, "scan.txt", "anna") == "per Texterkennung gelesene Werte bestätigt von anna."
    assert _public_count(settings) == 1
    with pytest.raises(AqbError) as info:
        confirm_ocr(settings, "scan.txt", "bert")
    assert str(info.value) == "scan.txt ist bereits bestätigt (von anna)."


def test_confirm_refuses_what_is_no_ocr_agreement(settings, seed_text):
    text = parse_bytes("zv.txt", seed_text.encode(), settings.reference_dir, 2**20)
    write_agreements([text], settings, documents={text.sha256: seed_text.encode()})
    with pytest.raises(AqbError) as info:
        confirm_ocr(settings, "zv.txt", "anna")
    assert str(info.value) == "zv.txt wurde nicht per Texterkennung gelesen – nichts zu bestätigen."
    with pytest.raises(AqbError) as info:
        confirm_ocr(settings, "fehlt.pdf", "anna")
    assert str(info.value) == "fehlt.pdf ist keine aktuelle Vereinbarung im Bestand (`aqb list` zeigt sie)."
