"""Build the store from data/: reference data, real agreements and (if enabled) the demo corpus."""

from __future__ import annotations

import json
from pathlib import Path

from datetime import date


from aqb.ingest.umsetzung_sheet import DATA_SUBDIR, DEMO_FILE, DEMO_MARK, DEMO_YEAR, SheetRefused
from aqb.present.umsetzung_template import write_workbook
from aqb.settings import Settings
from aqb.ingest.extract import SUPPORTED_SUFFIXES
from aqb.store import inbox, snapshots
from aqb.store.umsetzung_import import demo_records, file_outcome, import_sheets
from aqb.store.write import IngestReport, collect_files, parse_many, write_agreements

MANIFEST = "manifest.json"


def write_demo(out_dir: Path, settings: Settings) -> list[Path]:
    """Write the seeded demo corpus (documents + manifest) into ``out_dir``."""
    from aqb.demo.corpus import write_demo_corpus

    return [path for path, _spec in write_demo_corpus(out_dir, settings.reference_dir)]


def demo_corpus_ready(out_dir: Path) -> bool:
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return False
    names = json.loads(manifest.read_text(encoding="utf-8"))
    return all((out_dir / name).is_file() for name in names)


def build_store(settings: Settings, *, fresh: bool = False, with_demo: bool = True) -> IngestReport:
    """Ingest data/agreements (real) and the demo corpus into one new snapshot.

    Demo documents carry the DEMODATEN marker, so the parser flags them; a real agreement for
    the same partner x year always wins over a demo one.
    """
    paths = [settings.agreements_dir]
    if with_demo:
        if not demo_corpus_ready(settings.demo_dir):
            write_demo(settings.demo_dir, settings)
        paths.append(settings.demo_dir)
    files = collect_files([p for p in paths if p.exists()])
    files += inbox.kept(settings, inbox.AGREEMENTS, tuple(SUPPORTED_SUFFIXES))  # staff uploads
    parsed, refused, documents = parse_many(files, settings)
    from aqb.store.write import FileOutcome

    # Agreements and Umsetzungsstand go into one draft: the build publishes exactly one snapshot,
    # so a rollback right after it never lands in a half-built state.
    with snapshots.draft(settings, from_empty=fresh) as d:
        report = write_agreements(parsed, settings, refused=refused, documents=documents, actor="build", into=d)
        # Umsetzungsstand after the agreements it refers to: real sheets from data/umsetzung/, then
        # (with the demo layer) the seeded demo sheet, which never replaces a real one.
        for file_name, outcome, message in refresh_from_data(settings, with_demo=with_demo, into=d):
            report.outcomes.append(FileOutcome(file_name, outcome, message))
    report.snapshot = d.snapshot
    return report


def refresh_from_data(settings: Settings, *, with_demo: bool,
                      into: snapshots.Draft | None = None) -> list[tuple[str, str, str]]:
    """The build step: re-import real sheets from data/umsetzung/, then the demo sheet.

    Returns (file name, outcome, message) per file; a refused real sheet is reported, not raised,
    so one bad sheet does not stop the build. Without ``into`` it writes its own draft.
    """
    if into is None:
        with snapshots.draft(settings) as d:
            return refresh_from_data(settings, with_demo=with_demo, into=d)
    results: list[tuple[str, str, str]] = []
    folder = settings.data_dir / DATA_SUBDIR
    sheets = sorted(folder.glob("*.xlsx")) if folder.is_dir() else []
    for path in [*sheets, *inbox.kept(settings, inbox.STATUS, (".xlsx",))]:  # staff uploads last, in upload order
        try:
            report = import_sheets([(path.name, path.read_bytes())], settings, actor="build", into=into)[0]
        except SheetRefused as exc:
            results.append((path.name, "abgelehnt", str(exc).split("\n", 1)[-1].replace("\n", "; ")))
            continue
        results.append((path.name, file_outcome(report), report.summary()))
    if with_demo:
        records = demo_records(into.con)
        if records:
            data = write_workbook(records, DEMO_YEAR, demo_sheet=True)
            report = import_sheets([(DEMO_FILE, data)], settings, actor="build", is_demo=True,
                                   today=date(DEMO_YEAR, 12, 31), into=into)[0]
            results.append((DEMO_FILE, file_outcome(report), f"{DEMO_MARK}: " + report.summary()))
    return results
