"""Publication of agreements, which no document states: the sidecar veroeffentlichungen.csv."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aqb.errors import AqbError

COLUMNS = ("source_file", "published_date", "url")
SIGNED, PUBLISHED = "unterzeichnet", "veroeffentlicht"


@dataclass(frozen=True)
class Publication:
    source_file: str
    published_date: date
    url: str  # may be empty


def _checked(where: str, source_file: str, published: str, url: str) -> Publication:
    if not source_file.strip():
        raise AqbError(f"{where}: source_file fehlt.")
    try:
        published_date = date.fromisoformat(published.strip())
    except ValueError:
        raise AqbError(f"{where}: published_date „{published}“ ist kein Datum (JJJJ-MM-TT).") from None
    url = url.strip()
    if url and not url.startswith(("https://", "http://")):
        raise AqbError(f"{where}: url muss mit https:// oder http:// beginnen.")
    return Publication(source_file.strip(), published_date, url)


def load_publications(path: Path) -> dict[str, Publication]:
    """source_file -> Publication; a missing file means nothing is published.

    Raises AqbError naming the line of a bad date, URL or a file listed twice.
    """
    if not path.exists():
        return {}
    found: dict[str, Publication] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise AqbError(f"{path.name}: Kopfzeile muss „{','.join(COLUMNS)}“ sein.")
        for row in reader:
            n = reader.line_num  # blank lines are skipped, so counting rows would misname the line
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            item = _checked(
                f"{path.name}, Zeile {n}", row["source_file"] or "", row["published_date"] or "", row["url"] or ""
            )
            if item.source_file in found:
                raise AqbError(f"{path.name}, Zeile {n}: {item.source_file} steht doppelt.")
            found[item.source_file] = item
    return found


def save_publication(path: Path, source_file: str, published_date: date, url: str = "") -> None:
    """Add or update the row for ``source_file``; the file is replaced atomically."""
    item = _checked("Veröffentlichung", source_file, published_date.isoformat(), url)
    rows = load_publications(path)
    rows[item.source_file] = item
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in rows.values():
        writer.writerow([p.source_file, p.published_date.isoformat(), p.url])
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temp.write_text(out.getvalue(), encoding="utf-8")
    os.replace(temp, path)


def status_for(
    signed_status: str, signed_date: date | None, source_file: str, publications: dict[str, Publication]
) -> tuple[str, date | None]:
    """(status, status_date): the document's own status, unless the sidecar lists it as published."""
    published = publications.get(source_file)
    if published is not None:
        return PUBLISHED, published.published_date
    return signed_status, signed_date
