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


# --- warnings: the store is consistent, but a reader should know -------------------------------------
# They do not fail `aqb check` (the shipped population table falls back to 31.12.2019 for every year, by design
# of the common-Stichtag rule); they name what to add to data/reference/ so the figures get better.

YEARS = (1900, 2999)  # every budget year the store can hold


def population_warnings(con) -> list[str]:
    """One line per budget year with agreements that cannot use 31.12. of the year before for all partners.

    Names the partners without a figure for that date and the Stichtag used instead (or that there is none).
    """
    from aqb.fmt import german_date
    from aqb.store.queries import run_query

    gaps = run_query(con, "population_stichtag_gaps", year_from=YEARS[0], year_to=YEARS[1])
    lines = []
    for year, rows in gaps.groupby("agreement_year", sort=True):
        preferred = german_date(rows["preferred_stichtag"].iloc[0])
        used = rows["used_stichtag"].iloc[0]
        partners = (f"alle {len(rows)} Gebietskörperschaften" if len(rows) == int(rows["partners_count"].iloc[0])
                    else ", ".join(f"{r.partner_name} ({r.partner_ags})" for r in rows.itertuples()))
        consequence = (f"es gibt keinen Stichtag mit Zahlen für alle Partner, {int(year)} hat keine Werte je Einwohner"
                       if used is None or used != used else f"verwendet wird für alle Partner der {german_date(used)}")
        lines.append(f"Einwohner {int(year)}: keine Zahl zum bevorzugten Stichtag {preferred} für {partners}; "
                     f"{consequence}.")
    return lines


def alias_warnings(con, reference_dir) -> list[str]:
    """Rows of the project alias list that point at no project (stale) or at more than one (ambiguous)."""
    from aqb import reference
    from aqb.store.project_links import normalise
    from aqb.store.queries import run_query

    aliases = reference.load_project_aliases(reference_dir)
    if not aliases:
        return []
    partner_names = {p.ags: p.name for p in reference.load_partners(reference_dir)}
    names: dict[tuple[str, int], dict[str, list[int]]] = {}
    for r in run_query(con, "project_names_by_partner_year").itertuples():
        by_name = names.setdefault((r.partner_ags, int(r.agreement_year)), {})
        by_name.setdefault(normalise(r.project_name), []).append(int(r.project_position))
    lines = []
    for a in aliases:
        where = f"{reference.PROJECT_ALIASES_FILE}, Zeile {a.line}"
        partner = f"{partner_names.get(a.ags, a.ags)} ({a.ags})"
        for year, name, role in ((a.agreement_year, a.project_name, "Projekt"),
                                 (a.agreement_year - 1, a.previous_name, "Vorjahresprojekt")):
            if not name:  # an empty previous_name pins the project as new
                continue
            projects = names.get((a.ags, year))
            if projects is None:
                lines.append(f"{where}: {role} „{name}“ – für {partner} gibt es {year} keine Vereinbarung im Bestand "
                             "(Eintrag veraltet?).")
                continue
            positions = projects.get(normalise(name), [])
            if not positions:
                lines.append(f"{where}: {role} „{name}“ gibt es in der Vereinbarung {year} von {partner} nicht "
                             "(Eintrag veraltet?).")
            elif len(positions) > 1:
                lines.append(f"{where}: {role} „{name}“ passt in der Vereinbarung {year} von {partner} auf "
                             f"{len(positions)} Projekte (Pos. {', '.join(map(str, positions))}) – Ziel nicht eindeutig.")
    return lines


def run_warnings(con, reference_dir) -> list[str]:
    """Everything worth a German hint line in `aqb check` that is not an inconsistency."""
    return population_warnings(con) + alias_warnings(con, reference_dir)
