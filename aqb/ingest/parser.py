"""Read a Zielvereinbarung into exact values, each with the page, line and sentence it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aqb import reference
from aqb.errors import DocumentRefused
from aqb.ingest.extract import extract
from aqb.model import ParsedAgreement, Project, Signature, SourceRef
from aqb.ingest.money import AMOUNT_RE, amount_match_cents, parse_plain_number
from aqb.ingest.partners import match_partner, normalize
from aqb.ingest.textclean import CleanLine, clean_lines

PARSER_VERSION = "1.0"
SNIPPET_MAX = 400

_HEADING = re.compile(r"^§\s*(\d{1,2})(?:\s+(.*))?$")
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


@dataclass(frozen=True)
class _Section:
    number: int
    title: str
    lines: list[CleanLine]  # body, without the heading and the title line


def read_document(path: Path, max_bytes: int) -> bytes:
    """The bytes of a document file, refusing folders, unreadable and oversized files."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentRefused(name, f"Datei ist {size / 1048576:.1f} MB groß (höchstens {max_bytes / 1048576:.0f} MB).")
        return path.read_bytes()
    except IsADirectoryError:
        raise DocumentRefused(name, "ist ein Ordner, keine Datei.") from None
    except FileNotFoundError:
        raise DocumentRefused(name, "Datei nicht gefunden.") from None
    except OSError as exc:
        raise DocumentRefused(name, f"Datei nicht lesbar ({exc.strerror or type(exc).__name__}).") from None


def parse_file(path: Path, reference_dir: Path, max_bytes: int) -> ParsedAgreement:
    """Parse one document file. Raises DocumentRefused (file name + German reason)."""
    return parse_bytes(path.name, read_document(path, max_bytes), reference_dir, max_bytes)


def parse_bytes(file_name: str, data: bytes, reference_dir: Path, max_bytes: int) -> ParsedAgreement:
    """Parse a document given as bytes. Raises DocumentRefused (file name + German reason)."""
    extracted = extract(file_name, data, max_bytes)
    lines = clean_lines(extracted.pages)
    # Looked for before furniture is stripped: a demo notice repeated on every page is furniture too.
    is_demo = any("demodaten" in line.text.lower() for page in extracted.pages for line in page)
    parsed = _Parse(file_name, lines, reference_dir)
    return parsed.result(extracted.sha256, extracted.file_format, len(extracted.pages), is_demo)


def _ref(line: CleanLine, snippet: str | None = None) -> SourceRef:
    text = snippet if snippet is not None else line.text
    return SourceRef(line.page, line.number, text[:SNIPPET_MAX])


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


