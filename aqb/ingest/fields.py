"""Pipeline stage 4: read the fields of an agreement — year, ministry, partner, § 5 projects,
signatures — each with the line it came from. Each reader is a function of a Context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path

from aqb import reference
from aqb.errors import DocumentRefused
from aqb.ingest.money import AMOUNT_RE, amount_match_cents
from aqb.ingest.partners import match_partner, normalize
from aqb.ingest.sections import Section, Sections
from aqb.ingest.sourceref import ref
from aqb.ingest.tables import is_table_row, read_table, to_projects
from aqb.ingest.textclean import CleanLine
from aqb.model import Project, Signature, SourceRef

_YEAR = re.compile(r"(?<![\d.])(20\d{2}|19\d{2})(?![\d.])")
_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "april": 4, "mai": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_DATE = (
    r"(?P<d>\d{1,2})\.\s?(?:(?P<m>\d{1,2})\.\s?|(?P<mname>[A-Za-zäÄ]+)\s+)(?P<y>\d{4})"
)
# "Wiesbaden, den 6.8.2025"; a draft has "Wiesbaden, den ____" (blank). A place has at most 6 words,
# so a wrapped sentence ending in a comma is not taken for one.
_PLACE_DATE = re.compile(
    rf"^(?P<place>[A-ZÄÖÜ][^\d,§\s]*(?:\s[^\d,§\s]+){{0,5}})\s*,\s*"
    rf"(?:(?:den\b\s*)?{_DATE}|den\b\s*(?P<blank>[_.…\s]*)|(?P<blank_only>[_…]{{3,}}))$"
)
_BULLET = re.compile(r"^(?:[-–—•*▪◦·‣]|[a-z]\))\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^(?P<num>[1-9])\s*[.)]\s+(?P<text>.+)$")
_PARAGRAPH_START = re.compile(
    r"^(?:Die|Der|Das|Diese[rs]?|Alle|Sämtliche|Im|In|Zur|Über|Bei|Nach|Mit|Es|Für|Hierzu|Dazu)\s"
)
_CLOSING = re.compile(r"^Die\s+Förderung\s+der\s+(?:aufgeführten|genannten|vorstehenden)\s+Maßnahmen\b")
_CONNECTOR_END = re.compile(r"(?:\b(?:und|oder|für|mit|von|zur|zum|der|die|das|des|im|in|an|auf|bei|sowie|zu)|[,–/&+-])$")
_PERSON = re.compile(
    r"^(?:(?:Dr\.|Prof\.|Dipl\.-[A-Za-z]+\.?)\s+)*[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?"
    r"(?:\s+(?:(?:von|van|de|zu|der|den)\s+)*[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?){1,3}$"
)
_NOT_A_NAME = re.compile(
    r"ministerium|minister|staats|stadt|kreis|landrat|landrätin|bürgermeister|beigeordnet|dezernent"
    r"|kämmerer|hessisch|soziales|integration|arbeit|jugend|magistrat",
    re.IGNORECASE,
)
_MINISTRY_SIDE = re.compile(r"ministerium|minister|staatssekret", re.IGNORECASE)




@dataclass
class Context:
    """What the field readers share: the document's lines and sections, and what they found."""

    file_name: str
    lines: list[CleanLine]
    parts: Sections
    reference_dir: Path
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)
    facts: dict[str, object] = field(default_factory=dict)  # what cross-checks need (year in § 4, …)
    ministry: str | None = None
    amount_sums: tuple = ([], {})

    @property
    def sections(self) -> dict[int, Section]:
        return self.parts.by_number

    @property
    def title_block(self) -> list[CleanLine]:
        return self.parts.title_block

    def refuse(self, reason: str) -> DocumentRefused:
        return DocumentRefused(self.file_name, reason)


def _parse_date(match: re.Match) -> date | None:
    day = int(match.group("d"))
    if match.group("mname"):
        month = _MONTHS.get(match.group("mname").lower())
        if month is None:
            return None
    else:
        month = int(match.group("m"))
    try:
        return date(int(match.group("y")), month, day)
    except ValueError:
        return None


# -- fields ----------------------------------------------------------------------------
def year(ctx: Context) -> int:
    title_year = None
    for line in ctx.title_block:
        match = _YEAR.search(line.text)
        if match and "demodaten" not in line.text.lower():
            title_year = int(match.group(1))
            ctx.sources["year"] = ref(line)
            break
    s4_year, s4_line = None, None
    for line in ctx.facts.get("budget_lines", ctx.parts.get(4).lines):
        match = re.search(r"\b(?:im\s+Jahr(?:e)?|budgets?)\s+(20\d{2})\b", line.text, re.IGNORECASE)
        if match:
            s4_year, s4_line = int(match.group(1)), line
            break
    if title_year is None and s4_year is None:
        raise ctx.refuse("kein Vereinbarungsjahr gefunden (weder im Titel noch in § 4).")
    if title_year is None:
        ctx.sources["year"] = ref(s4_line)
        return s4_year
    ctx.facts["title_year"], ctx.facts["s4_year"] = title_year, s4_year
    return title_year


