"""Write an AgreementSpec as a Zielvereinbarung in the real wording: plain text, PDF and DOCX."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from aqb.errors import AqbError
from aqb.model import AgreementSpec, SignatureSpec
from aqb.reference import Partner, load_measure_types, load_partners

DEMO_NOTICE = "DEMODATEN – nicht amtlich. Erzeugt vom AQB-Dashboard, keine echte Zielvereinbarung."
# PDF furniture is stripped by repetition; the body banner must differ from it to survive.
DEMO_FOOTER = "DEMODATEN – nicht amtlich"
DEMO_BANNER = ("DEMODATEN – Dieses Dokument wurde vom AQB-Dashboard erzeugt. Es ist keine echte "
               "Zielvereinbarung und nicht amtlich.")
NBSP = "\u00a0"
PAGE_COUNT_TEXT = 3
BUDGET_FORMATS = ("euro_suffix", "cents_symbol", "eur_prefix", "split", "inline")
BULLETS = ("-", "–", "•", "*")
NUMBERINGS = ("1.", "1)")
TEXT_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")

# The agreements spell out Maßnahmenart 4 in full; the reference file keeps the short name.
LONG_MEASURE_NAMES = {
    4: "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen "
    "Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
}
# The 2025 agreement still abbreviates the renamed ministry as HMSI, so both names keep it.
MINISTRY_ABBREVIATIONS = {
    "Hessisches Ministerium für Soziales und Integration": "HMSI",
    "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales": "HMSI",
}
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = datetime(2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class TextStyle:
    """Variants of the plain-text rendering (the parser has to read all of them)."""

    bullet: str = "-"
    numbering: str = "1."
    budget_format: str = "euro_suffix"
    wrap: int | None = None
    emphasis: bool = True
    long_dates: bool = False
    page_furniture: bool = False
    drop_blank_lines: bool = False
    signature_marks: bool = True  # the handwritten line above the typed name, as in the scan

    def __post_init__(self) -> None:
        if self.bullet not in BULLETS:
            raise ValueError(f"bullet must be one of {BULLETS}")
        if self.numbering not in NUMBERINGS:
            raise ValueError(f"numbering must be one of {NUMBERINGS}")
        if self.budget_format not in BUDGET_FORMATS:
            raise ValueError(f"budget_format must be one of {BUDGET_FORMATS}")
        if self.wrap is not None and self.wrap < 20:
            raise ValueError("wrap must be None or at least 20 columns")


@dataclass(frozen=True)
class PdfStyle:
    font_size: float = 10.5
    bullet: str = "•"
    # "inline": bullet drawn with the item paragraph (extracts as "• text"); "list": a ListFlowable
    # (pypdf then gives the bullet on a line of its own, the text on the next)
    bullet_layout: str = "inline"
    running_header: bool = True
    page_numbers: bool = True
    signature_marks: bool = True

    def __post_init__(self) -> None:
        if self.bullet not in BULLETS:
            raise ValueError(f"bullet must be one of {BULLETS}")
        if self.bullet_layout not in ("list", "inline"):
            raise ValueError("bullet_layout must be 'list' or 'inline'")


# ---------------------------------------------------------------------------------------------
# German wording


@dataclass(frozen=True)
class PartnerForms:
    """The partner's name in each case the agreement needs, article included (lower case)."""

    title: str  # official name, no article
    nominative: str
    accusative: str
    dative: str
    genitive: str
    von: str  # "von der Stadt …" / "vom Landkreis …"
    signature_lines: tuple[str, ...]  # genitive split as under the partner's signature


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def partner_forms(official_name: str, kind: str) -> PartnerForms:
    """Declension of a Gebietskörperschaft name ("Stadt X", "Landkreis X", "Kreis X", "…kreis")."""
    name = official_name.strip()
    head, _, rest = name.partition(" ")
    if head.endswith("stadt") or head == "Stadt":
        return PartnerForms(name, f"die {name}", f"die {name}", f"der {name}", f"der {name}",
                            f"von der {name}", (f"der {head}", rest) if rest else (f"der {name}",))
    if head in ("Landkreis", "Kreis") and rest:
        return PartnerForms(name, f"der {name}", f"den {name}", f"dem {name}", f"des {head}es {rest}",
                            f"vom {name}", (f"des {head}es", rest))
    if name.lower().endswith("kreis"):
        return PartnerForms(name, f"der {name}", f"den {name}", f"dem {name}", f"des {name}es",
                            f"vom {name}", (f"des {name}es",))
    # A name without the usual head noun: fall back to the kind, which fixes the gender.
    if kind == "kreisfreie Stadt":
        return partner_forms(f"Stadt {name}", kind)
    return partner_forms(f"Landkreis {name}", kind)


