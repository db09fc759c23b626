"""16:9 PowerPoint decks: catalogue views, the briefing of one partner and the overview of a batch.

Charts are native, editable PowerPoint charts (python-pptx chart objects, number formats such
as ``#,##0 "€"`` that German Office shows as 1.011.410 €) wherever the chart type allows; the
heatmap becomes a high-resolution PNG rendered by Kaleido through one long-lived Chromium
(``BROWSER_PATH``, Debian's /usr/bin/chromium by default). Every slide has a title and a source
line "Quelle: … · Stand: …"; slides whose content rests on demo rows carry the demo mark and
draw the demo points lighter (as the web figures and the PDF do).
"""

from __future__ import annotations

import io
import os
import threading

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from aqb.present.escape import TextSafeChartData
from aqb.analysis import versions
from aqb.analysis.versions import change_with_rename
from aqb.fmt import euro_from_cents, german_date, number, per_inhabitant_label, percent
from aqb.analysis.chart_views import DEMO_MARK, ChartView, history_view, implementation_view, measure_mix_view, peers_view
from aqb.analysis.briefing import MIN_COMPARED
from aqb.analysis.provenance import mark
from aqb.present import chart_style, theme
from aqb.present.figures import view_figure

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP, BODY_H = Inches(1.35), Inches(5.35)


def _rgb(colour: str) -> RGBColor:
    """A theme colour for python-pptx."""
    return RGBColor(*theme.rgb(colour))


BLUE, ORANGE = _rgb(theme.TITLE_COLOUR), _rgb(theme.HIGHLIGHT_COLOUR)
RED, GREY, WHITE = _rgb("#B00020"), _rgb(theme.MUTED_COLOUR), RGBColor(0xFF, 0xFF, 0xFF)
DEMO_LEGEND = f"heller dargestellt = {DEMO_MARK}"
DEFAULT_BROWSER = "/usr/bin/chromium"

_CHART_TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "clustered_bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked_column": XL_CHART_TYPE.COLUMN_STACKED,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}


# ---------------------------------------------------------------------------------------------
# Kaleido: one Chromium for all images of a process


class ImageRenderer:
    """Render Plotly figures to PNG through one Kaleido server kept alive across images and decks."""

    _lock = threading.Lock()
    _started = False

    def png(self, fig, *, width: int = 1600, height: int = 900, scale: float = 2) -> bytes:
        import kaleido

        if os.path.exists(DEFAULT_BROWSER):
            os.environ.setdefault("BROWSER_PATH", DEFAULT_BROWSER)
        with self._lock:  # the sync server takes one request at a time
            if not ImageRenderer._started:
                kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True)
                ImageRenderer._started = True
            return kaleido.calc_fig_sync(fig.to_dict(), opts={"format": "png", "width": width, "height": height,
                                                              "scale": scale})

    @classmethod
    def stop(cls) -> None:
        import kaleido

        with cls._lock:
            if cls._started:
                kaleido.stop_sync_server(silence_warnings=True)
                cls._started = False


# ---------------------------------------------------------------------------------------------
# Slide furniture


def new_presentation() -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    return prs


def _blank(prs: Presentation):
    return prs.slides.add_slide(prs.slide_layouts[6])


def _text(slide, x, y, cx, cy, text: str, *, size: int, bold: bool = False, color: RGBColor | None = None,
          align=None, name: str | None = None):
    box = slide.shapes.add_textbox(x, y, cx, cy)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    lines = text.split("\n")
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        if align is not None:
            paragraph.alignment = align
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
    return box


def furnish(slide, title: str, source_line: str, *, has_demo: bool, note: str | None = None) -> None:
    """Title on top, demo mark top right (when demo rows contribute), note and source line at the bottom."""
    _text(slide, MARGIN, Inches(0.3), Inches(9.9) if has_demo else SLIDE_W - 2 * MARGIN, Inches(0.9), title,
          size=26, bold=True, color=BLUE, name="Titel")
    if has_demo:
        _text(slide, Inches(10.4), Inches(0.4), Inches(2.45), Inches(0.8), DEMO_MARK, size=14, bold=True,
              color=RED, align=PP_ALIGN.RIGHT, name="Demodaten")
    if note:
        _text(slide, MARGIN, Inches(6.62), SLIDE_W - 2 * MARGIN, Inches(0.35), note, size=12, color=GREY,
              name="Hinweis")
    _text(slide, MARGIN, Inches(6.95), SLIDE_W - 2 * MARGIN, Inches(0.4), source_line, size=12, color=GREY,
          name="Quelle")