def ministry_and_partner_phrase(ctx: Context) -> tuple[str | None, str | None, CleanLine | None]:
    text_lines = [ln for ln in ctx.title_block if ln.text and "demodaten" not in ln.text.lower()]
    joined = " ".join(ln.text for ln in text_lines)
    ministry = None
    m = re.search(
        r"\b(?:dem|das|des)\s+(Hessische[nms]?\s+(?:Sozialministerium|Ministerium\s+für\s+.+?))"
        r"(?=\s+und\s+(?:der|dem|des|den)\s)",
        joined,
    )
    if m:
        ministry = re.sub(r"^Hessische[nms]?\b", "Hessisches", m.group(1)).strip()
        ministry = re.sub(r"\s+\(HMSI\)$", "", ministry)
    p = re.search(
        r"\bund\s+(?P<phrase>(?:der|dem|des|den)\s+.+?)(?=\s+(?:zur|zum|über|betreffend|für\s+das)\b|[;]|$)",
        joined[m.end() :] if m else joined,
    )
    phrase = p.group("phrase").strip() if p else None
    where = None
    if phrase:
        head = phrase.split()[1] if len(phrase.split()) > 1 else phrase
        where = next((ln for ln in text_lines if head in ln.text), text_lines[0] if text_lines else None)
    return ministry, phrase, where


def partner(ctx: Context, year: int) -> reference.Partner:
    partners_of_year = reference.partners_in(ctx.reference_dir, year)
    all_partners = reference.load_partners(ctx.reference_dir)
    ministry, phrase, where = ministry_and_partner_phrase(ctx)
    ctx.ministry = ministry
    if ministry:
        line = next((ln for ln in ctx.title_block if "Ministerium" in ln.text), None)
        if line is not None:
            ctx.sources["ministry"] = ref(line)
    if phrase is None:
        # No "… und der Stadt X" line: look for a partner name anywhere in the title.
        hits, ambiguous = {}, None
        for line in ctx.title_block:
            if not line.text or "demodaten" in line.text.lower():
                continue
            result = _one_row_per_key(match_partner(line.text, all_partners), year)
            if len(result.candidates) == 1:
                hits[result.candidates[0].ags] = (result.candidates[0], line)
            elif result.candidates and ambiguous is None:
                ambiguous = result
        if not hits and ambiguous is not None:
            names = " oder ".join(p.official_name for p in ambiguous.candidates)
            raise ctx.refuse(f"Vertragspartner „{ambiguous.phrase}“ ist mehrdeutig ({names}).")
        if len(hits) == 1:
            found, line = next(iter(hits.values()))
            phrase, where = line.text, line
        elif len(hits) > 1:
            names = ", ".join(sorted(p.official_name for p, _ in hits.values()))
            raise ctx.refuse(f"Vertragspartner nicht eindeutig: im Titel stehen {names}.")
        else:
            raise ctx.refuse("kein Vertragspartner (Landkreis oder kreisfreie Stadt) im Titel gefunden.")
    result = _one_row_per_key(match_partner(phrase, all_partners), year)
    if not result.candidates:
        raise ctx.refuse(
            f"Vertragspartner „{phrase}“ ist keine der {len(partners_of_year)} hessischen "
            "Gebietskörperschaften des AQB."
        )
    if len(result.candidates) > 1:
        names = " oder ".join(p.official_name for p in result.candidates)
        raise ctx.refuse(f"Vertragspartner „{phrase}“ ist mehrdeutig ({names}).")
    found = result.candidates[0]
    if not found.is_partner_in(year):
        raise ctx.refuse(f"{found.official_name} ist {year} kein Vertragspartner des AQB.")
    if where is not None:
        ctx.sources["partner"] = ref(where)
    _check_partner_elsewhere(ctx, found, all_partners, year)
    return found


def _check_partner_elsewhere(ctx: Context, found: reference.Partner, partners, year: int) -> None:
    body = " ".join(ln.text for ln in ctx.facts.get("budget_lines", ctx.parts.get(4).lines))
    m = re.search(r"\bstellt\s+(?P<p>(?:der|dem)\s+.+?)\s+(?:im\s+Jahr|für\s+das\s+Jahr|Haushaltsmittel)", body)
    if m:
        other = _one_row_per_key(match_partner(m.group("p"), partners), year).candidates
        if len(other) == 1:
            ctx.facts["s4_partner"] = other[0]