@dataclass(frozen=True)
class MinistryForms:
    name: str
    nominative: str
    dative: str
    genitive: str
    abbreviation: str
    signature_lines: tuple[str, ...]


def ministry_forms(name: str) -> MinistryForms:
    name = name.strip()
    abbreviation = MINISTRY_ABBREVIATIONS.get(name) or "HM" + "".join(
        w[0] for w in re.findall(r"\b[A-ZÄÖÜ][a-zäöüß]+", name.split(" für ", 1)[-1])
    )
    prefix = "Hessisches Ministerium "
    if name.startswith(prefix):
        rest = name[len(prefix):]
        lines = ("Hessisches Ministerium", *textwrap.wrap(rest, 28, break_on_hyphens=False))
        return MinistryForms(name, f"das Hessische Ministerium {rest}", f"dem Hessischen Ministerium {rest}",
                             f"des Hessischen Ministeriums {rest}", abbreviation, lines)
    return MinistryForms(name, f"das {name}", f"dem {name}", f"des {name}", abbreviation,
                         tuple(textwrap.wrap(name, 28, break_on_hyphens=False)))


def format_euro(cents: int) -> str:
    """1011410_00 -> '1.011.410'; cents only when there are some ('1.011.410,50')."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError("money is integer cents")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{euros:,}".replace(",", ".")
    return f"{sign}{text},{rest:02d}" if rest else f"{sign}{text}"


def format_budget(cents: int, budget_format: str | TextStyle = "euro_suffix") -> str:
    """The § 4 amount as printed; 'split' gives two lines joined by '\\n'."""
    fmt = budget_format.budget_format if isinstance(budget_format, TextStyle) else budget_format
    amount = format_euro(cents)
    if fmt in ("euro_suffix", "inline"):
        return f"{amount} Euro"
    if fmt == "cents_symbol":
        euros, rest = divmod(abs(cents), 100)
        return f"{'-' if cents < 0 else ''}{format_euro(euros * 100)},{rest:02d} €"
    if fmt == "eur_prefix":
        return f"EUR {amount}"
    if fmt == "split":
        return f"{amount}\nEuro"
    raise ValueError(f"unknown budget format {fmt!r}")


def format_date(value: date, long: bool = False) -> str:
    if long:
        return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


def initials(name: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s-]+", name) if part and part[0].isupper())


def running_header(spec: AgreementSpec, partner: Partner) -> str:
    return f"Zielvereinbarung AQB {spec.year} – {partner.official_name}"


def page_footer(page: int, total: int) -> str:
    return f"Seite {page} von {total}"


# ---------------------------------------------------------------------------------------------
# Document model shared by all three writers


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit. ``text`` may hold ``**bold**`` spans; ``tight`` = no gap after."""

    kind: str  # notice, title, heading, subheading, para, amount, measure, item, sigplace, sigmark, sigline
    text: str
    number: int = 0  # Maßnahmenart code for "measure" and "item"
    tight: bool = False
    signed: date | None = None  # for "sigplace": text is the place, the date is formatted per output

    def place_and_date(self, long_dates: bool = False) -> str:
        return f"{self.text}, den {format_date(self.signed, long_dates)}"


