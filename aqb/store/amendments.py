"""Apply an amendment (Änderung/Nachtrag) to the agreement it changes: its new budget and/or new
projects replace the old values, everything else is kept from the base version."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from aqb.model import BudgetLine, ParsedAgreement, Project, SourceRef


def no_base_reason(amendment: ParsedAgreement) -> str:
    """The refusal of an amendment whose base agreement is not in the store."""
    label = amendment.amendment_label or "Änderung einer Zielvereinbarung"
    return (f"ist eine {label}, aber für {amendment.partner_name} {amendment.agreement_year} "
            "ist keine Zielvereinbarung im Bestand.")


def base_from_store(con, agreement_id: str) -> ParsedAgreement:
    """The stored version ``agreement_id`` as far as an amendment needs it (budget, lines, projects)."""
    budget_cents, file_name = con.execute(
        "select budget_cents, source_file from agreements where agreement_id = $id", {"id": agreement_id}
    ).fetchone()
    projects = tuple(
        Project(code, name, position, SourceRef(page, line, snippet), amount, provider)
        for position, code, name, page, line, snippet, amount, provider in con.execute(
            "select project_position, measure_type_code, project_name, source_page, source_line, source_snippet,"
            " amount_cents, provider from projects where agreement_id = $id order by project_position",
            {"id": agreement_id},
        ).fetchall()
    )
    lines = tuple(
        BudgetLine(programme, role, amount, SourceRef(page, line, snippet), part)
        for programme, role, amount, part, page, line, snippet in con.execute(
            "select programme_code, line_role, amount_cents, is_part_of_budget, source_page, source_line,"
            " source_snippet from budget_lines where agreement_id = $id order by line_position",
            {"id": agreement_id},
        ).fetchall()
    )
    sources = {
        field: SourceRef(page, line, snippet)
        for field, page, line, snippet in con.execute(
            "select field_name, source_page, source_line, source_snippet from extracted_values where agreement_id = $id",
            {"id": agreement_id},
        ).fetchall()
    }
    return ParsedAgreement(
        file_name=file_name, sha256=agreement_id, file_format="", agreement_year=0, partner_ags="", partner_name="",
        partner_kind="", budget_cents=budget_cents, ministry_name=None, projects=projects, signatures=(),
        warnings=(), sources=sources, is_demo=False, parser_version="", budget_lines=lines,
    )


def merged(amendment: ParsedAgreement, base: ParsedAgreement) -> ParsedAgreement:
    """The agreement as the amendment leaves it: its own values where it names them, else the base's."""
    sources = dict(base.sources)
    sources.update(amendment.sources)
    return replace(
        amendment,
        budget_cents=amendment.budget_cents if amendment.has_budget else base.budget_cents,
        budget_lines=amendment.budget_lines if amendment.has_budget else base.budget_lines,
        projects=amendment.projects if amendment.has_projects else base.projects,
        ministry_name=amendment.ministry_name or base.ministry_name,
        sources=sources,
        has_budget=True,
        has_projects=True,
    )


def amendment_row(amendment: ParsedAgreement, base_id: str, now: datetime) -> dict:
    dates = [s.signed_date for s in amendment.signatures if s.signed_date]
    return {
        "result_agreement_id": amendment.sha256, "base_agreement_id": base_id, "partner_ags": amendment.partner_ags,
        "agreement_year": amendment.agreement_year, "amendment_label": amendment.amendment_label or "Änderung",
        "source_file": amendment.file_name, "amended_date": max(dates) if dates else None,
        "changes_budget": amendment.has_budget, "changes_projects": amendment.has_projects, "applied_at": now,
    }
