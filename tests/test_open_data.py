"""`aqb open-data`: a Frictionless package that validates, reconciles with the store and leaves drafts and demo out."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from aqb.errors import AqbError
from aqb.present import dcat
from aqb.present.open_data import write_open_data
from aqb.store import snapshots
from aqb.store.publications import save_publication
from aqb.store.write import ingest_paths

URL = "https://soziales.hessen.de/zv-2025-offenbach.pdf"
PUBLISHED = "status = 'veroeffentlicht' and not is_demo"


@pytest.fixture
def store(settings, seed_text):
    """One published agreement among a signed one, a draft and a demo document that is listed as published."""
    folder = settings.agreements_dir
    (folder / "zv.txt").write_text(seed_text, encoding="utf-8")
    (folder / "kreis.txt").write_text(seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Offenbach"),
                                      encoding="utf-8")
    (folder / "entwurf.txt").write_text(
        seed_text.replace("der Stadt Offenbach am Main", "dem Landkreis Gießen").replace("11.8.2025", ""),
        encoding="utf-8")
    (folder / "demo.txt").write_text(
        "DEMODATEN – nicht amtlich.\n" + seed_text.replace("der Stadt Offenbach am Main", "dem Kreis Groß-Gerau"),
        encoding="utf-8")
    save_publication(settings.publications_file, "zv.txt", date(2025, 9, 1), URL)
    save_publication(settings.publications_file, "demo.txt", date(2025, 9, 2))
    report = ingest_paths([folder], settings)
    assert sorted(o.outcome for o in report.outcomes) == ["neu"] * 4
    return settings


def store_value(settings, sql: str):
    con = duckdb.connect(str(snapshots.current_snapshot(settings)), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_package_validates_and_reconciles_with_the_store(store, tmp_path):
    from frictionless import validate

    out = tmp_path / "offen"
    report = write_open_data(store, out, base_url="https://daten.example.de/aqb/")
    result = validate(str(out / "datapackage.json"))
    assert result.valid, result.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"] == [{"name": "dl-de/by-2-0", "title": dcat.LICENSE_TITLE, "path": dcat.LICENSE_URL}]
    resources = {r["name"]: r for r in package["resources"]}
    expected = ["vereinbarungen", "haushaltszeilen", "projekte", "unterschriften", "veroeffentlichte_betraege"]
    assert list(resources) == expected
    assert resources["projekte"]["schema"]["primaryKey"] == ["agreement_id", "project_position"]
    assert resources["projekte"]["schema"]["foreignKeys"] == [
        {"fields": ["agreement_id"], "reference": {"resource": "vereinbarungen", "fields": ["agreement_id"]}}]
    for resource in resources.values():
        assert all(f["description"] for f in resource["schema"]["fields"]), resource["name"]

    agreements = read_csv(out / "vereinbarungen.csv")
    assert [(a["partner_ags"], a["published_date"], a["published_url"]) for a in agreements] == [
        ("06413", "2025-09-01", URL)]  # the signed, the draft and the demo agreement stay out
    assert sum(int(a["budget_cents"]) for a in agreements) == store_value(
        store, f"select sum(budget_cents) from agreements where {PUBLISHED}") == 101141000
    assert [Decimal(a["budget_eur"]) for a in agreements] == [Decimal("1011410.00")]
    published_ids = f"(select agreement_id from agreements where {PUBLISHED})"
    projects = read_csv(out / "projekte.csv")
    assert len(projects) == store_value(store, f"select count(*) from projects where agreement_id in {published_ids}") == 9
    assert {p["agreement_id"] for p in projects} == {agreements[0]["agreement_id"]}
    signatures = read_csv(out / "unterschriften.csv")
    assert [(s["side"], s["signed_date"], s["signer_name"]) for s in signatures] == [
        ("ministry", "2025-08-06", "Heike Hofmann"), ("partner", "2025-08-11", "Martin Wilhelm")]
    amounts = read_csv(out / "veroeffentlichte_betraege.csv")
    assert (len(amounts), sum(int(a["amount_cents"]) for a in amounts)) == (
        store_value(store, "select count(*) from published_amounts"),
        store_value(store, "select sum(amount_cents) from published_amounts"))
    assert all(a["source_url"].startswith("http") for a in amounts)
    lines = read_csv(out / "haushaltszeilen.csv")
    assert len(lines) == store_value(store, f"select count(*) from budget_lines where agreement_id in {published_ids}")
    assert sum(int(b["amount_cents"]) for b in lines if b["is_part_of_budget"] == "true") == 101141000

    for name in expected:  # Parquet holds the same rows as the CSV
        assert pq.read_table(out / f"{name}.parquet").num_rows == report.rows[name]
    assert pq.read_table(out / "vereinbarungen.parquet").column("budget_cents").to_pylist() == [101141000]


def test_dcat_ap_de_metadata(store, tmp_path):
    import rdflib
    from rdflib.namespace import DCAT, DCTERMS, FOAF

    out = tmp_path / "offen"
    write_open_data(store, out, base_url="https://daten.example.de/aqb/")
    graph = rdflib.Graph().parse(out / "dcat.jsonld", format="json-ld")
    dataset = graph.value(predicate=rdflib.RDF.type, object=DCAT.Dataset, any=False)
    assert str(dataset) == "https://daten.example.de/aqb/#dataset"
    assert str(graph.value(dataset, DCTERMS.title)).startswith("Ausbildungs- und Qualifizierungsbudget Hessen")
    assert graph.value(dataset, DCTERMS.description)
    license_ = graph.value(dataset, DCTERMS.license)
    assert str(license_) == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert str(graph.value(license_, DCTERMS.title)) == "Datenlizenz Deutschland – Namensnennung – Version 2.0"
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
    period = graph.value(dataset, DCTERMS.temporal)
    assert (graph.value(period, DCAT.startDate).toPython(), graph.value(period, DCAT.endDate).toPython()) == (
        date(2025, 1, 1), date(2025, 12, 31))
    assert str(graph.value(dataset, DCTERMS.spatial)) == "http://dcat-ap.de/def/politicalGeocoding/stateKey/06"
    built_at = store_value(store, "select meta_value from meta where meta_key = 'built_at'")
    assert graph.value(dataset, DCTERMS.modified).toPython().isoformat() == built_at
    distributions = list(graph.objects(dataset, DCAT.distribution))
    files = sorted(p.name for p in out.iterdir() if p.name != "dcat.jsonld")
    assert sorted(str(graph.value(d, DCAT.downloadURL)).rsplit("/", 1)[1] for d in distributions) == files
    assert {str(graph.value(d, DCTERMS.license)) for d in distributions} == {str(license_)}


def test_validation_catches_a_changed_file(store, tmp_path):
    from frictionless import validate

    out = tmp_path / "offen"
    write_open_data(store, out)
    path = out / "projekte.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines + [lines[1]]), encoding="utf-8")  # a duplicated row: key and checksum break
    types = {row[0] for row in validate(str(out / "datapackage.json")).flatten(["type"])}
    assert {"primary-key", "hash-count", "byte-count"} <= types


def test_nothing_published_is_refused_and_nothing_written(settings, seed_text, tmp_path):
    (settings.agreements_dir / "zv.txt").write_text(seed_text, encoding="utf-8")
    ingest_paths([settings.agreements_dir], settings)
    out = tmp_path / "offen"
    with pytest.raises(AqbError) as caught:
        write_open_data(settings, out)
    assert str(caught.value) == ("Keine veröffentlichte Zielvereinbarung im Bestand: erst `aqb publish DATEI --date …`, "
                                 "dann `aqb open-data`.")
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_replaces_an_earlier_package_and_refuses_a_foreign_folder(store, tmp_path):
    def aqb(*args):
        return subprocess.run([sys.executable, "-m", "aqb.cli", *map(str, args)], capture_output=True, text=True,
                              env=os.environ.copy(), timeout=120)

    out = tmp_path / "offen"
    first = aqb("open-data", "--out", out)
    assert first.returncode == 0, first.stderr
    lines = len(read_csv(out / "haushaltszeilen.csv"))
    assert first.stdout.splitlines()[-1] == (
        f"Offene Daten in {out}: 12 Dateien (vereinbarungen: 1, haushaltszeilen: {lines}, projekte: 9, unterschriften: 2, "
        f"veroeffentlichte_betraege: {store_value(store, 'select count(*) from published_amounts')}).")
    before = (out / "vereinbarungen.csv").read_bytes()
    (out / "stale.csv").write_text("alt", encoding="utf-8")
    again = aqb("open-data", "--out", out)
    assert again.returncode == 0, again.stderr
    assert (out / "vereinbarungen.csv").read_bytes() == before  # same store, same files
    assert not (out / "stale.csv").exists()
    foreign = tmp_path / "fremd"
    foreign.mkdir()
    (foreign / "notiz.txt").write_text("x", encoding="utf-8")
    refused = aqb("open-data", "--out", foreign)
    assert (refused.returncode, refused.stderr) == (
        2, f"Fehler: {foreign} enthält andere Dateien: einen leeren Ordner oder ein früheres Paket angeben.\n")