def _partner_for(spec: AgreementSpec, reference_dir: Path) -> Partner:
    rows = [p for p in load_partners(Path(reference_dir)) if p.ags == spec.partner_ags]
    if not rows:
        raise AqbError(f"Gebietskörperschaft {spec.partner_ags} ist in den Referenzdaten unbekannt.")
    in_year = [p for p in rows if p.is_partner_in(spec.year)]
    return (in_year or rows)[0]


def _measure_names(reference_dir: Path) -> dict[int, str]:
    names = {t.code: t.name for t in load_measure_types(Path(reference_dir))}
    names.update(LONG_MEASURE_NAMES)
    return names


def _buendnis_period(year: int) -> str:
    # The Hessian "Bündnis Ausbildung" runs in five-year periods (2015–2019, 2020–2024, 2025–2029).
    start = 2015 + 5 * ((year - 2015) // 5)
    return f"{start} bis {start + 4}"


def build_blocks(spec: AgreementSpec, reference_dir: Path, budget_format: str = "euro_suffix") -> list[Block]:
    """The agreement as a list of blocks, in the wording of the real Zielvereinbarung."""
    partner = _partner_for(spec, reference_dir)
    p = partner_forms(partner.official_name, partner.kind)
    m = ministry_forms(spec.ministry_name)
    y = spec.year
    abbr = m.abbreviation
    measure_names = _measure_names(reference_dir)
    unknown = sorted({code for code, _ in spec.projects} - set(measure_names))
    if unknown:
        raise AqbError(f"Unbekannte Maßnahmenart(en) {unknown} in der Zielvereinbarung {y} {spec.partner_ags}.")

    b: list[Block] = []
    if spec.is_demo:
        b.append(Block("notice", DEMO_NOTICE))
    b += [
        Block("title", "Zielvereinbarung"),
        Block("title", str(y)),
        Block("title", "zwischen"),
        Block("title", m.dative),
        Block("title", f"und {p.dative}"),
        Block("title", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets"),
        Block("subheading", "Präambel"),
        Block("para",
              "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine gemeinsame, "
              "auf die Zukunftsanforderungen fokussierte Strategie ein. "
              f"Dafür will {m.nominative} ({abbr}) regionale Handlungs- und Entscheidungsspielräume eröffnen und "
              "vereinbart dazu Ziele mit den Kreisen und kreisfreien Städten. Bei allen Maßnahmen und Angeboten, die "
              f"über das Ausbildungs- und Qualifizierungsbudget umgesetzt werden, orientiert sich das {abbr} an den "
              "landespolitischen Zielsetzungen der Arbeitsmarktpolitik, dem „Bündnis für Ausbildung für die Jahre "
              f"{_buendnis_period(y)}“, dem Fachkonzept „Arbeitswelt Hessen“ des {abbr} sowie an der regionalen "
              f"Arbeitsmarkt- und Ausbildungsstrategie {p.genitive}. Die Maßnahmen sind grundsätzlich genderadäquat, "
              "ohne Altersbegrenzungen und inklusiv angelegt und überdies den Leitlinien der "
              "UN-Behindertenrechtskonvention verpflichtet."),
        Block("heading", "§ 1"),
        Block("heading", "Ausbildungs- und Qualifizierungsbudget"),
        Block("subheading", "Ziele des Landes"),
        Block("para",
              f"Das {abbr} verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {y} das Ziel, die "
              "Ausbildungsfähigkeit von benachteiligten Menschen zu steigern, ihre Beschäftigungsfähigkeit zu "
              "sichern, ihnen Ausbildungsabschlüsse zu ermöglichen und sie durch längerfristige, flexible und "
              "arbeitsmarktnahe Qualifizierung zu einer eigenständigen Existenzsicherung zu befähigen. Der flexible "
              "und ganzheitliche Handlungsansatz des Budgets bietet den Kreisen und kreisfreien Städten die "
              "Möglichkeit, bedarfsorientierte berufliche und qualifikatorische Angebote für unterschiedliche "
              "Zielgruppen auf Basis der regional entwickelten Arbeitsmarkt- und Ausbildungsstrategie umzusetzen. "
              "Menschen mit ihren jeweiligen Bedürfnissen und Herausforderungen ernst zu nehmen und bei ihrem Weg in "
              f"Ausbildung und Beschäftigung zu unterstützen, betrachtet das {abbr} als zentralen Baustein für eine "
              "erfolgversprechende und nachhaltige Integration in unsere Gesellschaft."),
        Block("para",
              f"Bei der Erreichung dieses Ziels setzt das {abbr} auf einen rechtskreisübergreifenden Förderansatz in "
              "den hessischen Kreisen und kreisfreien Städten. Nur wenn die einzelnen Rechtskreise SGB II, III, VIII, "
              "XII und AsylbLG sinnvoll zusammenwirken, alle Zielgruppen – inklusive der sog. Stillen Reserve – und "
              "weitere regionale Akteure aus Arbeitsmarkt und Wirtschaft potenziell einbezogen sind, können "
              "Unterstützungsstrukturen geschaffen werden, die ein selbstbestimmtes Leben auch in herausfordernden "
              "Lebenslagen ermöglichen."),
        Block("para",
              "Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen vollqualifizierenden "
              "Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für Maßnahmen zur Ermöglichung von "
              "Teilzeitausbildungen bereitgestellt. Über die im Rahmen des ESF Hessen geförderte „Servicestelle "
              f"Teilzeit-Ausbildung“ unterstützt das {abbr} die Zusammenarbeit aller regionalen Akteure am Übergang "
              "Schule-Beruf."),
        Block("para",
              "Schwerpunkte im Ausbildungs- und Qualifizierungsbudget sind Maßnahmen zur Ausbildungs- und "
              "Qualifizierungsvorbereitung, zu Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen, "
              "Qualifizierungsprojekte zur Arbeitsmarktintegration und Fachkräftesicherung sowie Weiterbildungen für "
              "Fachpersonal der Gebietskörperschaften mit Bezug zu Teilnehmenden des AQB."),
        Block("heading", "§ 2"),
        Block("heading", "Verpflichtungen der Vereinbarungspartner"),
        Block("para",
              f"{_cap(m.nominative)} und {p.nominative} setzen die ihnen zur Verfügung stehenden Kompetenzen dafür "
              "ein, dass die in § 5 vereinbarten Ziele erreicht werden. Die Entscheidung über den Mitteleinsatz "
              f"erfolgt im Kontext der {p.von} bereits erarbeiteten und regelmäßig zu aktualisierenden regionalen "
              "Ausbildungs- und Arbeitsmarktstrategie, die mit den regionalen Akteuren der Rechtskreise SGB II, III, "
              "VIII, XII und AsylbLG, der Wirtschaft und – für den Bereich des Übergangs von der Schule in den "
              "Beruf – mit den regionalen OloV-Steuerungsgruppen abgestimmt ist."),
        Block("para",
              f"Im Jahr {y} werden im Rahmen des AQB erneut Landesmittel für spezifische Angebote zur Integration "
              "von Menschen mit Migrationshintergrund zur Verfügung gestellt. Die geförderten Angebote sind durch "
              "eine hohe Individualität und Vielfalt gekennzeichnet."),
        Block("heading", "§ 3"),
        Block("heading", "Umsetzung der UN-Behindertenrechtskonvention"),
        Block("para",
              f"Die Integration in das Erwerbsleben stellt aus der Sicht {m.genitive} eine der vordringlichsten "
              "Maßnahmen zur Förderung der Teilhabe von Menschen mit Behinderungen dar. Auch angesichts der "
              "demografischen Entwicklung und eines damit verbundenen aktuellen und zukünftigen "
              "Fachkräftemangels kommt der nachhaltigen Förderung von Maßnahmen zur Integration von Menschen mit "
              "Behinderungen in den Arbeitsprozess eine große Bedeutung zu."),
        Block("heading", "§ 4"),
        Block("heading", "Haushaltsmittel und Eckdaten"),
    ]
    lead = f"Das {abbr} stellt {p.dative} im Jahr {y} Haushaltsmittel in Höhe von insgesamt"
    tail = f"aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung."
    if budget_format == "inline":
        b.append(Block("para", f"{lead} {format_budget(spec.budget_cents, 'inline')} {tail}"))
    else:
        amount_lines = format_budget(spec.budget_cents, budget_format).split("\n")
        b.append(Block("para", lead))
        for i, line in enumerate(amount_lines):
            b.append(Block("amount", line, tight=i < len(amount_lines) - 1))
        b.append(Block("para", tail))
    b += [
        Block("heading", "§ 5"),
        Block("heading", f"Ziele für die Umsetzung {p.genitive}"),
        Block("para",
              f"{_cap(p.nominative)} finanziert mit den Mitteln des **Ausbildungs- und Qualifizierungsbudgets "
              f"{y}** in den jeweiligen Maßnahmenarten folgende Projekte:"),
    ]
    list_blocks: list[Block] = []
    for code in sorted(measure_names):
        list_blocks.append(Block("measure", measure_names[code], number=code, tight=True))
        list_blocks += [Block("item", name, number=code, tight=True) for c, name in spec.projects if c == code]
    list_blocks[-1] = Block(list_blocks[-1].kind, list_blocks[-1].text, list_blocks[-1].number, tight=False)
    b += list_blocks
    b += [
        Block("para",
              f"Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach "
              f"Antragstellung durch {p.accusative} vom Regierungspräsidium Kassel erlassenen – Bescheides."),
        Block("heading", "§ 6 **Zielsteuerung**"),
        Block("para",
              f"{_cap(p.nominative)} und das {abbr} bleiben über die Entwicklung des Budgets {y} im engen "
              "Austausch. Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt."),
        Block("para",
              "Unterjährige Abweichungen von den in § 4 genannten Haushaltsmitteln und Eckdaten werden bei der "
              "Beurteilung der Zielerreichung berücksichtigt."),
        Block("heading", "§ 7 **Kontinuierlicher Verbesserungsprozess**"),
        Block("para",
              f"{_cap(p.nominative)} beteiligt sich an Umfragen und Tagungen des {abbr} mit dem Ziel, Erfahrungen "
              "auszutauschen, gute Praxis zu identifizieren und neue Impulse für die regionale Arbeitsmarkt- und "
              "Ausbildungspolitik zu setzen."),
        Block("para",
              f"Die Zielvereinbarungen werden auf dem Internetportal des {abbr} „Arbeitswelt Hessen“ veröffentlicht."),
    ]
    for index, sig in enumerate(spec.signatures):
        institution = m.signature_lines if index == 0 else p.signature_lines
        b += _signature_blocks(sig, institution, ministry_side=index == 0)
    return b


def _signature_blocks(sig: SignatureSpec, institution: tuple[str, ...], ministry_side: bool) -> list[Block]:
    # The scan shows the minister's written-out name but only the partner's initials.
    mark = sig.name if ministry_side else initials(sig.name)
    lines = [sig.name, sig.role, *institution]
    return [
        Block("sigplace", sig.place, signed=sig.signed_date),
        Block("sigmark", mark),
        *[Block("sigline", line, tight=i < len(lines) - 1) for i, line in enumerate(lines)],
    ]


# ---------------------------------------------------------------------------------------------
# Plain text


def _plain(text: str, emphasis: bool) -> str:
    return text if emphasis else text.replace("**", "")


def _no_dash_at_line_start(text: str) -> str:
    # A wrapped line starting with "– " would read as a new bullet item.
    return text.replace(" – ", NBSP + "– ").replace(" - ", NBSP + "- ")


def _wrap(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    if width is None:
        return [first + text]
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)
    lines = wrapper.wrap(_no_dash_at_line_start(text)) or [first.rstrip()]
    return [line.replace(NBSP, " ") for line in lines]


_KEEP_WITH_NEXT = {"notice", "title", "heading", "subheading", "measure", "sigplace", "sigmark"}


def _text_groups(spec: AgreementSpec, reference_dir: Path, style: TextStyle) -> list[tuple[list[str], bool, bool]]:
    """(lines, tight, keep) per block: tight = no blank line after; keep = no page break after."""
    blocks = build_blocks(spec, reference_dir, style.budget_format)
    groups: list[tuple[list[str], bool, bool]] = []
    for block in blocks:
        text = _plain(block.text, style.emphasis)
        if block.kind == "sigmark" and not style.signature_marks:
            continue
        if block.kind == "sigplace":
            text = block.place_and_date(style.long_dates)
        if block.kind == "notice":
            lines = [text]  # the parser looks for exactly this first line
        elif block.kind == "measure":
            number = style.numbering.replace("1", str(block.number))
            lines = _wrap(f"{number} {text}", style.wrap, "", "  ")
        elif block.kind == "item":
            lines = _wrap(text, style.wrap, f" {style.bullet} ", "  ")
        else:
            lines = _wrap(text, style.wrap)
        keep = block.kind in _KEEP_WITH_NEXT or (block.tight and block.kind != "item")
        groups.append((lines, block.tight, keep))
    return groups


def _join_groups(groups: list[tuple[list[str], bool, bool]]) -> list[str]:
    out: list[str] = []
    for lines, tight, _keep in groups:
        out += lines
        if not tight:
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def render_text(spec: AgreementSpec, reference_dir: Path, style: TextStyle = TextStyle()) -> str:
    """The agreement as plain text (lines joined by '\\n', pages by '\\f', ending in '\\n')."""
    groups = _text_groups(spec, reference_dir, style)
    if not style.page_furniture:
        lines = _join_groups(groups)
        if style.drop_blank_lines:
            lines = [line for line in lines if line.strip()]
        return "\n".join(lines) + "\n"

    partner = _partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    notice_first = spec.is_demo and groups and groups[0][0] == [DEMO_NOTICE]
    if notice_first:
        groups = groups[1:]
    # Break pages at the first allowed block boundary after each third of the body, as a printer would.
    sizes = [len(lines) + (0 if tight else 1) for lines, tight, _keep in groups]
    total = sum(sizes)
    cuts: list[int] = []
    running = 0
    for index, size in enumerate(sizes):
        running += size
        if (len(cuts) < PAGE_COUNT_TEXT - 1 and not groups[index][2]
                and running >= total * (len(cuts) + 1) / PAGE_COUNT_TEXT):
            cuts.append(index + 1)
    bounds = [0, *cuts, len(groups)]
    pages: list[str] = []
    for number in range(1, PAGE_COUNT_TEXT + 1):
        body = _join_groups(groups[bounds[number - 1]:bounds[number]])
        while body and body[0] == "":
            body.pop(0)
        page = [header, "", *body, "", page_footer(number, PAGE_COUNT_TEXT)]
        if number == 1 and notice_first:
            page = [DEMO_NOTICE, *page]
        if style.drop_blank_lines:
            page = [line for line in page if line.strip()]
        pages.append("\n".join(page))
    return "\f".join(pages) + "\n"


def write_text(spec: AgreementSpec, path: Path, reference_dir: Path, style: TextStyle = TextStyle(),
               encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write the plain-text rendering with the given encoding and line ending."""
    if encoding not in TEXT_ENCODINGS:
        raise ValueError(f"encoding must be one of {TEXT_ENCODINGS}")
    if newline not in ("\n", "\r\n"):
        raise ValueError("newline must be '\\n' or '\\r\\n'")
    text = render_text(spec, reference_dir, style).replace("\n", newline)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise AqbError(f"{Path(path).name}: Zeichen {exc.object[exc.start:exc.end]!r} ist in {encoding} "
                       "nicht darstellbar.") from None
    path = Path(path)
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# PDF (reportlab platypus; standard Helvetica in WinAnsi covers ä ö ü ß € „ “ –, the bullet comes from Symbol)


def _xml(text: str) -> str:
    escaped = _no_dash_at_line_start(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)


def write_pdf(spec: AgreementSpec, path: Path, reference_dir: Path, style: PdfStyle = PdfStyle()) -> Path:
    """An A4 PDF with running header and 'Seite n von N' footer; bytes depend only on the input."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, ListFlowable, ListItem, PageTemplate, Paragraph, Spacer

    partner = _partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    blocks = build_blocks(spec, reference_dir)
    size = style.font_size
    width, height = A4
    margin_x, margin_top, margin_bottom = 2.4 * cm, 2.6 * cm, 2.4 * cm
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=size, leading=size * 1.35, spaceAfter=size * 0.6)
    styles = {
        "notice": ParagraphStyle("notice", parent=body, fontName="Helvetica-Bold", textColor="#b00020",
                                 borderColor="#b00020", borderWidth=0.8, borderPadding=4, spaceAfter=size * 1.6),
        "title": ParagraphStyle("title", parent=body, alignment=TA_CENTER, fontSize=size * 1.15,
                                leading=size * 1.55, spaceAfter=size * 0.5),
        "heading": ParagraphStyle("heading", parent=body, fontName="Helvetica-Bold", alignment=TA_CENTER,
                                  spaceBefore=size * 0.4, spaceAfter=size * 0.3, keepWithNext=1),
        "subheading": ParagraphStyle("subheading", parent=body, fontName="Helvetica-Bold", keepWithNext=1),
        "para": body,
        "amount": ParagraphStyle("amount", parent=body, fontName="Helvetica-Bold", alignment=TA_CENTER),
        "measure": ParagraphStyle("measure", parent=body, leftIndent=0.6 * cm, firstLineIndent=-0.6 * cm,
                                  spaceAfter=size * 0.2, keepWithNext=1),
        "item": ParagraphStyle("item", parent=body, spaceAfter=size * 0.15),
        "sigplace": ParagraphStyle("sigplace", parent=body, spaceBefore=size, spaceAfter=size * 0.8),
        "sigmark": ParagraphStyle("sigmark", parent=body, fontName="Helvetica-Oblique", fontSize=size * 1.3,
                                  leading=size * 1.6, spaceAfter=size * 0.8),
        "sigline": ParagraphStyle("sigline", parent=body, spaceAfter=0),
    }

    story: list = []
    items: list = []
    signature: list = []

    # reportlab encodes "•" in Helvetica as 0x7F, which extractors drop; the Symbol font keeps it.
    bullet_font = "Symbol" if style.bullet == "•" else "Helvetica"
    inline_item = ParagraphStyle("inline_item", parent=styles["item"], leftIndent=1.3 * cm,
                                 bulletIndent=0.6 * cm, bulletFontName=bullet_font)

    def flush_items() -> None:
        if not items:
            return
        if style.bullet_layout == "inline":
            story.extend(Paragraph(_xml(t), inline_item, bulletText=style.bullet) for t in items)
        else:
            story.append(ListFlowable(
                [ListItem(Paragraph(_xml(t), styles["item"])) for t in items],
                bulletType="bullet", start=style.bullet, bulletFontName=bullet_font, bulletFontSize=size,
                leftIndent=1.3 * cm,
            ))
        story.append(Spacer(1, size * 0.3))
        items.clear()

    def flush_signature() -> None:
        if signature:
            story.append(KeepTogether(list(signature)))
            signature.clear()

    for block in blocks:
        if block.kind == "item":
            items.append(block.text)
            continue
        flush_items()
        if block.kind == "sigplace":
            flush_signature()
            signature.append(Paragraph(_xml(block.place_and_date()), styles["sigplace"]))
        elif block.kind == "sigmark":
            if style.signature_marks:
                signature.append(Paragraph(_xml(block.text), styles["sigmark"]))
        elif block.kind == "sigline":
            signature.append(Paragraph(_xml(block.text), styles["sigline"]))
        elif block.kind == "measure":
            story.append(Paragraph(_xml(f"{block.number}. {block.text}"), styles["measure"]))
        elif block.kind == "notice":
            story.append(Paragraph(_xml(DEMO_BANNER), styles["notice"]))
        else:
            story.append(Paragraph(_xml(block.text), styles[block.kind]))
    flush_items()
    flush_signature()

    def draw_header(canvas: Canvas, _doc) -> None:
        canvas.saveState()
        y = height - 1.2 * cm
        if spec.is_demo:
            canvas.setFont("Helvetica-Bold", 8)
            canvas.setFillColor("#b00020")
            canvas.drawString(margin_x, y, DEMO_NOTICE)
            y -= 0.45 * cm
        if style.running_header:
            canvas.setFont("Helvetica", 8)
            canvas.setFillColor("#444444")
            canvas.drawString(margin_x, y, header)
        canvas.restoreState()

    def draw_footer(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        y = 1.3 * cm
        if spec.is_demo:
            canvas.setFillColor("#b00020")
            canvas.drawString(margin_x, y, DEMO_FOOTER)
            y -= 0.45 * cm
        if style.page_numbers:
            canvas.setFillColor("#444444")
            canvas.drawRightString(width - margin_x, y, page_footer(page, total))
        canvas.restoreState()

    class NumberedCanvas(Canvas):
        # Pages are kept until the end so the footer can say "von N".
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pending: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._pending.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pending)
            for state in self._pending:
                self.__dict__.update(state)
                draw_footer(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=margin_x, rightMargin=margin_x, topMargin=margin_top,
        bottomMargin=margin_bottom, title=header, author="AQB-Dashboard" if spec.is_demo else "",
        subject=DEMO_NOTICE if spec.is_demo else "Zielvereinbarung", creator="AQB-Dashboard", invariant=1,
    )
    frame = Frame(margin_x, margin_bottom, width - 2 * margin_x, height - margin_top - margin_bottom, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=draw_header)])
    doc.build(story, canvasmaker=NumberedCanvas)
    path = Path(path)
    path.write_bytes(buffer.getvalue())
    return path