class _Parse:
    def __init__(self, file_name: str, lines: list[CleanLine], reference_dir: Path):
        self.file_name = file_name
        self.lines = lines
        self.reference_dir = reference_dir
        self.warnings: list[str] = []
        self.sources: dict[str, SourceRef] = {}
        self.sections, self.title_block = self._split_sections()
        self.amount_sums: tuple[list[Project], dict[int, int]] = ([], {})

    def refuse(self, reason: str) -> DocumentRefused:
        return DocumentRefused(self.file_name, reason)

    # -- structure -------------------------------------------------------------------------
    def _split_sections(self) -> tuple[dict[int, _Section], list[CleanLine]]:
        starts: list[tuple[int, int, str]] = []
        last = 0
        for i, line in enumerate(self.lines):
            match = _HEADING.match(line.text)
            if not match:
                continue
            number, rest = int(match.group(1)), (match.group(2) or "").strip()
            # "§ 5 vereinbarten Ziele" wrapped to a line start is prose, not a heading.
            if number <= last or (rest and not rest[0].isupper()):
                continue
            starts.append((i, number, rest))
            last = number
        sections: dict[int, _Section] = {}
        for k, (i, number, rest) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(self.lines)
            body = self.lines[i + 1 : end]
            title = rest
            if not title:
                non_empty = [j for j, ln in enumerate(body) if ln.text]
                if non_empty:
                    first = body[non_empty[0]]
                    if len(first.text) <= 80 and not first.text.endswith((".", ":")) and not _BULLET.match(first.text):
                        title = first.text
                        body = body[non_empty[0] + 1 :]
            sections[number] = _Section(number, title, body)
        title_end = starts[0][0] if starts else min(len(self.lines), 25)
        for i, line in enumerate(self.lines[:title_end]):
            if line.text.lower().startswith("präambel"):
                title_end = i
                break
        return sections, self.lines[:title_end]

    # -- fields ----------------------------------------------------------------------------
    def year(self) -> int:
        title_year = None
        for line in self.title_block:
            match = _YEAR.search(line.text)
            if match and "demodaten" not in line.text.lower():
                title_year = int(match.group(1))
                self.sources["year"] = _ref(line)
                break
        s4_year, s4_line = None, None
        for line in self.sections.get(4, _Section(4, "", [])).lines:
            match = re.search(r"\b(?:im\s+Jahr(?:e)?|budgets?)\s+(20\d{2})\b", line.text, re.IGNORECASE)
            if match:
                s4_year, s4_line = int(match.group(1)), line
                break
        if title_year is None and s4_year is None:
            raise self.refuse("kein Vereinbarungsjahr gefunden (weder im Titel noch in § 4).")
        if title_year is None:
            self.sources["year"] = _ref(s4_line)
            return s4_year
        if s4_year is not None and s4_year != title_year:
            self.warnings.append(
                f"Jahr im Titel ({title_year}) und in § 4 ({s4_year}) unterscheiden sich; verwendet: {title_year}."
            )
        return title_year

    def ministry_and_partner_phrase(self) -> tuple[str | None, str | None, CleanLine | None]:
        text_lines = [ln for ln in self.title_block if ln.text and "demodaten" not in ln.text.lower()]
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

    def partner(self, year: int) -> reference.Partner:
        partners_of_year = reference.partners_in(self.reference_dir, year)
        all_partners = reference.load_partners(self.reference_dir)
        ministry, phrase, where = self.ministry_and_partner_phrase()
        self.ministry = ministry
        if ministry:
            line = next((ln for ln in self.title_block if "Ministerium" in ln.text), None)
            if line is not None:
                self.sources["ministry"] = _ref(line)
        if phrase is None:
            # No "… und der Stadt X" line: look for a partner name anywhere in the title.
            hits, ambiguous = {}, None
            for line in self.title_block:
                if not line.text or "demodaten" in line.text.lower():
                    continue
                result = _one_row_per_key(match_partner(line.text, all_partners), year)
                if len(result.candidates) == 1:
                    hits[result.candidates[0].ags] = (result.candidates[0], line)
                elif result.candidates and ambiguous is None:
                    ambiguous = result
            if not hits and ambiguous is not None:
                names = " oder ".join(p.official_name for p in ambiguous.candidates)
                raise self.refuse(f"Vertragspartner „{ambiguous.phrase}“ ist mehrdeutig ({names}).")
            if len(hits) == 1:
                found, line = next(iter(hits.values()))
                phrase, where = line.text, line
            elif len(hits) > 1:
                names = ", ".join(sorted(p.official_name for p, _ in hits.values()))
                raise self.refuse(f"Vertragspartner nicht eindeutig: im Titel stehen {names}.")
            else:
                raise self.refuse("kein Vertragspartner (Landkreis oder kreisfreie Stadt) im Titel gefunden.")
        result = _one_row_per_key(match_partner(phrase, all_partners), year)
        if not result.candidates:
            raise self.refuse(
                f"Vertragspartner „{phrase}“ ist keine der {len(partners_of_year)} hessischen "
                "Gebietskörperschaften des AQB."
            )
        if len(result.candidates) > 1:
            names = " oder ".join(p.official_name for p in result.candidates)
            raise self.refuse(f"Vertragspartner „{phrase}“ ist mehrdeutig ({names}).")
        found = result.candidates[0]
        if not found.is_partner_in(year):
            raise self.refuse(f"{found.official_name} ist {year} kein Vertragspartner des AQB.")
        if where is not None:
            self.sources["partner"] = _ref(where)
        self._check_partner_elsewhere(found, all_partners, year)
        return found

    def _check_partner_elsewhere(self, found: reference.Partner, partners, year: int) -> None:
        body = " ".join(ln.text for ln in self.sections.get(4, _Section(4, "", [])).lines)
        m = re.search(r"\bstellt\s+(?P<p>(?:der|dem)\s+.+?)\s+(?:im\s+Jahr|für\s+das\s+Jahr|Haushaltsmittel)", body)
        if m:
            other = _one_row_per_key(match_partner(m.group("p"), partners), year).candidates
            if len(other) == 1 and other[0].ags != found.ags:
                self.warnings.append(
                    f"§ 4 nennt {other[0].official_name}, der Titel {found.official_name}; verwendet: Titel."
                )

    def budget(self) -> int:
        section = self.sections.get(4)
        if section is None:
            raise self.refuse("kein § 4 (Haushaltsmittel) gefunden – Budgetbetrag fehlt.")
        lines = section.lines
        joined = "\n".join(ln.text for ln in lines)
        offsets, pos = [], 0
        for ln in lines:
            offsets.append(pos)
            pos += len(ln.text) + 1
        found: list[tuple[int, int, int]] = []  # (cents, start, end)
        for match in AMOUNT_RE.finditer(joined):
            found.append((amount_match_cents(match), match.start(), match.end()))
        if not found:
            for ln, off in zip(lines, offsets):
                cents = parse_plain_number(ln.text)
                # A bare number counts only if it cannot be a year or a paragraph number.
                if cents is not None and cents >= 1_000_000 and not _YEAR.fullmatch(ln.text.strip()):
                    found.append((cents, off, off + len(ln.text)))
        if not found:
            raise self.refuse("kein Budgetbetrag in § 4 gefunden (erwartet z. B. „1.011.410 Euro“).")
        chosen = found[0]
        for cents, start, end in found:
            if re.search(r"(insgesamt|in\s+Höhe\s+von)\s*$", joined[max(0, start - 40) : start]):
                chosen = (cents, start, end)
                break
        distinct = sorted({c for c, _, _ in found})
        if len(distinct) > 1:
            from aqb.fmt import euro_from_cents

            self.warnings.append(
                "§ 4 nennt mehrere Beträge ("
                + ", ".join(euro_from_cents(c) for c in distinct)
                + f"); verwendet: {euro_from_cents(chosen[0])}."
            )
        cents, start, end = chosen
        line_index = max(i for i, off in enumerate(offsets) if off <= start)
        sentence = _sentence_around(joined.replace("\n", " "), start, end)
        self.sources["budget"] = _ref(lines[line_index], sentence)
        if cents == 0:
            self.warnings.append("Budget in § 4 ist 0 Euro.")
        return cents

    def projects(self, measure_types: tuple[reference.MeasureType, ...]) -> tuple[list[Project], list[int]]:
        section = self.sections.get(5)
        if section is None:
            self.warnings.append("kein § 5 (Projekte) gefunden.")
            return [], []
        items: list[tuple[int, list[CleanLine]]] = []  # (measure type, lines of one project)
        category_amounts: dict[int, int] = {}
        categories: list[int] = []
        current: int | None = None
        mode: str | None = None  # "bullet" or "plain" once the first project of a category is seen
        open_list = False
        gap = False
        body = section.lines
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
                        self.warnings.append(
                            f"Maßnahmenart „{numbered.group('num')}.“ hat den Wortlaut von Maßnahmenart {code}; "
                            f"verwendet: {code}."
                        )
                    current, mode, open_list, gap = code, None, True, False
                    categories.append(code)
                    i += consumed
                    continue
            bullet = _BULLET.match(text)
            if bullet or (numbered and current is not None and open_list):
                if current is None:
                    self.warnings.append(f"Projekt ohne Maßnahmenart übergangen: „{text}“.")
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
        projects = []
        for position, (code, project_lines) in enumerate(items, start=1):
            raw = " ".join(ln.text for ln in project_lines)
            bullet = _BULLET.match(raw) or _NUMBERED.match(raw)
            name = bullet.group("text") if bullet else raw
            name = re.sub(r"\s+", " ", name).strip().rstrip(";,").strip()
            name, cents = _split_amount(name)
            projects.append(Project(code, name, position, _ref(project_lines[0], raw), cents))
        for mt in measure_types:
            if mt.code in categories and not any(p.measure_type_code == mt.code for p in projects):
                self.warnings.append(f"Maßnahmenart {mt.code} ({mt.label}) ohne Projekte.")
        if not projects:
            self.warnings.append("keine Projekte in § 5 gefunden.")
        self.amount_sums = (projects, category_amounts)
        seen: set[tuple[int, str]] = set()
        for p in projects:
            key = (p.measure_type_code, p.name.casefold())
            if key in seen:
                self.warnings.append(f"Projekt „{p.name}“ steht doppelt in Maßnahmenart {p.measure_type_code}.")
            seen.add(key)
        return projects, categories

    def signatures(self, year: int) -> list[Signature]:
        last_section = max(self.sections) if self.sections else None
        start = 0
        if last_section is not None:
            first_body = self.sections[last_section].lines
            start = self.lines.index(first_body[0]) if first_body else len(self.lines)
        blocks: list[tuple[CleanLine, re.Match, list[CleanLine]]] = []
        tail = self.lines[start:]
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
                    self.warnings.append(f"ungültiges Datum „{line.text}“ (Zeile {line.number}).")
                elif signed.year != year:
                    self.warnings.append(
                        f"Unterschrift vom {signed.day}.{signed.month}.{signed.year} liegt nicht im Vereinbarungsjahr {year}."
                    )
            name, role = _name_and_role([ln.text for ln in rest])
            block_text = " ".join([line.text] + [ln.text for ln in rest])
            side = "ministry" if _MINISTRY_SIDE.search(block_text) else "partner"
            signatures.append(Signature(side, match.group("place").strip(), signed, name, role, _ref(line)))
        if len(signatures) == 2 and signatures[0].side == signatures[1].side:
            # Neither or both blocks name the ministry: the ministry signs first by convention.
            a, b = signatures
            signatures = [
                Signature("ministry", a.place, a.signed_date, a.name, a.role, a.source),
                Signature("partner", b.place, b.signed_date, b.name, b.role, b.source),
            ]
        if not signatures:
            self.warnings.append("keine Unterschriften mit Ort und Datum gefunden (Entwurf?).")
        elif len(signatures) == 1:
            self.warnings.append("nur eine Unterschrift gefunden.")
        elif len(signatures) > 2:
            self.warnings.append(f"{len(signatures)} Unterschriftsblöcke gefunden, erwartet 2.")
        return signatures

    def _check_sums(self, budget: int, projects: list[Project], category_amounts: dict[int, int]) -> None:
        """§ 5 amounts, where given, must add up to the budget of § 4 (a warning, not a refusal)."""
        from aqb.fmt import euro_from_cents

        amounts = [p.amount_cents for p in projects]
        if projects and all(a is not None for a in amounts) and sum(amounts) != budget:
            self.warnings.append(
                f"Summe der Projektbeträge in § 5 ({euro_from_cents(sum(amounts))}) weicht vom Budget in § 4 "
                f"({euro_from_cents(budget)}) ab."
            )
        codes = {p.measure_type_code for p in projects} | set(category_amounts)
        if category_amounts and set(category_amounts) >= codes and sum(category_amounts.values()) != budget:
            self.warnings.append(
                f"Summe der Beträge je Maßnahmenart in § 5 ({euro_from_cents(sum(category_amounts.values()))}) "
                f"weicht vom Budget in § 4 ({euro_from_cents(budget)}) ab."
            )

    def result(self, sha256: str, file_format: str, page_count: int, is_demo: bool) -> ParsedAgreement:
        year = self.year()
        partner = self.partner(year)
        budget = self.budget()
        measure_types = reference.load_measure_types(self.reference_dir)
        projects, categories = self.projects(measure_types)
        signatures = self.signatures(year)
        self._check_sums(budget, projects, self.amount_sums[1])
        if self.ministry is None:
            self.warnings.append("Ministerium im Titel nicht erkannt.")
        else:
            new_name = "Arbeit, Integration, Jugend und Soziales" in self.ministry
            if year >= 2024 and not new_name or year <= 2023 and new_name:
                self.warnings.append(f"Ministeriumsname „{self.ministry}“ passt nicht zum Jahr {year}.")
        return ParsedAgreement(
            file_name=self.file_name,
            sha256=sha256,
            file_format=file_format,
            agreement_year=year,
            partner_ags=partner.ags,
            partner_name=partner.name,
            partner_kind=partner.kind,
            budget_cents=budget,
            ministry_name=self.ministry,
            projects=tuple(projects),
            signatures=tuple(signatures),
            warnings=tuple(self.warnings),
            sources=dict(self.sources),
            is_demo=is_demo,
            parser_version=PARSER_VERSION,
            page_count=page_count,
            categories_seen=tuple(categories),
        )


def _one_row_per_key(result, year: int):
    """A partner with several validity rows (Main-Kinzig-Kreis before and after Hanau left it) is one
    partner: keep the row valid in ``year``, else its latest row."""
    by_key: dict[str, reference.Partner] = {}
    for p in result.candidates:
        held = by_key.get(p.ags)
        if held is None or (p.is_partner_in(year) and not held.is_partner_in(year)):
            by_key[p.ags] = p
    return type(result)(result.phrase, tuple(by_key.values()))


def _match_category(text: str, following: list[CleanLine], measure_types) -> tuple[int | None, int]:
    """The Maßnahmenart a numbered line names, and how many wrapped lines of its name follow."""
    text = re.sub(r"\s*[:–-]?\s*$", "", text)
    names = [(mt.code, normalize(n)) for mt in measure_types for n in mt.all_names]

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


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that contains [start, end); dots inside numbers do not end one."""
    boundary = re.compile(r"(?<=[^\d\s][.!?])\s+(?=[A-ZÄÖÜ§])")
    begin = 0
    for m in boundary.finditer(text, 0, start):
        begin = m.end()
    m = boundary.search(text, end)
    finish = m.start() if m else len(text)
    return re.sub(r"\s+", " ", text[begin:finish]).strip()


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
