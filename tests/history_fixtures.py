"""Small real agreement documents for tests of data over time (population, versions, projects)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from aqb.demo.text_writer import write_text
from aqb.model import AgreementSpec, SignatureSpec
from aqb.reference import load_partners
from aqb.settings import Settings

MINISTRY = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"


def agreement_file(settings: Settings, ags: str, year: int, budget_euros: int,
                   projects: tuple[tuple[int, str], ...] = ((1, "Berufsvorbereitung"), (3, "Jobcoach")),
                   signed: date | None = None, name: str | None = None, folder: Path | None = None) -> Path:
    """Write one signed, non-demo agreement as plain text in the real format; returns its path."""
    signed = signed or date(year, 3, 1)
    partner = next(p for p in load_partners(settings.reference_dir) if p.ags == ags and p.is_partner_in(year))
    spec = AgreementSpec(
        year=year, partner_ags=ags, budget_cents=budget_euros * 100, ministry_name=MINISTRY, projects=projects,
        signatures=(SignatureSpec("Wiesbaden", signed, "Heike Hofmann", "Staatsministerin"),
                    SignatureSpec(partner.seat, signed, "Erika Muster", "Landrätin")),
        is_demo=False,
    )
    folder = folder or settings.agreements_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"zv_{year}_{ags}_{signed.isoformat()}.txt")
    return write_text(spec, path, settings.reference_dir)


def store_rows(settings: Settings, sql: str, params: dict | None = None) -> list[tuple]:
    target = settings.store_path.resolve()
    con = duckdb.connect(str(target), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()