# ---------------------------------------------------------------------------------------------
# DOCX


def _add_runs(paragraph, text: str) -> None:
    for index, part in enumerate(re.split(r"\*\*", text)):
        if part:
            paragraph.add_run(part).bold = index % 2 == 1 or None


def _deterministic_zip(data: bytes) -> bytes:
    # python-docx stamps every zip member with the current time; fix it so equal input gives equal bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_docx(spec: AgreementSpec, path: Path, reference_dir: Path) -> Path:
    """A Word document: headings and paragraphs, projects in style 'List Bullet'."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    partner = _partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    blocks = build_blocks(spec, reference_dir)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)

    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.text = DEMO_NOTICE if spec.is_demo else header
    if spec.is_demo:
        section.header.add_paragraph(header)
        section.footer.paragraphs[0].text = DEMO_FOOTER

    for block in blocks:
        kind = block.kind
        if kind == "notice":
            para = document.add_paragraph()
            run = para.add_run(block.text)
            run.bold = True
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
        elif kind == "title":
            para = document.add_paragraph(style="Title" if block.text == "Zielvereinbarung" else None)
            _add_runs(para, block.text)
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            level = 2 if block.text.startswith("§") else 3
            para = document.add_heading(level=level)
            _add_runs(para, block.text)
        elif kind == "subheading":
            para = document.add_heading(level=4)
            _add_runs(para, block.text)
        elif kind == "amount":
            para = document.add_paragraph()
            para.add_run(block.text).bold = True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "measure":
            para = document.add_paragraph()
            _add_runs(para, f"{block.number}. {block.text}")
        elif kind == "item":
            para = document.add_paragraph(style="List Bullet")
            _add_runs(para, block.text)
        elif kind == "sigplace":
            document.add_paragraph(block.place_and_date())
        elif kind == "sigmark":
            para = document.add_paragraph()
            para.add_run(block.text).italic = True
        else:
            para = document.add_paragraph()
            _add_runs(para, block.text)

    props = document.core_properties
    props.title = header
    props.author = "AQB-Dashboard"
    props.last_modified_by = "AQB-Dashboard"
    props.subject = DEMO_NOTICE if spec.is_demo else "Zielvereinbarung"
    props.created = _FIXED_DOC_TIME
    props.modified = _FIXED_DOC_TIME
    props.last_printed = _FIXED_DOC_TIME
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    path = Path(path)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))
    return path
