"""The Gesprächsunterlage as an A4 PDF (reportlab): German text and formats, charts drawn natively.

Fonts are embedded TrueType (Liberation Sans, else DejaVu Sans, else reportlab's Vera), so
umlauts, „“, € and − print and a text extractor reads them back. When demo rows contribute,
every page carries "Demodaten — nicht amtlich" in its header, and demo values are starred.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)

from aqb.analysis.chart_views import history_view, implementation_view, peers_view
from aqb.present import escape, theme
from aqb.present import pdf_charts
from aqb.present.pdf_charts import printable, view_drawing
from aqb.analysis.briefing import DEMO_MARK, MIN_COMPARED, Briefing, change_text
from aqb.analysis import versions
from aqb.analysis.versions import change_with_rename
from aqb.fmt import euro_from_cents, german_date, number, per_inhabitant_label, percent, stichtag_note



def _colour(hex_colour: str) -> colors.Color:
    """A theme colour for reportlab (chart colours come from aqb.present.pdf_charts)."""
    return pdf_charts.colour(hex_colour)


BLUE = _colour(theme.TITLE_COLOUR)
RED = colors.HexColor("#b00020")
GREY = _colour(theme.MUTED_COLOUR)
RULE = colors.HexColor("#d9d9d9")
FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
     "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)
FONT, FONT_BOLD = "AqbSans", "AqbSans-Bold"
_registered = False


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    candidates = [*FONT_CANDIDATES, (str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf"))]
    for regular, bold in candidates:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont(FONT, regular))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, bold))
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
            _registered = True
            return
    raise RuntimeError("Keine TrueType-Schrift gefunden (Liberation Sans, DejaVu Sans oder Vera).")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22, textColor=BLUE),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=13, textColor=GREY),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=BLUE,
                             spaceBefore=10, spaceAfter=4),
        "demo": ParagraphStyle("demo", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, textColor=RED,
                               borderColor=RED, borderWidth=0.8, borderPadding=4, spaceBefore=4, spaceAfter=6),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=10, bulletIndent=0, spaceAfter=2),
    }


def _p(text: str, style) -> Paragraph:
    return Paragraph(printable(escape.pdf(str(text))), style)


def _star(text: str, is_demo: bool) -> str:
    return f"{text} *" if is_demo else text


def _table(rows: list[list], widths: list[float], *, header: bool = True, bold_rows: list[int] | None = None,
           right_cols: tuple[int, ...] = ()) -> Table:
    rows = [[printable(c) if isinstance(c, str) else c for c in row] for row in rows]
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5), ("LINEBELOW", (0, 0), (-1, 0), 0.8, BLUE)]
    for col in right_cols:
        style.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    for row in bold_rows or []:
        style.append(("FONT", (0, row), (-1, row), FONT_BOLD, 8.5))
    table.setStyle(TableStyle(style))
    return table


# ---------------------------------------------------------------------------------------------
# Charts


def _chart(view, width: float, **kwargs) -> Drawing:
    # The one figure layer's reportlab renderer: the same view, colours and demo marks as on screen and in the deck.
    return view_drawing(view, width, font=FONT, **kwargs)


def _legend(text: str) -> Drawing:
    drawing = Drawing(10, 10)
    drawing.add(String(0, 0, text, fontName=FONT, fontSize=7.5, fillColor=GREY))
    return drawing


# ---------------------------------------------------------------------------------------------
# Document


def briefing_pdf(b: Briefing) -> bytes:
    """The briefing of one partner and year as A4 PDF bytes."""
    _register_fonts()
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.8 * cm, rightMargin=1.8 * cm, topMargin=2.0 * cm,
                            bottomMargin=1.8 * cm, title=b.title, author="AQB-Dashboard",
                            subject=f"Umsetzungsbesprechung {b.year}")
    width = A4[0] - 3.6 * cm
    story = [_p(b.title, s["title"]), _p(b.subtitle, s["subtitle"])]
    if b.has_demo:
        story.append(_p(f"{DEMO_MARK}: Diese Unterlage enthält generierte Demodaten. Mit * markierte Werte und hell "
                        "dargestellte Balken beruhen auf Demodaten, nicht auf amtlichen Quellen.", s["demo"]))
    story.append(Spacer(1, 4))

    # 1 Key figures
    story.append(_p("1 Kennzahlen", s["h2"]))
    rows = [[_p(label, s["cell_bold"]), _p(_star(value, _key_demo(b, label)), s["cell"])] for label, value in b.key_lines()]
    story.append(_table(rows, [5 * cm, width - 5 * cm], header=False))
    if b.key is not None:
        context = "; ".join(f"{label}: {number(value, 2)} €" + (" *" if demo else "")
                            for label, value, count, demo in b.peer_context if value is not None)
        story.append(_p(f"{b.key.per_inhabitant_label} im Vergleich – {context}", s["small"]))
    story.append(_p(b.source_line("agreement"), s["small"]))

    # 2 History
    story.append(_p("2 Budget im Zeitverlauf", s["h2"]))
    if len(b.history):
        story.append(_chart(history_view(b.history, b.partner_name, b.partner["partner_ags"], highlight_year=b.year),
                            width))
        # a Paragraph, so the header naming the Stichtag (a span over the years) wraps inside its column;
        # the column beside it gives each year's Stichtag
        rows = [["Jahr", "Budget", _p(per_inhabitant_label(b.history.get("population_stichtag", [])), s["cell_bold"]),
                 "Stichtag", "Rang", "Projekte", "Status"]]
        for r in b.history.to_dict("records"):
            rows.append([_star(str(int(r["agreement_year"])), bool(r["is_demo"])),
                         euro_from_cents(int(r["budget_cents"])), f"{number(r['budget_per_inhabitant_eur'], 2)} €",
                         german_date(r.get("population_stichtag")),
                         # no rank over fewer than 3 agreements (official mode: Offenbach alone)
                         f"{int(r['budget_rank'])} von {int(r['ranked_count'])}" if int(r["ranked_count"]) >= MIN_COMPARED
                         else "–", str(int(r["project_count"])),
                         f"{r['status']} {german_date(r['status_date'])}"])
        story.append(_table(rows, [1.4 * cm, 2.6 * cm, 3.0 * cm, 2.0 * cm, 1.8 * cm, 1.6 * cm, width - 12.4 * cm],
                            right_cols=(1, 2, 5)))
        if "population_stichtag" in b.history:
            story.append(_p(stichtag_note(zip(b.history["agreement_year"].astype(int),
                                              [d.date() if d == d and d is not None else None
                                               for d in b.history["population_stichtag"]],
                                              b.history["population_basis"])), s["small"]))
    else:
        story.append(_p(b.missing_text, s["body"]))
    story.append(_p(b.source_line("history"), s["small"]))

    # 3 Projects
    story.append(_p(f"3 Projekte {b.year} nach Maßnahmenart", s["h2"]))
    if b.projects.empty:
        story.append(_p(b.missing_text, s["body"]))
    else:
        counts = b.change_counts()
        if b.projects["project_change"].notna().any():
            story.append(_p(f"Gegenüber {b.year - 1}: {counts['neu']} neu, {counts['fortgeführt']} fortgeführt, "
                            f"{counts['beendet']} beendet.", s["body"]))
        rows = [["Maßnahmenart", "Projekt", f"ggü. {b.year - 1}"]]
        for r in b.projects.to_dict("records"):
            # a real project stays unmarked; its status is marked when last year's list is demo
            rows.append([_p(r["measure_type_label"], s["cell"]), _p(_star(r["project_name"], bool(r["is_demo"])), s["cell"]),
                         _star(change_with_rename(r), bool(r.get("is_comparison_demo")))])
        for r in b.ended.to_dict("records"):
            rows.append([_p(r["measure_type_label"], s["cell"]), _p(_star(r["project_name"], bool(r["is_demo"])), s["cell"]),
                         _star(f"beendet ({r['agreement_year']})", bool(r.get("is_comparison_demo")))])
        story.append(_table(rows, [4 * cm, width - 7 * cm, 3 * cm]))
        mix = b.by_measure_type()
        summary = "; ".join(f"{r['measure_type_label']}: {r['project_count']}" for r in mix.to_dict("records"))
        story.append(_p(f"Projekte je Maßnahmenart – {summary}", s["small"]))

    # 4 Peers
    peers = b.peers.frame[b.peers.frame["has_agreement"]]
    block = [_p(f"4 Vergleich: {b.peers.label}", s["h2"])]
    if peers.empty:
        block.append(_p("Keine Vergleichswerte im Bestand.", s["body"]))
    else:
        block.append(_chart(peers_view(peers), width))
        rows = [["Gebietskörperschaft", f"Budget {b.year}",
                 _p(b.key.per_inhabitant_label if b.key else "€ je Einwohner", s["cell_bold"]), "ggü. Vorjahr", "Projekte"]]
        bold = []
        for i, r in enumerate(peers.to_dict("records"), start=1):
            change = (change_text(int(r["budget_cents"]) - int(r["previous_budget_cents"]), r["change_ratio"])
                      if pd.notna(r["change_ratio"]) else "–")
            rows.append([_star(r["partner_name"], bool(r["is_demo"])), euro_from_cents(int(r["budget_cents"])),
                         f"{number(r['budget_per_inhabitant_eur'], 2)} €", change, str(int(r["project_count"]))])
            if r["is_self"]:
                bold.append(i)
        block.append(_table(rows, [4.6 * cm, 3 * cm, 2.6 * cm, width - 12 * cm, 1.8 * cm], bold_rows=bold,
                            right_cols=(1, 2, 3, 4)))
    block.append(_p(b.source_line("peers"), s["small"]))
    story.append(KeepTogether(block))

    # 5 Implementation
    heading = _p("5 Umsetzungsstand (Plan und Ist)", s["h2"])
    totals = b.implementation_totals
    if not totals:
        story.append(heading)
        story.append(_p(f"Kein Umsetzungsstand {b.year} eingelesen. Vorlage: aqb template umsetzung --year {b.year} "
                        f"--partner {b.partner['partner_ags']}; Einlesen: aqb import-umsetzung DATEI.", s["body"]))
    else:
        reported = b.reported
        summary = _p(
            f"Mittelabfluss {percent(totals['spent_ratio'], 0)}: {euro_from_cents(totals['spent_cents'])} von "
            f"{euro_from_cents(totals['approved_cents'])} bewilligt"
            + (f"; Teilnehmende {number(totals['participants'])} von {number(totals['planned_places'])} geplanten "
               f"Plätzen ({percent(totals['participant_ratio'], 0)})" if totals["planned_places"] else "")
            + f"; gemeldet {totals['reported_count']} von {totals['project_count']} Projekten."
            + (" *" if totals["is_demo"] else ""), s["body"])
        view = implementation_view(reported, "project_name", long_names=True)
        top = max([v for s_ in view.series for v in s_.values if v is not None] + [1.0])
        chart = _chart(view, width, value_max=top)
        story.append(KeepTogether([heading, summary, chart]))
        rows = [["Projekt", "Bewilligt", "Ausgezahlt", "Abfluss", "Plätze", "Teiln.", "Quote"]]
        for r in b.implementation.to_dict("records"):
            if not r["has_status"]:
                rows.append([_p(r["project_name"], s["cell"]), "nicht gemeldet", "", "", "", "", ""])
                continue
            rows.append([
                _p(_star(r["project_name"], bool(r["is_demo"])), s["cell"]),
                euro_from_cents(int(r["approved_cents"])), euro_from_cents(int(r["spent_cents"])),
                percent(r["spent_ratio"], 0) if pd.notna(r["spent_ratio"]) else "–",
                number(int(r["planned_places"])) if pd.notna(r["planned_places"]) else "–",
                number(int(r["participants"])) if pd.notna(r["participants"]) else "–",
                percent(r["participant_ratio"], 0) if pd.notna(r["participant_ratio"]) else "–",
            ])
        rows.append(["Summe", euro_from_cents(totals["approved_cents"]), euro_from_cents(totals["spent_cents"]),
                     percent(totals["spent_ratio"], 0),
                     number(totals["planned_places"]) if totals["planned_places"] else "–",
                     number(totals["participants"]) if totals["participants"] is not None else "–",
                     percent(totals["participant_ratio"], 0) if totals["participant_ratio"] is not None else "–"])
        story.append(_table(rows, [width - 11 * cm, 2.6 * cm, 2.6 * cm, 1.6 * cm, 1.4 * cm, 1.4 * cm, 1.4 * cm],
                            bold_rows=[len(rows) - 1], right_cols=(1, 2, 3, 4, 5, 6)))
    story.append(_p(b.source_line("implementation"), s["small"]))

    # 6 Versions, 7 Open points, 8 Sources
    from aqb.present.slides import source_lines

    story.append(_p(f"6 Fassungen und Änderungen {b.year}", s["h2"]))
    if len(b.versions) > 1:
        rows = [versions.TABLE_HEADER]
        for cells, is_demo in zip(versions.table_rows(b.versions), b.versions["is_demo"]):
            rows.append([_star(cells[0], bool(is_demo)), _p(cells[1], s["cell"]), cells[2], _p(cells[3], s["cell"]),
                         cells[4], _p(cells[5], s["cell"])])
        # the file column fits a usual file name on one line
        story.append(_table(rows, [0.8 * cm, 2.6 * cm, 1.8 * cm, 4.7 * cm, 2.1 * cm, width - 12.0 * cm],
                            right_cols=(4,)))
    else:
        story.append(_p(versions.single_version_text(b.versions, b.year), s["body"]))

    story.append(_p("7 Offene Datenqualitätspunkte", s["h2"]))
    for q in b.quality or []:
        story.append(Paragraph(escape.pdf(q.text + (f" [{DEMO_MARK}]" if q.is_demo else "")), s["bullet"], bulletText="•"))
    if not b.quality:
        story.append(_p("keine", s["body"]))
    story.append(_p("8 Quellen", s["h2"]))
    for line in source_lines(b):
        story.append(Paragraph(escape.pdf(line), s["bullet"], bulletText="•"))

    stand = german_date(b.stand)
    created = german_date(date.today())

    def decorate(canvas, doc_):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(1.8 * cm, A4[1] - 1.2 * cm, f"Gesprächsunterlage · {b.partner_name} {b.year}")
        if b.has_demo:
            canvas.setFont(FONT_BOLD, 9)
            canvas.setFillColor(RED)
            canvas.drawRightString(A4[0] - 1.8 * cm, A4[1] - 1.2 * cm, DEMO_MARK)
        canvas.setFont(FONT, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(1.8 * cm, 1.1 * cm, printable(f"Unterlagen bis {stand} · {b.stand_text} · erstellt am {created} mit dem AQB-Dashboard"))
        canvas.drawRightString(A4[0] - 1.8 * cm, 1.1 * cm, f"Seite {doc_.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _key_demo(b: Briefing, label: str) -> bool:
    k = b.key
    if k is None:
        return False
    if label.startswith(("Budget", "€ je Einwohner")) or label == "Status":  # the per-capita label names its Stichtag
        return k.is_demo
    if label.startswith("Rang"):
        return k.is_demo or k.ranks_use_demo
    if label == "Veränderung zum Vorjahr":
        return k.is_demo or k.previous_is_demo
    if label == "Projekte":
        return b.projects_has_demo
    if label in ("Mittelabfluss", "Teilnehmende"):
        return b.implementation_has_demo
    return False


def overview_pdf(frame: pd.DataFrame, year: int, *, include_demo: bool) -> bytes:
    """The overview of a batch of briefings: one A4 landscape table."""
    from aqb.present.slides import OVERVIEW_WIDTHS, overview_header, overview_rows

    _register_fonts()
    s = _styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    doc = SimpleDocTemplate(buffer, pagesize=page, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.6 * cm,
                            bottomMargin=1.5 * cm, title=f"Gesprächsunterlagen {year} – Übersicht", author="AQB-Dashboard")
    width = page[0] - 3 * cm
    has_demo = bool(frame["is_demo"].any())
    stand = max((d for d in frame["stand"] if d is not None and pd.notna(d)), default=None)
    story = [_p(f"Gesprächsunterlagen {year} – Übersicht", s["title"]),
             _p(f"{len(frame)} Gebietskörperschaften · " + ("mit Demodaten" if include_demo else "nur amtliche Quellen"),
                s["subtitle"])]
    if has_demo:
        story.append(_p(f"{DEMO_MARK}: mit * markierte Zeilen enthalten generierte Demodaten.", s["demo"]))
    rows = [overview_header(frame)]
    for r, demo in zip(overview_rows(frame), frame["is_demo"]):
        rows.append([_star(r[0], bool(demo)), *r[1:]])
    total = sum(OVERVIEW_WIDTHS)
    story.append(_table(rows, [width * w / total for w in OVERVIEW_WIDTHS], right_cols=(1, 2, 3, 4, 6, 7, 8)))
    story.append(Spacer(1, 6))
    story.append(_p(f"Quelle: Zielvereinbarungen AQB {year} und Umsetzungsstand · Stand: {german_date(stand)}",
                    s["small"]))
    doc.build(story)
    return buffer.getvalue()
