-- Projects per selected partner and year of the chosen Maßnahmenarten: the one project count every page shows.
with partners_in_year as (
    select p.agreement_year, p.partner_ags
    from partners_in_years($year_from, $year_to) as p
    where
        (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], p.partner_kind))
),

counted_agreements as (
    select a.agreement_id, a.partner_ags, a.agreement_year, a.is_demo
    from visible_agreements($include_demo) as a
    semi join partners_in_year as piy
        on piy.partner_ags = a.partner_ags and piy.agreement_year = a.agreement_year
),

final as (
    select
        a.partner_ags,
        a.agreement_year,
        count(pr.agreement_id) as project_count,
        count(pr.agreement_id) filter (where a.is_demo) as demo_project_count
    from counted_agreements as a
    left join projects as pr
        on
            pr.agreement_id = a.agreement_id
            and (
                len($measure_type_codes::integer[]) = 0
                or list_contains($measure_type_codes::integer[], pr.measure_type_code)
            )
    group by a.partner_ags, a.agreement_year
)

select * from final
order by agreement_year, partner_ags