def _table(slide, header: list[str], rows: list[list[str]], x, y, cx, widths: list[float], *, size: int = 12,
           row_height=Inches(0.32), demo_rows: list[bool] | None = None):
    shape = slide.shapes.add_table(len(rows) + 1, len(header), x, y, cx, row_height * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for i, w in enumerate(widths):
        table.columns[i].width = Emu(int(cx * w / total))
    for r, values in enumerate([header] + rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            # a demo row: the same quiet * on its first cell as on web and PDF, not a typeface of its own
            cell.text = mark(value, True) if r and c == 0 and demo_rows and demo_rows[r - 1] else value
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
    return table


# ---------------------------------------------------------------------------------------------
# Charts


def add_native_chart(slide, view: ChartView, x, y, cx, cy):
    """A native chart of the view; colours and the lighter demo shade of aqb.present.chart_style, as on screen."""
    # The embedded workbook is what „Daten bearbeiten“ opens: categories from documents stay text there.
    data = TextSafeChartData(number_format=view.number_format)
    data.categories = view.categories
    series = [s for s in view.series if s.mark == "bar"]  # markers beside bars (published amounts): screen only
    for s in series:
        data.add_series(s.name, s.values, number_format=view.number_format)
    chart = slide.shapes.add_chart(_CHART_TYPES[view.kind], x, y, cx, cy, data).chart
    many = len(view.categories) > 12
    chart.has_title = False  # the slide title says it
    chart.font.size = Pt(11 if many else 14)
    plot = chart.plots[0]
    doughnut = view.kind == "doughnut"
    chart.has_legend = len(series) > 1 or doughnut
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    if len(view.categories) * len(series) <= 30:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = view.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(9 if many else 12)
        if doughnut:
            labels.show_value = True
        elif view.kind not in ("stacked_column",):
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
    if not doughnut:
        axis = chart.value_axis
        axis.tick_labels.number_format = view.number_format
        axis.tick_labels.number_format_is_linked = False
        axis.has_major_gridlines = True
        if view.kind in ("bar", "clustered_bar"):
            chart.category_axis.reverse_order = True  # first category on top, as in the ranking
            # The value axis crosses at the last category, i.e. stays at the bottom (valAx c:crosses).
            crosses = chart.value_axis._element.find(qn("c:crosses"))
            if crosses is not None:
                crosses.set("val", "max")
        if len(view.categories) > 6:
            _every_category_label(chart)
        if many or (view.kind == "clustered_bar" and len(view.categories) > 8):
            chart.category_axis.tick_labels.font.size = Pt(9)
        if view.kind in ("bar", "clustered_bar", "column"):
            plot.gap_width = 60
    for j, (s, plotted) in enumerate(zip(series, plot.series)):
        colour = chart_style.series_colour(s, j)
        _fill(plotted.format.fill, colour)
        for i in range(len(s.values)):
            point = chart_style.point_colour(view, s, j, i)
            if point != colour:
                _fill(plotted.points[i].format.fill, point)
    return chart


def _every_category_label(chart) -> None:
    """Label every category (PowerPoint and LibreOffice otherwise skip some on long axes)."""
    axis = chart.category_axis._element
    skip = axis.find(qn("c:tickLblSkip"))
    if skip is None:
        skip = OxmlElement("c:tickLblSkip")
        successor = next((axis.find(qn(t)) for t in ("c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")
                          if axis.find(qn(t)) is not None), None)
        if successor is not None:
            successor.addprevious(skip)
        else:
            axis.append(skip)
    skip.set("val", "1")


def _fill(fill, colour: str) -> None:
    fill.solid()  # demo points come lighter from chart_style, as in the web figures and the PDF: no pattern fill
    fill.fore_color.rgb = _rgb(colour)


def add_view_slide(prs: Presentation, view: ChartView, renderer: ImageRenderer | None = None):
    """One slide per view: title, native chart (image for the heatmap), note, source line, demo mark."""
    slide = _blank(prs)
    note = view.note
    if view.has_demo:
        note = (note + " · " if note else "") + (DEMO_LEGEND if view.kind != "heatmap" else f"* = {DEMO_MARK}")
    furnish(slide, view.title, view.source_line, has_demo=view.has_demo, note=note)
    x, y, cx, cy = MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, BODY_H
    if view.is_empty:
        _text(slide, x, y, cx, Inches(1), view.empty_text or "Keine Daten.", size=24, color=GREY)
    elif view.kind in _CHART_TYPES:
        add_native_chart(slide, view, x, y, cx, cy)
    else:
        _add_image(slide, view, x, y, cx, cy, renderer or ImageRenderer())
    return slide


def _add_image(slide, view: ChartView, x, y, cx, cy, renderer: ImageRenderer) -> None:
    fig = view_figure(view, projector=False)
    fig.update_layout(height=None, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    width_px = 1600
    height_px = int(width_px * cy / cx)
    try:
        png = renderer.png(fig, width=width_px, height=height_px, scale=2)
    except Exception as exc:  # no Chromium: keep the deck, say what is missing
        _text(slide, x, y, cx, Inches(1.2),
              f"Diagramm als Bild nicht verfügbar ({type(exc).__name__}): Chromium für Kaleido fehlt "
              f"(BROWSER_PATH={os.environ.get('BROWSER_PATH', '–')}).", size=16, color=RED)
        return
    slide.shapes.add_picture(io.BytesIO(png), x, y, cx, cy)


def deck_bytes(views: list[ChartView], *, title: str, subtitle: str, renderer: ImageRenderer | None = None,
               stand: str = "") -> bytes:
    """A 16:9 deck: a title slide, then one slide per view; ``stand`` is fmt.stand() of the store."""
    prs = new_presentation()
    slide = _blank(prs)
    has_demo = any(v.has_demo for v in views)
    _text(slide, MARGIN, Inches(2.4), SLIDE_W - 2 * MARGIN, Inches(1.2), title, size=40, bold=True, color=BLUE,
          name="Titel")
    _text(slide, MARGIN, Inches(3.7), SLIDE_W - 2 * MARGIN, Inches(1.2), subtitle, size=20, color=GREY)
    if has_demo:
        _text(slide, MARGIN, Inches(5.0), SLIDE_W - 2 * MARGIN, Inches(0.8),
              f"{DEMO_MARK}: Folien mit dieser Kennzeichnung enthalten generierte Demodaten.", size=18, bold=True,
              color=RED, name="Demodaten")
    stands = [v.source_line.rsplit("Stand: ", 1)[-1] for v in views if "Stand: " in v.source_line]
    _text(slide, MARGIN, Inches(6.95), SLIDE_W - 2 * MARGIN, Inches(0.4),
          "Quelle: Zielvereinbarungen AQB und Umsetzungsstand, Hessisches Ministerium für Arbeit, Integration, "
          f"Jugend und Soziales · Stand: {_latest(stands)}" + (f" · Bestand {stand}" if stand else ""), size=12,
          color=GREY, name="Quelle")
    renderer = renderer or ImageRenderer()
    for view in views:
        add_view_slide(prs, view, renderer)
    return _save(prs)


def _latest(german_dates: list[str]) -> str:
    from datetime import date as _date

    parsed = []
    for text in german_dates:
        try:
            d, m, y = (int(p) for p in text.split("."))
            parsed.append(_date(y, m, d))
        except ValueError:
            continue
    return german_date(max(parsed)) if parsed else "–"


def _save(prs: Presentation) -> bytes:
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Briefing deck


def briefing_deck(b, *, renderer: ImageRenderer | None = None) -> bytes:
    """The Gesprächsunterlage of one partner and year as a deck (all charts native)."""
    prs = new_presentation()
    _briefing_slides(prs, b)
    return _save(prs)


def _briefing_slides(prs: Presentation, b) -> None:
    from aqb.analysis.briefing import change_text

    # 1 Key figures
    slide = _blank(prs)
    furnish(slide, b.title, b.source_line("agreement"), has_demo=b.key_has_demo or b.implementation_has_demo)
    _text(slide, MARGIN, Inches(1.05), SLIDE_W - 2 * MARGIN, Inches(0.4), b.subtitle, size=14, color=GREY)
    lines = b.key_lines()
    _table(slide, ["Kennzahl", "Wert"], [[label, value] for label, value in lines], MARGIN, Inches(1.6),
           Inches(8.2), [1.2, 2.2], size=16, row_height=Inches(0.42))
    if b.key is not None:
        ctx = [f"{label}: {number(value, 2)} €" + (" (Demodaten)" if demo else "")
               for label, value, count, demo in b.peer_context if value is not None]
        _text(slide, Inches(9.0), Inches(1.6), Inches(3.85), Inches(4.5),
              f"{b.key.per_inhabitant_label} im Vergleich\n" + "\n".join(ctx), size=14, color=GREY)

    # 2 Budget over the years
    history = history_view(b.history, b.partner_name, b.partner["partner_ags"])
    history.title = f"Budget {b.partner_name} im Zeitverlauf"
    add_view_slide(prs, history)

    # 3 Projects by Maßnahmenart, new / continued / ended
    slide = _blank(prs)
    furnish(slide, f"Projekte {b.year} nach Maßnahmenart", b.source_line("agreement") + _prev_source(b),
            has_demo=b.projects_has_demo,
            note="Vorjahresvergleich beruht auf Demodaten" if b.projects_has_demo else None)
    if b.projects.empty:
        _text(slide, MARGIN, BODY_TOP, Inches(8), Inches(1), b.missing_text, size=20, color=GREY)
    else:
        rows, demo_rows = [], []
        for r in b.projects.to_dict("records"):
            # a real project stays unmarked; its status is marked when last year's list is demo
            rows.append([r["measure_type_label"], mark(r["project_name"], bool(r["is_demo"])),
                         mark(change_with_rename(r), bool(r.get("is_comparison_demo")))])
            demo_rows.append(False)
        for r in b.ended.to_dict("records"):
            rows.append([r["measure_type_label"], mark(r["project_name"], bool(r["is_demo"])),
                         mark(f"beendet ({r['agreement_year']})", bool(r.get("is_comparison_demo")))])
            demo_rows.append(False)
        size = 12 if len(rows) <= 10 else 10 if len(rows) <= 13 else 8
        _table(slide, ["Maßnahmenart", "Projekt", f"ggü. {b.year - 1}"], rows, MARGIN, BODY_TOP, Inches(8.6),
               [2.2, 4.6, 1.5], size=size, row_height=Inches({12: 0.3, 10: 0.26, 8: 0.2}[size]), demo_rows=demo_rows)
        add_native_chart(slide, measure_mix_view(b.by_measure_type()), Inches(9.3), BODY_TOP, Inches(3.6), Inches(4.2))

    # 4 Peers
    slide = _blank(prs)
    peers = b.peers.frame[b.peers.frame["has_agreement"]]
    furnish(slide, f"Vergleich: {b.peers.label}", b.source_line("peers"), has_demo=b.peers.has_demo,
            note=DEMO_LEGEND if b.peers.has_demo else None)
    if peers.empty:
        _text(slide, MARGIN, BODY_TOP, Inches(8), Inches(1), "Keine Vergleichswerte im Bestand.", size=20, color=GREY)
    else:
        add_native_chart(slide, peers_view(peers), MARGIN, BODY_TOP, Inches(6.6), BODY_H)
        rows = [[r["partner_name"], euro_from_cents(int(r["budget_cents"])),
                 change_text(int(r["budget_cents"]) - int(r["previous_budget_cents"]), r["change_ratio"])
                 if pd.notna(r["change_ratio"]) else "–"]
                for r in peers.to_dict("records")]
        _table(slide, ["Gebietskörperschaft", f"Budget {b.year}", "ggü. Vorjahr"], rows, Inches(7.3), BODY_TOP,
               Inches(5.55), [2.2, 1.6, 2.0], size=11 if len(rows) <= 12 else 9,
               demo_rows=peers["is_demo"].astype(bool).tolist())

    # 5 Umsetzungsstand
    slide = _blank(prs)
    totals = b.implementation_totals
    title = "Umsetzungsstand" + (f" (Stand {german_date(totals['as_of_date'])})" if totals else "")
    furnish(slide, title, b.source_line("implementation"), has_demo=b.implementation_has_demo,
            note=DEMO_LEGEND if b.implementation_has_demo else None)
    if not totals:
        _text(slide, MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, Inches(1.5),
              f"Kein Umsetzungsstand {b.year} eingelesen.\nVorlage: aqb template umsetzung --year {b.year} "
              f"--partner {b.partner['partner_ags']}", size=20, color=GREY)
    else:
        reported = b.reported
        add_native_chart(slide, implementation_view(reported, "project_name", view_id="umsetzung"), MARGIN, BODY_TOP,
                         Inches(7.4), BODY_H)
        summary = [
            f"Bewilligt: {euro_from_cents(totals['approved_cents'])}",
            f"Ausgezahlt/abgerufen: {euro_from_cents(totals['spent_cents'])}",
            f"Mittelabfluss: {percent(totals['spent_ratio'], 0)}",
        ]
        if totals["planned_places"]:
            summary.append(f"Teilnehmende: {number(totals['participants'])} von {number(totals['planned_places'])} "
                           f"Plätzen ({percent(totals['participant_ratio'], 0)})")
        summary.append(f"Gemeldet: {totals['reported_count']} von {totals['project_count']} Projekten")
        _text(slide, Inches(8.2), BODY_TOP, Inches(4.65), Inches(3), "\n".join(summary), size=16)

    # 6 Versions of this year's agreement (a slide only when something was replaced or amended)
    if len(b.versions) > 1:
        slide = _blank(prs)
        demo = b.versions["is_demo"].astype(bool).tolist()
        furnish(slide, f"Fassungen und Änderungen {b.year}", _sources_stand(b), has_demo=any(demo))
        rows = versions.table_rows(b.versions)
        # long change lists (many projects added or dropped) in smaller type, so the table stays on the slide
        size = 12 if len(rows) <= 3 and max(len(r[5]) for r in rows) <= 220 else 10
        _table(slide, versions.TABLE_HEADER, rows, MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, [0.5, 2.0, 1.2, 2.6, 1.5, 4.5],
               size=size, row_height=Inches(0.5), demo_rows=demo)

    # 7 Open points and sources
    slide = _blank(prs)
    furnish(slide, "Offene Punkte und Quellen", _sources_stand(b), has_demo=b.has_demo)
    points = [("• " + q.text + (f" [{DEMO_MARK}]" if q.is_demo else "")) for q in b.quality] or ["• keine"]
    _text(slide, MARGIN, BODY_TOP, Inches(6.3), BODY_H, "Offene Datenqualitätspunkte\n" + "\n".join(points),
          size=13 if len(points) <= 6 else 11)
    single = [] if len(b.versions) > 1 else [f"Fassungen {b.year}: {versions.single_version_text(b.versions, b.year)}"]
    _text(slide, Inches(7.0), BODY_TOP, Inches(5.85), BODY_H, "Quellen\n" + "\n".join(source_lines(b) + single), size=11)


def _prev_source(b) -> str:
    return f"; Vorjahr {b.year - 1}" if b.projects["project_change"].notna().any() else ""


def _sources_stand(b) -> str:
    return f"Quelle: Bestand des AQB-Dashboards, Unterlagen bis {german_date(b.stand)} · {b.stand_text}"


def source_lines(b) -> list[str]:
    """The sources section shared by deck and PDF: agreement file, signatures, published figures."""
    lines = []
    if b.source:
        s = b.source
        lines.append(f"Vereinbarung: {s['source_file']} ({s['file_format'].upper()}, SHA-256 "
                     f"{s['source_sha256'][:12]}…)" + (f" – {DEMO_MARK}" if s["is_demo"] else ""))
        if s.get("budget_source_snippet"):
            lines.append(f"Budget laut § 4 (Zeile {s['budget_source_line']}): „{s['budget_source_snippet']}“")
    for r in b.signatures.to_dict("records"):
        side = "Ministerium" if r["side"] == "ministry" else "Gebietskörperschaft"
        lines.append(f"Unterzeichnet ({side}): {r['signed_place'] or '–'}, {german_date(r['signed_date'])} – "
                     f"{r['signer_name'] or '–'}, {r['signer_role'] or '–'}")
    for r in b.published.to_dict("records"):
        lines.append(f"Veröffentlicht {r['agreement_year']} ({r['programme']}): {euro_from_cents(int(r['amount_cents']))}"
                     f" ({r['amount_precision']}) – {r['source_url']}")
    totals = b.implementation_totals
    if totals:
        lines.append(f"Umsetzungsstand: {', '.join(totals['source_files'])}, Stand {german_date(totals['as_of_date'])}"
                     + (f" – {DEMO_MARK}" if totals["is_demo"] else ""))
    return lines


# ---------------------------------------------------------------------------------------------
# Overview of a batch


def overview_deck(frame, year: int, *, include_demo: bool) -> bytes:
    """Title slide, the overview table (13 partners per slide) and a Mittelabfluss chart."""
    prs = new_presentation()
    has_demo = bool(frame["is_demo"].any())
    slide = _blank(prs)
    _text(slide, MARGIN, Inches(2.4), SLIDE_W - 2 * MARGIN, Inches(1.2), f"Gesprächsunterlagen {year} – Übersicht",
          size=40, bold=True, color=BLUE, name="Titel")
    _text(slide, MARGIN, Inches(3.7), SLIDE_W - 2 * MARGIN, Inches(1), f"{len(frame)} Gebietskörperschaften · "
          + ("mit Demodaten" if include_demo else "nur amtliche Quellen"), size=20, color=GREY)
    if has_demo:
        _text(slide, MARGIN, Inches(5.0), SLIDE_W - 2 * MARGIN, Inches(0.8), DEMO_MARK, size=18, bold=True, color=RED,
              name="Demodaten")
    stand = max((d for d in frame["stand"] if d is not None and pd.notna(d)), default=None)
    source = f"Quelle: Zielvereinbarungen AQB {year} und Umsetzungsstand · Stand: {german_date(stand)}"
    _text(slide, MARGIN, Inches(6.95), SLIDE_W - 2 * MARGIN, Inches(0.4), source, size=12, color=GREY, name="Quelle")
    rows = overview_rows(frame)
    for start in range(0, len(rows), 13):
        part = rows[start:start + 13]
        demo_part = frame["is_demo"].tolist()[start:start + 13]
        slide = _blank(prs)
        furnish(slide, f"Übersicht {year} ({start + 1}–{start + len(part)} von {len(rows)})", source,
                has_demo=any(demo_part), note="kursiv = enthält Demodaten" if any(demo_part) else None)
        _table(slide, overview_header(frame), part, MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, OVERVIEW_WIDTHS, size=11,
               row_height=Inches(0.36), demo_rows=demo_part)
    reported = frame[frame["spent_ratio"].notna()].sort_values("spent_ratio", ascending=False)
    if len(reported):
        add_view_slide(prs, implementation_view(reported, "partner_name", title=f"Mittelabfluss und Teilnehmende {year}",
                                                source_line=source))
    return _save(prs)


OVERVIEW_HEADER = ["Gebietskörperschaft", "Budget", "ggü. Vorjahr", "€ je EW", "Rang", "Projekte (neu/beendet)",
                   "Mittelabfluss", "Teilnehmende", "Offene Punkte"]
OVERVIEW_WIDTHS = [2.2, 1.4, 1.7, 1.1, 0.8, 1.5, 1.1, 1.1, 1.0]
PER_CAPITA_HEADER = "€ je EW"


def overview_header(frame) -> list[str]:
    """The overview's header; its per-capita column names the Stichtag of the batch's year ('€ je EW (Stand …)')."""
    days = frame["population_stichtag"].tolist() if "population_stichtag" in frame else []
    return [per_inhabitant_label(days, PER_CAPITA_HEADER) if h == PER_CAPITA_HEADER else h for h in OVERVIEW_HEADER]


def overview_rows(frame) -> list[list[str]]:
    """The overview table as German text cells (shared with the PDF overview)."""
    from aqb.analysis.briefing import change_text

    rows = []
    for r in frame.to_dict("records"):
        has = r["budget_cents"] is not None and r["budget_cents"] == r["budget_cents"]
        flag = lambda name: bool(r.get(name, False))  # noqa: E731
        rows.append([
            r["partner_name"],
            euro_from_cents(int(r["budget_cents"])) if has else "keine Vereinbarung",
            mark(change_text(r["change_cents"], r["change_ratio"]), flag("change_is_demo"))
            if has and r["change_cents"] is not None else "–",
            f"{number(r['per_inhabitant_eur'], 2)} €" if has else "–",
            mark(f"{r['budget_rank']}/{r['ranked_count']}", flag("rank_is_demo"))
            if has and r["ranked_count"] >= MIN_COMPARED else "–",
            mark(f"{r['project_count']} ({r['new_count']}/{r['ended_count']})", flag("projects_is_demo")),
            mark(percent(r["spent_ratio"], 0), flag("status_is_demo")) if r["spent_ratio"] is not None else "–",
            mark(percent(r["participant_ratio"], 0), flag("status_is_demo")) if r["participant_ratio"] is not None else "–",
            str(r["quality_count"]),
        ])
    return rows
