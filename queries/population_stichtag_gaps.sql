-- Budget years with agreements whose per-capita values cannot use the preferred Stichtag (31.12. of the year
-- before) because a partner valid in the year has no figure for it: one row per such partner, with the Stichtag
-- the common rule (macro population_in_years) uses instead (null: no common date, no per-capita values then)
-- and how many partners the year has.
with agreement_years as (
    select distinct agreement_year::integer as agreement_year
    from agreements
    where agreement_year between $year_from and $year_to
),

partner_years as (
    select py.agreement_year, py.partner_ags, py.partner_name
    from partners_in_years($year_from, $year_to) as py
    semi join agreement_years as ay on ay.agreement_year = py.agreement_year
),

preferred_figures as (
    select py.agreement_year, py.partner_ags
    from partner_years as py
    inner join population as po
        on
            po.partner_ags = py.partner_ags
            and is_valid_in_year(po.territory_from, po.territory_to, py.agreement_year)
            and po.population_stichtag = make_date(py.agreement_year - 1, 12, 31)
),

used as (
    select agreement_year, min(population_stichtag) as used_stichtag
    from population_in_years($year_from, $year_to)
    group by agreement_year
),

partner_counts as (
    select agreement_year, count(*) as partners_count
    from partner_years
    group by agreement_year
),

final as (
    select
        py.agreement_year,
        py.partner_ags,
        py.partner_name,
        make_date(py.agreement_year - 1, 12, 31) as preferred_stichtag,
        u.used_stichtag,
        pc.partners_count
    from partner_years as py
    anti join preferred_figures as pf
        on pf.agreement_year = py.agreement_year and pf.partner_ags = py.partner_ags
    left join used as u on u.agreement_year = py.agreement_year
    inner join partner_counts as pc on pc.agreement_year = py.agreement_year
)

select * from final
order by agreement_year, partner_ags
