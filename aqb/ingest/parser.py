"""Read a Zielvereinbarung into exact values, each with the page, line and sentence it came from.

The pipeline, one small module per stage, each testable alone:
extract (``extract``) → normalise (``textclean``) → find sections (``sections``) → kind of
document (``kinds``) → read fields (``fields``, ``budget``, ``tables``) → cross-check
(``crosscheck``). This module only runs the stages in order.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from aqb import reference
from aqb.errors import DocumentRefused
from aqb.ingest import fields
from aqb.ingest.budget import read_budget
from aqb.ingest.crosscheck import Findings, cross_check
from aqb.ingest.extract import extract
from aqb.ingest.kinds import DocumentKind, classify
from aqb.ingest.sections import split_sections
from aqb.ingest.textclean import CleanLine, clean_lines
from aqb.model import AENDERUNG, ParsedAgreement

PARSER_VERSION = "2.0"
_MENTIONS_S4 = re.compile(r"§\s*4\b|Haushaltsmittel", re.IGNORECASE)
_NAMES_MONEY = re.compile(r"\d[^\w\n]{0,2}(?:Euro|EUR|€)|(?:Euro|EUR|€)[^\w\n]{0,2}\d|in\s+Höhe\s+von", re.IGNORECASE)
_MENTIONS_S5 = re.compile(r"§\s*5\b|Projekte|Maßnahmenart", re.IGNORECASE)


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
    """Parse a document given as bytes. Raises DocumentRefused (file name + German reason).

    Blocking cross-check failures do not raise here: they are in ``ParsedAgreement.blocking``
    (the upload review shows them); `aqb ingest` refuses such documents (see ``refusal_for``).
    """
    extracted = extract(file_name, data, max_bytes)
    lines = clean_lines(extracted.pages)
    # Looked for before furniture is stripped: a demo notice repeated on every page is furniture too.
    is_demo = any("demodaten" in line.text.lower() for page in extracted.pages for line in page)
    is_ocr = bool(getattr(extracted, "is_ocr", False))
    parts = split_sections(lines)
    kind = classify(file_name, parts)
    ctx = fields.Context(file_name, lines, parts, reference_dir)
    warnings = ctx.warnings
    warnings.extend(getattr(extracted, "warnings", ()) or ())
    budget_lines, project_lines = _amendment_bodies(lines, parts) if kind.kind == AENDERUNG else (None, None)
    if budget_lines is not None:
        ctx.facts["budget_lines"] = budget_lines
    year = fields.year(ctx)
    if kind.base_year is not None and kind.kind == AENDERUNG:
        year = kind.base_year
    partner = fields.partner(ctx, year)
    reading = read_budget(budget_lines if budget_lines is not None else parts.get(4).lines)
    if reading.budget_cents is None:
        if kind.kind != AENDERUNG:
            if 4 not in parts.by_number:
                raise DocumentRefused(file_name, "kein § 4 (Haushaltsmittel) gefunden – Budgetbetrag fehlt.")
            raise DocumentRefused(file_name, "kein Budgetbetrag in § 4 gefunden (erwartet z. B. „1.011.410 Euro“).")
        reading = None
    else:
        ctx.sources["budget"] = reading.source
        warnings.extend(reading.warnings)
    measure_types = reference.load_measure_types(reference_dir)
    if kind.kind == AENDERUNG:
        projects, categories = fields.projects(ctx, measure_types, project_lines) if project_lines else ([], [])
        # An amendment names only what changes: "no projects" is no warning there.
        warnings[:] = [w for w in warnings if w not in ("keine Projekte in § 5 gefunden.", "kein § 5 (Projekte) gefunden.")]
        if reading is None and not projects and _NAMES_MONEY.search(" ".join(ln.text for ln in budget_lines or [])):
            raise DocumentRefused(file_name, f"ist eine {kind.amendment_label}, aber der neue Betrag in § 4 ist nicht lesbar.")
        if reading is None and not projects:
            raise DocumentRefused(
                file_name,
                f"ist eine {kind.amendment_label}, aber weder ein neues Budget (§ 4) noch neue Projekte (§ 5) sind erkennbar.",
            )
    else:
        projects, categories = fields.projects(ctx, measure_types)
    signatures = fields.signatures(ctx, year)
    ministry = ctx.ministry
    ministry_ok = True
    if ministry is None:
        warnings.append("Ministerium im Titel nicht erkannt.")
    else:
        new_name = "Arbeit, Integration, Jugend und Soziales" in ministry
        if year >= 2024 and not new_name or year <= 2023 and new_name:
            warnings.append(f"Ministeriumsname „{ministry}“ passt nicht zum Jahr {year}.")
            ministry_ok = False
    s4_partner = ctx.facts.get("s4_partner")
    verdict = cross_check(Findings(
        year=year, title_year=ctx.facts.get("title_year"), s4_year=ctx.facts.get("s4_year"),
        partner_ags=partner.ags, partner_name=partner.official_name,
        s4_partner=(s4_partner.ags, s4_partner.official_name) if s4_partner is not None else None,
        budget=reading, projects=projects, category_amounts=ctx.amount_sums[1],
        table_sums=[cents for cents, _ in ctx.facts.get("table_sum_rows", [])],
        signatures=signatures, is_ocr=is_ocr, ministry_ok=ministry_ok, needs_projects=kind.kind != AENDERUNG,
    ))
    blocking = list(verdict.blocking)
    if reading is None and _NAMES_MONEY.search(" ".join(ln.text for ln in budget_lines or [])):
        blocking.append(f"{kind.amendment_label}: der Text zu § 4 nennt einen Betrag, der nicht lesbar ist.")
    return ParsedAgreement(
        file_name=file_name,
        sha256=extracted.sha256,
        file_format=extracted.file_format,
        agreement_year=year,
        partner_ags=partner.ags,
        partner_name=partner.name,
        partner_kind=partner.kind,
        budget_cents=reading.budget_cents if reading is not None else 0,
        ministry_name=ministry,
        projects=tuple(projects),
        signatures=tuple(signatures),
        warnings=tuple(warnings),
        sources=dict(ctx.sources),
        is_demo=is_demo,
        parser_version=PARSER_VERSION,
        page_count=len(extracted.pages),
        categories_seen=tuple(categories),
        document_kind=kind.kind,
        amendment_label=kind.amendment_label,
        budget_lines=tuple(
            replace(line, is_part_of_budget=part) for line, part in zip(reading.lines, reading.part_of_budget)
        ) if reading is not None else (),
        has_budget=reading is not None,
        has_projects=bool(projects) or kind.kind != AENDERUNG,
        confidence=verdict.confidence,
        blocking=tuple(dict.fromkeys(blocking)),
        is_ocr=is_ocr,
    )


def refusal_for(agreement: ParsedAgreement) -> DocumentRefused | None:
    """The refusal `aqb ingest`/`build` give a document whose cross-checks do not hold, else None."""
    if not agreement.blocking:
        return None
    return DocumentRefused(agreement.file_name, "nicht übernommen, Werte widersprechen sich: " + " ".join(agreement.blocking))


def _amendment_bodies(lines: list[CleanLine], parts) -> tuple[list[CleanLine] | None, list[CleanLine] | None]:
    """Where an amendment states a new budget and new projects: its § 4 / § 5 when it has such
    headings, else the text from the first mention of § 4 (Haushaltsmittel) and of § 5 (Projekte)."""
    if 4 in parts.by_number or 5 in parts.by_number:
        s4 = parts.by_number[4].lines if 4 in parts.by_number else []
        s5 = parts.by_number[5].lines if 5 in parts.by_number else []
        return s4, s5
    body = lines
    start4 = next((i for i, ln in enumerate(body) if _MENTIONS_S4.search(ln.text)), None)
    start5 = next((i for i, ln in enumerate(body) if _MENTIONS_S5.search(ln.text) and not _MENTIONS_S4.search(ln.text)), None)
    s4 = body[start4 : start5 if start5 is not None and start5 > start4 else len(body)] if start4 is not None else []
    s5 = body[start5:] if start5 is not None else []
    return s4, s5
