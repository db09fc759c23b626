-- Projects per year and Maßnahmenart over the selected partners, with each type's share of the year.
with years as (
    select unnest(generate_series($year_from::integer, $year_to::integer)) as agreement_year
),

partners_in_year as (
    select p.agreement_year, p.partner_ags
    from partners_in_years($year_from, $year_to) as p
    where
        (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], p.partner_kind))
),

selected_types as (
    select measure_type_code, measure_type_label
    from measure_types
    where len($measure_type_codes::integer[]) = 0 or list_contains($measure_type_codes::integer[], measure_type_code)
),

counted_agreements as (
    select a.agreement_id, a.partner_ags, a.agreement_year, a.is_demo
    from visible_agreements($include_demo) as a
    semi join partners_in_year as piy
        on piy.partner_ags = a.partner_ags and piy.agreement_year = a.agreement_year
),

counted_projects as (
    select a.agreement_year, a.partner_ags, a.is_demo, pr.measure_type_code
    from projects as pr
    inner join counted_agreements as a on a.agreement_id = pr.agreement_id
),

per_year_type as (
    select
        y.agreement_year,
        t.measure_type_code,
        t.measure_type_label,
        count(cp.measure_type_code) as project_count,
        count(cp.measure_type_code) filter (where cp.is_demo) as demo_project_count,
        count(distinct cp.partner_ags) as partner_count
    from years as y
    cross join selected_types as t
    left join counted_projects as cp
        on cp.agreement_year = y.agreement_year and cp.measure_type_code = t.measure_type_code
    group by y.agreement_year, t.measure_type_code, t.measure_type_label
),

final as (
    select
        *,
        project_count / nullif(sum(project_count) over (partition by agreement_year), 0) as project_share
    from per_year_type
)

select * from final
order by agreement_year, measure_type_code
