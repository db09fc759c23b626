-- Per partner and Maßnahmenart over the year range: projects, and in how many years the partner funded that type.
with years as (
    select unnest(generate_series($year_from::integer, $year_to::integer)) as agreement_year
),

partners_in_year as (
    select
        y.agreement_year,
        p.partner_ags,
        p.partner_name,
        p.partner_kind,
        p.regierungsbezirk
    from years as y
    inner join partners as p
        on is_valid_in_year(p.valid_from, p.valid_to, y.agreement_year)
    where
        (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], p.partner_kind))
),

selected_partners as (
    select distinct on (partner_ags) partner_ags, partner_name, partner_kind, regierungsbezirk
    from partners_in_year
    order by partner_ags, agreement_year desc
),

selected_types as (
    select measure_type_code, measure_type_label
    from measure_types
    where len($measure_type_codes::integer[]) = 0 or list_contains($measure_type_codes::integer[], measure_type_code)
),

counted_agreements as (
    select a.agreement_id, a.partner_ags, a.agreement_year, a.is_demo
    from agreements as a
    semi join partners_in_year as piy
        on piy.partner_ags = a.partner_ags and piy.agreement_year = a.agreement_year
    where $include_demo or not a.is_demo
),

agreement_years as (
    select
        partner_ags,
        count(*) as agreement_years_count,
        count(*) filter (where is_demo) as demo_agreement_years_count
    from counted_agreements
    group by partner_ags
),

counted_projects as (
    select a.partner_ags, a.agreement_year, a.is_demo, pr.measure_type_code
    from projects as pr
    inner join counted_agreements as a on a.agreement_id = pr.agreement_id
),

per_partner_type as (
    select
        partner_ags,
        measure_type_code,
        count(*) as project_count,
        count(*) filter (where is_demo) as demo_project_count,
        count(distinct agreement_year) as years_with_projects
    from counted_projects
    group by partner_ags, measure_type_code
),

final as (
    select
        sp.partner_ags,
        sp.partner_name,
        sp.partner_kind,
        sp.regierungsbezirk,
        t.measure_type_code,
        t.measure_type_label,
        coalesce(ppt.project_count, 0) as project_count,
        coalesce(ppt.demo_project_count, 0) as demo_project_count,
        coalesce(ppt.years_with_projects, 0) as years_with_projects,
        coalesce(ay.agreement_years_count, 0) as agreement_years_count,
        coalesce(ay.demo_agreement_years_count, 0) as demo_agreement_years_count
    from selected_partners as sp
    cross join selected_types as t
    left join per_partner_type as ppt
        on ppt.partner_ags = sp.partner_ags and ppt.measure_type_code = t.measure_type_code
    left join agreement_years as ay on ay.partner_ags = sp.partner_ags
)

select * from final
order by partner_name, measure_type_code
