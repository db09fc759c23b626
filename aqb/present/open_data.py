"""Open data: the public view of the store as CSV and Parquet, with a Frictionless data package and DCAT-AP.de.

Everything is read through the reader in public mode with the demo layer off
(``aqb.store.reader``), so drafts, unpublished agreements and demo rows cannot reach the package
by a forgotten ``where``: the views do not show them. CSV is the canonical form (UTF-8, comma,
ISO dates, exact decimals, columns described in ``datapackage.json``); each table also comes as
Parquet. ``dcat.jsonld`` describes the data set for GovData and the Hessian portal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from aqb.errors import AqbError
from aqb.present import dcat
from aqb.settings import Settings
from aqb.store import reader
from aqb.store.queries import load_query, run_query

PACKAGE_NAME = "aqb-hessen-zielvereinbarungen"
PACKAGE_FILE = "datapackage.json"
DCAT_FILE = "dcat.jsonld"


@dataclass(frozen=True)
class Table:
    """One published table: its file name, query and keys (Frictionless ``primaryKey``/``foreignKeys``)."""

    name: str
    query: str
    title: str
    description: str
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()


_TO_AGREEMENT = ((("agreement_id",), "vereinbarungen", ("agreement_id",)),)
TABLES = (
    Table("vereinbarungen", "open_data_agreements", "Veröffentlichte Zielvereinbarungen",
          "Eine Zeile je Gebietskörperschaft und Jahr: Budget nach § 4 und Tag der Veröffentlichung.",
          ("agreement_id",)),
    Table("haushaltszeilen", "open_data_budget_lines", "Budgetzeilen der Zielvereinbarungen",
          "Die Beträge, die § 4 jeder veröffentlichten Vereinbarung nennt; die Zeilen mit is_part_of_budget "
          "ergeben zusammen das Budget der Vereinbarung, davon-Zeilen sind eine Aufteilung darin.",
          ("agreement_id", "line_position"), _TO_AGREEMENT),
    Table("projekte", "open_data_projects", "Projekte der Zielvereinbarungen",
          "Die Projekte nach § 5 in der Reihenfolge des Dokuments, mit Maßnahmenart und Fundstelle.",
          ("agreement_id", "project_position"), _TO_AGREEMENT),
    Table("unterschriften", "open_data_signatures", "Unterschriften der Zielvereinbarungen",
          "Ort, Datum, Name und Funktion der Unterzeichnenden (Ministerium und Gebietskörperschaft).",
          ("agreement_id", "signature_position"), _TO_AGREEMENT),
    Table("veroeffentlichte_betraege", "open_data_published_amounts", "Veröffentlichte Budgetbeträge mit Quelle",
          "Beträge aus Pressemitteilungen und Sitzungsvorlagen, je mit Quelle (URL) und Genauigkeit; "
          "keine Zielvereinbarungen.", ("published_id",)),
)

# What each column means; the same name means the same thing in every table.
COLUMNS = {
    "agreement_id": "Schlüssel der Vereinbarung (SHA-256 des Quelldokuments)",
    "agreement_year": "Jahr der Zielvereinbarung",
    "partner_ags": "Amtlicher Gemeindeschlüssel der Gebietskörperschaft (fünfstellig, z. B. 06413)",
    "partner_name": "Name der Gebietskörperschaft",
    "partner_kind": "Landkreis oder kreisfreie Stadt",
    "regierungsbezirk": "Regierungsbezirk (Darmstadt, Gießen, Kassel)",
    "budget_cents": "Budget nach § 4 in Cent (exakt)",
    "budget_eur": "Budget nach § 4 in Euro (exakt, zwei Nachkommastellen)",
    "ministry_name": "Ministerium, das die Vereinbarung geschlossen hat",
    "published_date": "Tag der Veröffentlichung der Vereinbarung",
    "published_url": "Adresse, unter der die Vereinbarung veröffentlicht ist (leer, wenn nicht angegeben)",
    "project_count": "Zahl der Projekte nach § 5",
    "source_file": "Dateiname des Quelldokuments",
    "source_sha256": "SHA-256-Prüfsumme des Quelldokuments",
    "file_format": "Format des Quelldokuments (pdf, docx, txt, md)",
    "page_count": "Seitenzahl des Quelldokuments",
    "parser_version": "Version des Lesers, der die Werte aus dem Dokument gelesen hat",
    "line_position": "Stelle der Zeile in § 4 (1, 2, …)",
    "programme_code": "Programm der Zeile (AQB, ARBEITSMARKTBUDGET, AUSBILDUNGSBUDGET, TEILZEITAUSBILDUNG, MIGRATION, ESF)",
    "line_role": "Art der Zeile: gesamt, teil, davon (Aufteilung) oder zusaetzlich",
    "is_part_of_budget": "true, wenn die Zeile zum Budget der Vereinbarung zählt (diese Zeilen ergeben budget_cents)",
    "provider": "Träger des Projekts, wo § 5 ihn nennt",
    "project_position": "Stelle des Projekts in § 5 (1, 2, …)",
    "measure_type_code": "Maßnahmenart nach § 5 (1 Ausbildungsvorbereitung, 2 Ausbildung und Ausbildungscoaching, "
                         "3 Qualifizierungsprojekte, 4 Weiterbildung für Personal)",
    "measure_type_name": "Bezeichnung der Maßnahmenart",
    "project_name": "Name des Projekts wie im Dokument",
    "amount_cents": "Betrag in Cent (exakt; leer, wenn das Dokument keinen nennt)",
    "amount_eur": "Betrag in Euro (exakt, zwei Nachkommastellen)",
    "source_page": "Seite der Fundstelle im Quelldokument",
    "source_line": "Zeile der Fundstelle im Quelldokument",
    "source_snippet": "Wortlaut der Fundstelle",
    "signature_position": "Laufende Nummer der Unterschrift in der Vereinbarung",
    "side": "Seite: ministry (Ministerium) oder partner (Gebietskörperschaft)",
    "signed_place": "Ort der Unterschrift",
    "signed_date": "Datum der Unterschrift",
    "signer_name": "Name der unterzeichnenden Person",
    "signer_role": "Funktion der unterzeichnenden Person",
    "published_id": "Laufende Nummer des veröffentlichten Betrags",
    "scope": "Wofür der Betrag gilt (Land oder Gebietskörperschaft)",
    "programme": "Programm, zu dem der Betrag gehört",
    "is_aqb": "true, wenn der Betrag das Ausbildungs- und Qualifizierungsbudget selbst betrifft",
    "amount_precision": "Genauigkeit: exakt, gerundet/vorläufig oder in Aussicht gestellt",
    "note": "Anmerkung zur Quelle",
    "source_url": "Quelle des Betrags (URL)",
}


@dataclass
class OpenDataReport:
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = ", ".join(f"{name}: {n}" for name, n in self.rows.items())
        return f"Offene Daten in {self.out_dir}: {len(self.files)} Dateien ({counts})."


def public_settings(settings: Settings) -> Settings:
    """The settings of a public installation without demo data: what open data may contain."""
    return dataclasses.replace(settings, public_mode=True, public_demo=False, demo_enabled=False)


def write_open_data(settings: Settings, out_dir: Path, *, base_url: str = "",
                    publisher: str | None = None) -> OpenDataReport:
    """Write the package to ``out_dir`` (replaced as a whole, never half-written).

    Raises AqbError when there is no store, no published agreement, or ``out_dir`` holds other files.
    """
    opened = reader.connect(public_settings(settings))
    if opened is None:
        raise AqbError("Noch kein Bestand: zuerst `aqb build`.")
    con, snapshot = opened
    try:
        out_dir = Path(out_dir)
        _check_target(out_dir)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
        try:
            report = _write(con, work, settings, base_url=base_url, publisher=publisher)
            _replace_dir(work, out_dir)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    finally:
        con.close()
    report.out_dir = out_dir
    report.files = [out_dir / f.name for f in report.files]
    return report


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise AqbError(f"{out_dir} ist eine Datei, kein Ordner.")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (out_dir / PACKAGE_FILE).exists():
        raise AqbError(f"{out_dir} enthält andere Dateien: einen leeren Ordner oder ein früheres Paket angeben.")


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}.alt")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    target.chmod(0o755)  # mkdtemp made it private; the package is for everyone
    shutil.rmtree(old, ignore_errors=True)


def _write(con, work: Path, settings: Settings, *, base_url: str, publisher: str | None) -> OpenDataReport:
    from aqb.store.publications import load_publications

    urls = {p.source_file: p.url for p in load_publications(settings.publications_file).values()}
    tables = {t.name: _fetch(con, t) for t in TABLES}
    if not tables["vereinbarungen"].num_rows:
        raise AqbError("Keine veröffentlichte Zielvereinbarung im Bestand: erst `aqb publish DATEI --date …`, "
                       "dann `aqb open-data`.")
    agreements = tables["vereinbarungen"]
    tables["vereinbarungen"] = agreements.append_column(
        "published_url", pa.array([urls.get(f) or None for f in agreements["source_file"].to_pylist()], pa.string()))
    report = OpenDataReport(work)
    resources = []
    for table in TABLES:
        arrow = tables[table.name]
        csv_path, parquet_path = work / f"{table.name}.csv", work / f"{table.name}.parquet"
        pa_csv.write_csv(arrow, csv_path, pa_csv.WriteOptions(quoting_style="needed"))
        pq.write_table(arrow, parquet_path)
        report.files += [csv_path, parquet_path]
        report.rows[table.name] = arrow.num_rows
        resources.append(_resource(table, arrow, csv_path, set(tables)))
    years = agreements["agreement_year"].to_pylist()
    ministries = [m for m in agreements["ministry_name"].to_pylist() if m]
    meta = dcat.Meta(
        title="Ausbildungs- und Qualifizierungsbudget Hessen: Zielvereinbarungen",
        description=("Veröffentlichte Zielvereinbarungen des Landes Hessen mit den Landkreisen und kreisfreien "
                     "Städten zum Ausbildungs- und Qualifizierungsbudget (AQB): Budgets, Projekte nach "
                     "Maßnahmenart, Unterschriften und veröffentlichte Beträge mit Quelle. Jeder Wert nennt die "
                     "Fundstelle im Dokument."),
        publisher=publisher or max(set(ministries), key=ministries.count),
        first_year=min(years), last_year=max(years), modified=_built_at(con), base_url=base_url,
    )
    package = _package(meta, resources)
    package_path = work / PACKAGE_FILE
    package_path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    report.files.append(package_path)
    dcat_path = work / DCAT_FILE
    dcat_path.write_text(json.dumps(dcat.dataset(meta, report.files), ensure_ascii=False, indent=2) + "\n",
                         encoding="utf-8")
    report.files.append(dcat_path)
    return report


def _built_at(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the snapshot was written: the package's modified date (the same store gives the same files)."""
    built = run_query(con, "store_status")["built_at"].iloc[0]
    return datetime.fromisoformat(built) if built else datetime.now(timezone.utc).replace(microsecond=0)


