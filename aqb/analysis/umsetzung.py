"""Umsetzungsstand frames for pages, briefings and templates."""

from __future__ import annotations


import pandas as pd

from aqb.errors import StoreError
from aqb.store.queries import run_query

from aqb.store.umsetzung_import import status_available

def template_rows(con, year: int, *, partner_ags: str = "", include_demo: bool = True) -> pd.DataFrame:
    """The projects of the year's agreements, prefilled with the last imported real figures."""
    if not status_available(con):
        raise StoreError("Der Bestand hat noch keine Tabelle für den Umsetzungsstand: `aqb build` ergänzt sie.")
    return run_query(con, "umsetzung_template_rows", agreement_year=year, partner_ags=partner_ags,
                     include_demo=include_demo)