def projects(ctx: Context, measure_types: tuple[reference.MeasureType, ...], body: list[CleanLine] | None = None,
             ) -> tuple[list[Project], list[int]]:
    """The projects of § 5 (or of ``body``) under their Maßnahmenart, in document order."""
    if body is None:
        if 5 not in ctx.sections:
            ctx.warnings.append("kein § 5 (Projekte) gefunden.")
            return [], []
        body = ctx.sections[5].lines
    table = read_table(body, measure_types, _match_category)
    ctx.warnings.extend(table.warnings)
    ctx.facts["table_sum_rows"] = table.sum_rows
    body = [ln for ln in body if not is_table_row(ln)]
    items: list[tuple[int, list[CleanLine]]] = []  # (measure type, lines of one project)
    category_amounts: dict[int, int] = {}
    categories: list[int] = list(table.categories)
    current: int | None = None
    mode: str | None = None  # "bullet" or "plain" once the first project of a category is seen
    open_list = False
    gap = False
    i = 0
    while i < len(body):
        line = body[i]
        text = line.text
        i += 1
        if not text:
            gap = True
            continue
        numbered = _NUMBERED.match(text)
        if numbered:
            heading, heading_cents = _split_amount(numbered.group("text"))
            code, consumed = _match_category(heading, body[i:], measure_types)
            if code is not None:
                if heading_cents is not None:
                    category_amounts[code] = heading_cents
                if code != int(numbered.group("num")):
                    ctx.warnings.append(
                        f"Maßnahmenart „{numbered.group('num')}.“ hat den Wortlaut von Maßnahmenart {code}; "
                        f"verwendet: {code}."
                    )
                current, mode, open_list, gap = code, None, True, False
                if code not in categories:
                    categories.append(code)
                i += consumed
                continue
        bullet = _BULLET.match(text)
        if bullet or (numbered and current is not None and open_list):
            if current is None:
                ctx.warnings.append(f"Projekt ohne Maßnahmenart übergangen: „{text}“.")
                continue
            items.append((current, [line]))
            mode, open_list, gap = "bullet", True, False
            continue
        if current is None or not open_list:
            continue
        if _CLOSING.match(text):
            current = None  # the closing paragraph of § 5: no more projects follow
            continue
        is_paragraph = bool(_PARAGRAPH_START.match(text)) and (len(text) >= 35 or text.endswith("."))
        if mode == "bullet":
            previous = items[-1][1][-1].text
            continuation = line.indent >= 2 or not text[0].isupper() or _CONNECTOR_END.search(previous)
            if not gap and (continuation or not is_paragraph):
                items[-1][1].append(line)
                continue
            if gap and continuation and line.indent >= 2:
                items[-1][1].append(line)
                continue
            open_list = False
            continue
        # A list without bullets: one project per line, wrapped lines start lower-case.
        if is_paragraph:
            open_list = False
            continue
        if mode == "plain" and not gap and (not text[0].isupper() or line.indent >= 2):
            items[-1][1].append(line)
            continue
        items.append((current, [line]))
        mode, gap = "plain", False
    projects = to_projects(table, 1)
    for position, (code, project_lines) in enumerate(items, start=len(projects) + 1):
        raw = " ".join(ln.text for ln in project_lines)
        bullet = _BULLET.match(raw) or _NUMBERED.match(raw)
        name = bullet.group("text") if bullet else raw
        name = re.sub(r"\s+", " ", name).strip().rstrip(";,").strip()
        name, cents = _split_amount(name)
        projects.append(Project(code, name, position, ref(project_lines[0], raw), cents))
    for mt in measure_types:
        if mt.code in categories and not any(p.measure_type_code == mt.code for p in projects):
            ctx.warnings.append(f"Maßnahmenart {mt.code} ({mt.label}) ohne Projekte.")
    if not projects:
        ctx.warnings.append("keine Projekte in § 5 gefunden.")
    ctx.amount_sums = (projects, category_amounts)
    seen: set[tuple[int, str]] = set()
    for p in projects:
        key = (p.measure_type_code, p.name.casefold())
        if key in seen:
            ctx.warnings.append(f"Projekt „{p.name}“ steht doppelt in Maßnahmenart {p.measure_type_code}.")
        seen.add(key)
    return projects, categories