def _fetch(con: duckdb.DuckDBPyConnection, table: Table) -> pa.Table:
    sql, needed = load_query(table.query)
    assert not needed, f"{table.query}: open-data queries take no parameters (the views filter)"
    cursor = con.cursor()
    try:
        return cursor.sql(sql).to_arrow_table()
    finally:
        cursor.close()


def _field_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "integer"
    if pa.types.is_decimal(arrow_type) or pa.types.is_floating(arrow_type):
        return "number"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    return "string"


def _resource(table: Table, arrow: pa.Table, path: Path, present: set[str]) -> dict:
    fields = []
    for column in arrow.schema:
        spec = {"name": column.name, "type": _field_type(column.type),
                "description": COLUMNS.get(column.name, f"Spalte {column.name} der Tabelle {table.name}")}
        constraints = {}
        if column.name in table.primary_key:
            constraints["required"] = True
        if column.name == "partner_ags":
            constraints["pattern"] = r"\d{5}"
        if column.name == "measure_type_code":
            constraints.update(minimum=1, maximum=4)
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    names = set(arrow.schema.names)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    foreign = [{"fields": list(own), "reference": {"resource": ref, "fields": list(ref_fields)}}
               for own, ref, ref_fields in table.foreign_keys if ref in present and set(own) <= names]
    if foreign:
        schema["foreignKeys"] = foreign
    content = path.read_bytes()
    return {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "path": path.name,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
        "schema": schema,
    }


def _package(meta: dcat.Meta, resources: list[dict]) -> dict:
    package = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": meta.title,
        "description": meta.description + " Jede Tabelle liegt auch als Parquet-Datei gleichen Namens bei.",
        "homepage": meta.base_url or None,
        "created": meta.modified.isoformat(timespec="seconds"),
        "keywords": list(dcat.KEYWORDS),
        "licenses": [{"name": dcat.LICENSE_ID, "title": dcat.LICENSE_TITLE, "path": dcat.LICENSE_URL}],
        "contributors": [{"title": meta.publisher, "role": "publisher"}],
        "temporal": {"start": date(meta.first_year, 1, 1).isoformat(), "end": date(meta.last_year, 12, 31).isoformat()},
        "spatial": "Hessen",
        "resources": resources,
    }
    return {key: value for key, value in package.items() if value is not None}
