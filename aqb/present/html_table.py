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
.aqb-sr-only {position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;}
.aqb-table td.num {text-align: right; font-variant-numeric: tabular-nums;}
</style>"""


def _is_number(text: str) -> bool:
    stripped = text.replace("\u202f", "").replace("\u2212", "-").replace("€", "").replace("%", "").strip()
    return bool(stripped) and stripped.replace(".", "").replace(",", "").lstrip("+-").isdigit()


def accessible_table(shown: pd.DataFrame, caption: str, row_header: bool = True, scroll_box: bool = True) -> str:
    """``shown`` (formatted text under German headers) as one ``<table>``; the first column heads each row.

    ``scroll_box``: wrapped in a focusable scrolling region (on screen); off for a table only screen readers get.
    """
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
    table = (f'<table class="{TABLE_CLASS}"><caption>{escape(caption)}</caption>'
             f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    if not scroll_box:
        return table
    return f'<div class="aqb-table-wrap" tabindex="0" role="region" aria-label="{escape(caption, quote=True)}">{table}</div>'


def view_frame(view) -> pd.DataFrame:
    """A catalogue ChartView (presentation, decks) as its table: one row per category, one column per series."""
    from aqb.present.chart_style import DEMO_STAR, value_text

    def text(value, demo: bool) -> str:
        return value_text(value, view.number_format) + (DEMO_STAR if demo and value is not None else "")

    if view.kind == "heatmap":
        m = view.matrix
        demo = m.get("demo") or [[False] * len(m["x"]) for _ in m["y"]]
        return pd.DataFrame([[y] + [text(v, d) for v, d in zip(row, drow)] for y, row, drow in zip(m["y"], m["z"], demo)],
                            columns=["Zeile"] + [str(x) for x in m["x"]])
    rows = [[str(category)] + [text(s.values[i], s.demo_points[i] if i < len(s.demo_points) else False)
                               for s in view.series] for i, category in enumerate(view.categories)]
    return pd.DataFrame(rows, columns=["Kategorie"] + [s.name for s in view.series])
