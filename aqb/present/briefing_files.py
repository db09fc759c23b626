"""Gesprächsunterlagen as files: one PDF and/or PPTX per partner, plus the statewide overview."""

from __future__ import annotations

from pathlib import Path

from aqb.analysis.briefing import load_briefing, overview_frame
from aqb.errors import AqbError
from aqb.present.briefing_pdf import briefing_pdf, overview_pdf
from aqb.present.slides import briefing_deck, overview_deck

FORMATS = ("pdf", "pptx")


def write_briefings(con, year: int, partner_list: list[str], out_dir, *, formats: tuple[str, ...] = FORMATS,
                    include_demo: bool = True, with_overview: bool = False) -> list:
    """Write one file per partner and format (plus the overview when asked); returns the paths."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise AqbError(f"Format(e) {', '.join(sorted(unknown))} unbekannt (erlaubt: pdf, pptx).")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written, briefings = [], []
    for ags in partner_list:
        b = load_briefing(con, ags, year, include_demo=include_demo)
        briefings.append(b)
        if "pdf" in formats:
            written.append(_write(out / f"{b.file_stem}.pdf", briefing_pdf(b)))
        if "pptx" in formats:
            written.append(_write(out / f"{b.file_stem}.pptx", briefing_deck(b)))
    if with_overview:
        frame = overview_frame(briefings)
        if "pdf" in formats:
            written.append(_write(out / f"uebersicht_{year}.pdf", overview_pdf(frame, year, include_demo=include_demo)))
        if "pptx" in formats:
            written.append(_write(out / f"uebersicht_{year}.pptx", overview_deck(frame, year, include_demo=include_demo)))
    return written


def _write(path, data: bytes):
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # a reader never sees half a file
    return path