def signatures(ctx: Context, year: int) -> list[Signature]:
    last_section = max(ctx.sections) if ctx.sections else None
    start = 0
    if last_section is not None:
        first_body = ctx.sections[last_section].lines
        start = ctx.lines.index(first_body[0]) if first_body else len(ctx.lines)
    blocks: list[tuple[CleanLine, re.Match, list[CleanLine]]] = []
    tail = ctx.lines[start:]
    for k, line in enumerate(tail):
        match = _PLACE_DATE.match(line.text)
        if not match and "," in line.text and k + 1 < len(tail) and tail[k + 1].text:
            # "Bad Homburg vor der Höhe, den" / "13. Juni 2021" wrapped over two lines
            joined = _PLACE_DATE.match(f"{line.text} {tail[k + 1].text}")
            if joined and joined.group("d"):
                match, line = joined, CleanLine(line.page, line.number, joined.group(0), line.indent)
                tail[k + 1] = CleanLine(line.page, line.number, "", 0)
        if match and (match.group("d") or match.group("blank") is not None or match.group("blank_only")):
            blocks.append((line, match, []))
        elif blocks and line.text:
            blocks[-1][2].append(line)
    signatures = []
    for line, match, rest in blocks:
        signed = None
        if match.group("d"):
            signed = _parse_date(match)
            if signed is None:
                ctx.warnings.append(f"ungültiges Datum „{line.text}“ (Zeile {line.number}).")
            elif signed.year != year:
                ctx.warnings.append(
                    f"Unterschrift vom {signed.day}.{signed.month}.{signed.year} liegt nicht im Vereinbarungsjahr {year}."
                )
        name, role = _name_and_role([ln.text for ln in rest])
        block_text = " ".join([line.text] + [ln.text for ln in rest])
        side = "ministry" if _MINISTRY_SIDE.search(block_text) else "partner"
        signatures.append(Signature(side, match.group("place").strip(), signed, name, role, ref(line)))
    if len(signatures) == 2 and signatures[0].side == signatures[1].side:
        # Neither or both blocks name the ministry: the ministry signs first by convention.
        a, b = signatures
        signatures = [
            Signature("ministry", a.place, a.signed_date, a.name, a.role, a.source),
            Signature("partner", b.place, b.signed_date, b.name, b.role, b.source),
        ]
    if not signatures:
        ctx.warnings.append("keine Unterschriften mit Ort und Datum gefunden (Entwurf?).")
    elif len(signatures) == 1:
        ctx.warnings.append("nur eine Unterschrift gefunden.")
    elif len(signatures) > 2:
        ctx.warnings.append(f"{len(signatures)} Unterschriftsblöcke gefunden, erwartet 2.")
    return signatures


def _one_row_per_key(result, year: int):
    """A partner with several validity rows (Main-Kinzig-Kreis before and after Hanau left it) is one
    partner: keep the row valid in ``year``, else its latest row."""
    by_key: dict[str, reference.Partner] = {}
    for p in result.candidates:
        held = by_key.get(p.ags)
        if held is None or (p.is_partner_in(year) and not held.is_partner_in(year)):
            by_key[p.ags] = p
    return type(result)(result.phrase, tuple(by_key.values()))


@lru_cache(maxsize=8)
def _category_names(measure_types) -> tuple[tuple[int, str], ...]:
    return tuple((mt.code, normalize(n)) for mt in measure_types for n in mt.all_names)


def _match_category(text: str, following: list[CleanLine], measure_types) -> tuple[int | None, int]:
    """The Maßnahmenart a numbered line names, and how many wrapped lines of its name follow."""
    text = re.sub(r"\s*[:–-]?\s*$", "", text)
    names = _category_names(measure_types)

    def codes_for(candidate: str) -> set[int]:
        key = normalize(candidate)
        if len(key) < 8:
            return set()
        return {code for code, n in names if n.startswith(key) or key.startswith(n)}

    codes = codes_for(text)
    if len(codes) != 1:
        return None, 0
    code = codes.pop()
    consumed = 0
    acc = text
    for line in following:
        if not line.text or _BULLET.match(line.text) or _NUMBERED.match(line.text):
            break
        extended = normalize(acc + " " + line.text)
        if not any(c == code and n.startswith(extended) for c, n in names):
            break
        acc += " " + line.text
        consumed += 1
    return code, consumed


def _split_amount(text: str) -> tuple[str, int | None]:
    """A trailing amount ("Jobcoach (120.000 Euro)", "…: 250.000 €") split off the text."""
    match = re.search(r"\s*(?:[:–—-]\s*|\()\s*(?P<amount>" + AMOUNT_RE.pattern + r")\s*\)?\s*$", text)
    if not match:
        return text, None
    inner = AMOUNT_RE.search(match.group("amount"))
    return text[: match.start()].rstrip(), amount_match_cents(inner)


def _name_and_role(lines: list[str]) -> tuple[str | None, str | None]:
    name_index = None
    for i, text in enumerate(lines):
        if _PERSON.match(text) and not _NOT_A_NAME.search(text):
            name_index = i
            break
    if name_index is None:
        return None, None
    name = lines[name_index]
    j = name_index + 1
    while j < len(lines) and lines[j] == name:  # the signature image often repeats the name
        j += 1
    role = lines[j] if j < len(lines) else None
    return name, role
