"""The text equivalent of a chart: its table as plain, accessible HTML (caption, column and row headers).

Streamlit's data grid is a canvas that hands a screen reader only the rows in view; a real
``<table>`` with ``<caption>`` and ``<th scope>`` can be read cell by cell with its headers.
Every value is escaped: names and project titles come from documents.
"""

from __future__ import annotations

from html import escape

import pandas as pd

TABLE_CLASS = "aqb-table"
# Scrolls inside its own box instead of widening the page; the box is focusable so keyboard users can scroll it.
TABLE_CSS = """<style>
.aqb-table-wrap {max-height: 28rem; overflow: auto; margin-bottom: 0.5rem;}
.aqb-table {border-collapse: collapse; font-size: 0.9rem; width: 100%;}
.aqb-table caption {text-align: left; font-weight: 600; padding: 0.3rem 0; color: #31333F;}
.aqb-table th, .aqb-table td {border: 1px solid #BDBDBD; padding: 0.25rem 0.5rem; text-align: left; color: #262730;}
.aqb-table thead th {background: #F0F2F6; position: sticky; top: 0;}
.aqb-table td.num {text-align: right; font-variant-numeric: tabular-nums;}
</style>"""


def _is_number(text: str) -> bool:
    stripped = text.replace("\u202f", "").replace("\u2212", "-").replace("€", "").replace("%", "").strip()
    return bool(stripped) and stripped.replace(".", "").replace(",", "").lstrip("+-").isdigit()


def accessible_table(shown: pd.DataFrame, caption: str, row_header: bool = True) -> str:
    """``shown`` (formatted text under German headers) as one ``<table>``; the first column heads each row."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in shown.columns)
    rows = []
    for values in shown.itertuples(index=False, name=None):
        cells = []
        for i, value in enumerate(values):
            text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
            if i == 0 and row_header:
                cells.append(f'<th scope="row">{escape(text)}</th>')
            else:
                cells.append(f'<td class="num">{escape(text)}</td>' if _is_number(text) else f"<td>{escape(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="aqb-table-wrap" tabindex="0" role="region" aria-label="{escape(caption, quote=True)}">'
            f'<table class="{TABLE_CLASS}"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
