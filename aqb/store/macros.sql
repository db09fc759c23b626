-- Building blocks said once for every queries/*.sql file. They are created in each snapshot (on every
-- write) and in the reader's in-memory database, where they resolve to its filtered views, so public
-- mode and demo-off apply to them as to every table.

-- A partner period (valid_from/valid_to, open ends allowed) covers at least one day of the year.
create or replace macro is_valid_in_year(valid_from, valid_to, agreement_year) as
    coalesce(valid_from, date '0001-01-01') <= make_date(agreement_year::integer, 12, 31)
    and coalesce(valid_to, date '9999-12-31') >= make_date(agreement_year::integer, 1, 1);

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

-- The newest name of each partner key (names change rarely, keys never).
create or replace macro partner_names() as table
    select distinct on (partner_ags) partner_ags, partner_name
    from partners
    order by partner_ags, valid_from desc nulls last;
