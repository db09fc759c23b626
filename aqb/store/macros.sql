-- Building blocks said once for every queries/*.sql file. They are created in each snapshot (on every
-- write) and in the reader's in-memory database, where they resolve to its filtered views, so public
-- mode and demo-off apply to them as to every table.

-- A partner period (valid_from/valid_to, open ends allowed) covers at least one day of the year.
create or replace macro is_valid_in_year(valid_from, valid_to, agreement_year) as (
    coalesce(valid_from, date '0001-01-01') <= make_date(agreement_year::integer, 12, 31)
    and coalesce(valid_to, date '9999-12-31') >= make_date(agreement_year::integer, 1, 1)
);

-- The agreements a view counts: the demo layer only when asked for.
create or replace macro visible_agreements(include_demo) as table
    select * from agreements
    where include_demo or not is_demo;

-- One row per year of the range and partner valid in it.
create or replace macro partners_in_years(year_from, year_to) as table
    select years.agreement_year, partners.*
    from (select unnest(generate_series(year_from::integer, year_to::integer)) as agreement_year) as years
    inner join partners
        on is_valid_in_year(partners.valid_from, partners.valid_to, years.agreement_year);

-- The newest period of each partner key (names and areas change rarely, keys never).
create or replace macro latest_partners() as table
    select distinct on (partner_ags) *
    from partners
    order by partner_ags, valid_from desc nulls last;

-- Inhabitants of every partner valid in each year of the range at that year's common Stichtag:
-- 31.12. of the year before where every partner of the year has a figure for its territory of
-- that year; else the latest earlier date they all have; else the earliest later one. One date per
-- year, so never two Zensus bases in one comparison. A year without any common date has no rows
-- (per-capita values stay empty instead of mixing dates). Every per-capita query uses this.
create or replace macro population_in_years(year_from, year_to) as table
    with partner_years as (
        select agreement_year, partner_ags from partners_in_years(year_from, year_to)
    ),

    figures as (
        select py.agreement_year, py.partner_ags, po.population, po.population_stichtag, po.population_basis
        from partner_years as py
        inner join population as po
            on
                po.partner_ags = py.partner_ags
                and is_valid_in_year(po.territory_from, po.territory_to, py.agreement_year)
    ),

    partner_counts as (
        select agreement_year, count(distinct partner_ags) as partners_count
        from partner_years
        group by agreement_year
    ),

    common_days as (
        select f.agreement_year, f.population_stichtag
        from figures as f
        inner join partner_counts as pc on pc.agreement_year = f.agreement_year
        group by f.agreement_year, f.population_stichtag, pc.partners_count
        having count(distinct f.partner_ags) = pc.partners_count
    ),

    chosen as (
        select
            agreement_year,
            coalesce(
                max(population_stichtag) filter (
                    where population_stichtag <= make_date(agreement_year::integer - 1, 12, 31)
                ),
                min(population_stichtag)
            ) as population_stichtag
        from common_days
        group by agreement_year
    )

    select f.agreement_year, f.partner_ags, f.population, f.population_stichtag, f.population_basis
    from figures as f
    inner join chosen as c
        on c.agreement_year = f.agreement_year and c.population_stichtag = f.population_stichtag;

-- The projects a search on „Projekte" finds (partners, year range, Maßnahmenart, text; empty lists mean all):
-- the table under the chart and the chart's counts read the same hits.
create or replace macro project_search_hits(
    partner_ags_list, regierungsbezirke, partner_kinds, measure_type_codes, search_text, year_from, year_to,
    include_demo
) as table
    select
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        pr.project_position,
        pr.measure_type_code,
        pr.project_name,
        a.provenance,
        a.is_demo,
        pr.source_page,
        pr.source_line
    from projects as pr
    inner join visible_agreements(include_demo) as a on pr.agreement_id = a.agreement_id
    inner join latest_partners() as p on a.partner_ags = p.partner_ags
    where
        (len(partner_ags_list::varchar[]) = 0 or list_contains(partner_ags_list::varchar[], p.partner_ags))
        and (len(regierungsbezirke::varchar[]) = 0 or list_contains(regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len(partner_kinds::varchar[]) = 0 or list_contains(partner_kinds::varchar[], p.partner_kind))
        and a.agreement_year between year_from::integer and year_to::integer
        and (
            len(measure_type_codes::integer[]) = 0
            or list_contains(measure_type_codes::integer[], pr.measure_type_code)
        )
        and (search_text = '' or contains(lower(pr.project_name), lower(search_text)));

-- What open data may carry: published agreements, never demo (the public reader filters the same way).
create or replace macro published_agreements() as table
    select * from agreements
    where status = 'veroeffentlicht' and not is_demo;

-- The German names of the § 4 programme codes and line roles, for the page and for people's exports alike.
create or replace macro programme_label(programme_code) as (
    case programme_code
        when 'AQB' then 'Ausbildungs- und Qualifizierungsbudget'
        when 'ARBEITSMARKTBUDGET' then 'Arbeitsmarktbudget'
        when 'AUSBILDUNGSBUDGET' then 'Ausbildungsbudget'
        when 'TEILZEITAUSBILDUNG' then 'Teilzeitausbildung'
        when 'MIGRATION' then 'Menschen mit Migrationshintergrund'
        when 'ESF' then 'ESF-Anteil'
        else programme_code
    end
);

create or replace macro line_role_label(line_role) as (
    case line_role
        when 'gesamt' then 'Gesamtbetrag'
        when 'teil' then 'Teilbetrag (addiert)'
        when 'davon' then 'davon'
        when 'zusaetzlich' then 'zusätzlich'
        else line_role
    end
);
