"""One escaping function per output kind, for every piece of document text that reaches an output.

Agreement documents are untrusted: a signer's role, a project name or the § 4 sentence may hold
Markdown, pseudo-HTML or a spreadsheet formula. Each output renders its own markup, so each gets
its own function, and text from a document passes through exactly one of them on its way out:

- ``markdown``: Streamlit Markdown (st.markdown, captions, labels, st.error …): no links, images,
  ``:red[…]`` colours, emoji/icon short codes, KaTeX or HTML.
- ``html_text``: text or an attribute value in the app's own HTML (st.html: headline, page statement, key figures).
- ``plotly``: Plotly labels, hover texts, titles and annotations: no ``<a href>``, ``<b>``, ``<br>``.
- ``xlsx_text``: an openpyxl cell that holds text and stays text (never a live formula).
- ``TextSafeChartData``: python-pptx chart data whose embedded workbook stores text as text.
- ``pdf``: a ReportLab Paragraph: no ``<a>``, ``<img>``, ``<font>`` tags, no entities.
"""

from __future__ import annotations

import html
import re
from xml.sax.saxutils import escape as _xml_escape

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation mark
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def markdown(text: object) -> str:
    """``text`` for any Streamlit element that renders Markdown: shown literally, on one line.

    Backslash-escaping every ASCII punctuation mark is what CommonMark guarantees to show
    literally; it also disarms Streamlit's own ``:colour[…]``, ``:emoji:`` and ``$…$`` syntax.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


def html_text(text: object) -> str:
    """``text`` inside the app's own HTML, as element content or a quoted attribute value: shown literally."""
    return html.escape(_LINE_BREAKS.sub(" ", str(text)), quote=True)


def plotly(text: object) -> str:
    """``text`` for a Plotly label: its HTML subset and ``$…$`` (MathJax) shown as characters."""
    return html.escape(_LINE_BREAKS.sub(" ", str(text)), quote=False).replace("$", "&#36;")


# Trace fields that hold data Plotly draws as text (axis categories, legend names, pie labels). ``text``,
# ``hovertext`` and ``customdata`` are built by the figure code with deliberate markup (<b>, <br>): document
# text goes into them through plotly() at the point where the string is built.
PLOTLY_TEXT_FIELDS = ("x", "y", "name", "labels", "ids", "locations")
_AXIS_TEXT_FIELDS = ("categoryarray", "ticktext")


def _plotly_values(value):
    if isinstance(value, str):
        return plotly(value)
    if isinstance(value, dict) or value is None or isinstance(value, (int, float, bool)):
        return value
    if hasattr(value, "tolist"):  # numpy arrays and pandas Series
        items = value.tolist()
        return [_plotly_values(v) for v in items] if any(isinstance(v, (str, list)) for v in items) else value
    if isinstance(value, (list, tuple)):
        return [_plotly_values(v) for v in value]
    return value


def plotly_trace(trace: dict) -> dict:
    """A copy of a trace dict with every data string escaped (templates stay as written by the code)."""
    if not isinstance(trace, dict):
        return trace
    return {key: _plotly_values(value) if key in PLOTLY_TEXT_FIELDS else value for key, value in trace.items()}


def plotly_layout(layout: dict) -> dict:
    """Category orders and tick texts of every axis escaped like the categories themselves."""
    out = dict(layout)
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            out[key] = {k: _plotly_values(v) if k in _AXIS_TEXT_FIELDS else v for k, v in axis.items()}
    return out


def pdf(text: object) -> str:
    """``text`` for a ReportLab Paragraph, whose mini-markup would otherwise load images and links."""
    return _xml_escape(str(text))


def xlsx_text(cell, value: object):
    """Put ``value`` into an openpyxl cell; a string stays a string cell even if it starts like a formula.

    The text itself is unchanged (a template row re-imports with the exact project name).
    """
    cell.value = value
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


class _TextWorkbookWriter(CategoryWorkbookWriter):
    def _open_worksheet(self, xlsx_file):
        from contextlib import contextmanager

        from xlsxwriter import Workbook

        @contextmanager
        def opened():
            # strings_to_formulas=False: a category "=HYPERLINK(…)" is written as text, not a formula.
            workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})
            worksheet = workbook.add_worksheet()
            yield workbook, worksheet
            workbook.close()

        return opened()


class TextSafeChartData(CategoryChartData):
    """CategoryChartData whose embedded workbook (what PowerPoint opens on „Daten bearbeiten“) has no formulas."""

    @property
    def _workbook_writer(self):
        writer = self.__dict__.get("_text_writer")
        if writer is None:
            writer = self.__dict__["_text_writer"] = _TextWorkbookWriter(self)
        return writer
