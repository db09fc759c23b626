"""Build the store from data/: reference data, real agreements and (if enabled) the demo corpus."""

from __future__ import annotations

import json
from pathlib import Path

from aqb.settings import Settings
from aqb.store import IngestReport, collect_files, parse_many, write_agreements

MANIFEST = "manifest.json"


def write_demo(out_dir: Path, settings: Settings) -> list[Path]:
    """Write the seeded demo corpus (documents + manifest) into ``out_dir``."""
    from aqb.demo import write_demo_corpus

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
    parsed, refused, documents = parse_many(files, settings)
    report = write_agreements(parsed, settings, refused=refused, documents=documents, actor="build", from_empty=fresh)
    # Umsetzungsstand after the agreements it refers to: real sheets from data/umsetzung/, then
    # (with the demo layer) the seeded demo sheet, which never replaces a real one.
    from aqb import snapshots
    from aqb.store import FileOutcome
    from aqb.umsetzung import refresh_from_data

    for file_name, outcome, message in refresh_from_data(settings, with_demo=with_demo):
        report.outcomes.append(FileOutcome(file_name, outcome, message))
    report.snapshot = snapshots.current_snapshot(settings)
    return report
