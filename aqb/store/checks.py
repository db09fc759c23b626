"""Invariants of the store as data tests: each query returns the rows that break a rule."""

from __future__ import annotations

CHECKS = {
    "agreement_key_unique": """
        select partner_ags, agreement_year, count(*) as n from agreements
        group by all having count(*) > 1""",
    "agreement_keys_not_null": """
        select agreement_id from agreements
        where partner_ags is null or agreement_year is null or budget_cents is null""",
    "agreement_partner_known": """
        select a.agreement_id, a.partner_ags from agreements as a
        anti join partners as p on p.partner_ags = a.partner_ags""",
    "budget_not_negative": "select agreement_id, budget_cents from agreements where budget_cents < 0",
    "measure_type_in_range": """
        select agreement_id, project_position, measure_type_code from projects
        where measure_type_code not in (select measure_type_code from measure_types)""",
    "project_belongs_to_agreement": """
        select p.agreement_id, p.project_position from projects as p
        where p.agreement_id not in (select agreement_id from agreements)
          and p.agreement_id not in (select agreement_id from agreements_history)""",
    "history_not_current": """
        select h.agreement_id from agreements_history as h
        inner join agreements as a using (agreement_id)""",
    "demo_flag_matches_provenance": """
        select agreement_id from agreements where is_demo <> (provenance = 'demo')""",
    "current_has_source_document": """
        select a.agreement_id from agreements as a
        anti join source_documents as d on d.source_sha256 = a.source_sha256""",
    "budget_has_source_sentence": """
        select a.agreement_id from agreements as a
        anti join extracted_values as v on v.agreement_id = a.agreement_id and v.field_name = 'budget'""",
    # The lines that make up the budget add up to it exactly, so no sum over them counts a davon-line twice.
    "budget_lines_add_up": """
        select a.agreement_id, a.budget_cents, sum(l.amount_cents) as lines_cents from agreements as a
        inner join budget_lines as l on l.agreement_id = a.agreement_id and l.is_part_of_budget
        group by all having sum(l.amount_cents) <> a.budget_cents""",
    "amendment_has_base_in_history": """
        select m.result_agreement_id from agreement_amendments as m
        where m.base_agreement_id not in (select agreement_id from agreements_history)""",
}


def run_checks(con) -> dict[str, list[tuple]]:
    """The checks that fail, with their offending rows (empty dict = store is consistent)."""
    from aqb.store.umsetzung_import import STATUS_CHECKS, status_available

    return _failing(con, {**CHECKS, **(STATUS_CHECKS if status_available(con) else {})})


def run_status_checks(con) -> dict[str, list[tuple]]:
    """The Umsetzungsstand checks that fail, with their offending rows (empty dict = consistent)."""
    from aqb.store.umsetzung_import import STATUS_CHECKS, status_available

    return _failing(con, STATUS_CHECKS) if status_available(con) else {}


def _failing(con, checks: dict[str, str]) -> dict[str, list[tuple]]:
    failures = {}
    for name, sql in checks.items():
        found = con.execute(sql).fetchall()
        if found:
            failures[name] = found
    return failures
