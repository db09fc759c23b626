"""Public mode is a property of the reader for every table and view of the store (issue 10, finding 1)."""

from __future__ import annotations

import dataclasses

import pytest

from aqb.store import reader
from aqb.store.umsetzung_import import import_sheets
from aqb.store.write import write_agreements
from briefing_fixtures import OFFENBACH, built_data, offenbach_rows, sheet, store_copy  # noqa: F401

PUBLISHED = "status = 'veroeffentlicht' and not is_demo and (not is_ocr or confirmed_by is not null)"
_AGREEMENTS = f"select agreement_id from store.main.agreements where {PUBLISHED}"
# What public mode (without the demo layer) may see of each relation, as a condition on the stored rows.
# A new table or view fails test_every_relation_is_classified until it is added here and in
# aqb.store.reader.TABLE_ACCESS.
PUBLIC_SEES = {
    "meta": "true",
    "partners": "true",
    "measure_types": "true",
    "published_amounts": "true",
    "population": "true",
    "agreements": PUBLISHED,
    "projects": f"agreement_id in ({_AGREEMENTS})",
    "signatures": f"agreement_id in ({_AGREEMENTS})",
    "extracted_values": f"agreement_id in ({_AGREEMENTS})",
    "project_links": f"agreement_id in ({_AGREEMENTS})",
    "budget_lines": f"agreement_id in ({_AGREEMENTS})",
    "agreement_amendments": "false",
    "source_documents": f"source_sha256 in (select source_sha256 from store.main.agreements where {PUBLISHED})",
    "implementation_status": ("not is_demo and partner_ags || ':' || agreement_year in (select partner_ags || ':' ||"
                              f" agreement_year from store.main.agreements where {PUBLISHED})"),
    "agreements_history": "false",
    "ingest_log": "false",
}


@pytest.fixture
def mixed_store(store_copy):  # noqa: F811
    """Real Offenbach 2025 (signed, not published) with a real Umsetzungsstand, plus the demo layer."""
    import_sheets([("herbst.xlsx", sheet(offenbach_rows()))], store_copy)
    return store_copy


def _rows(con, sql):
    return sorted(map(repr, con.execute(sql).fetchall()))


def _check_public(settings):
    con, _ = reader.connect(dataclasses.replace(settings, public_mode=True))
    relations = reader.store_relations(con)
    assert set(relations) <= set(PUBLIC_SEES), "unclassified relation: classify it here and in TABLE_ACCESS"
    for name in relations:
        expected = _rows(con, f"select * from store.main.{name} where {PUBLIC_SEES[name]}")
        assert _rows(con, f"select * from {name}") == expected, name
    return con


def test_every_relation_is_classified(mixed_store):
    con, _ = reader.connect(mixed_store)
    assert set(reader.store_relations(con)) <= set(reader.TABLE_ACCESS)


def test_public_mode_hides_the_umsetzungsstand_of_unpublished_agreements(mixed_store):
    con = _check_public(mixed_store)
    # Signed but not published: neither the agreement nor its Umsetzungsstand is public.
    assert con.execute("select count(*) from implementation_status").fetchone() == (0,)
    assert con.execute("select count(*) from store.main.implementation_status where partner_ags = $a",
                       {"a": OFFENBACH}).fetchone()[0] == 9
    internal, _ = reader.connect(mixed_store)
    assert internal.execute("select count(*) from implementation_status where partner_ags = $a",
                            {"a": OFFENBACH}).fetchone() == (9,)


def test_public_mode_shows_the_umsetzungsstand_once_published(mixed_store):
    mixed_store.publications_file.write_text(
        "source_file,published_date,url\nzielvereinbarung_2025_offenbach_am_main.txt,2025-09-01,https://example.org/zv\n",
        encoding="utf-8")
    write_agreements([], mixed_store)
    con = _check_public(mixed_store)
    assert con.execute("select distinct partner_ags from implementation_status").fetchall() == [(OFFENBACH,)]
    assert con.execute("select count(*) from ingest_log").fetchone() == (0,)


def test_demo_off_hides_demo_umsetzungsstand(mixed_store):
    con, _ = reader.connect(dataclasses.replace(mixed_store, demo_enabled=False))
    assert con.execute("select distinct is_demo from implementation_status").fetchall() == [(False,)]


def test_unclassified_table_is_empty_in_public_mode(mixed_store):
    assert reader.view_body("new_internal_table", dataclasses.replace(mixed_store, public_mode=True)).endswith(
        "where false")
