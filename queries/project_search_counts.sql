-- Matching projects per year and Maßnahmenart over ALL hits of the search (the chart of „Projekte“).
with selected_partners as (
    select distinct on (partner_ags) partner_ags, partner_name, partner_kind, regierungsbezirk
    from partners
    where
        (len($partner_ags_list::varchar[]) = 0 or list_contains($partner_ags_list::varchar[], partner_ags))
        and (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], partner_kind))
    order by partner_ags, valid_from desc nulls last
),

counted_agreements as (
    select a.agreement_id, a.agreement_year, a.is_demo
    from agreements as a
    semi join selected_partners as sp on sp.partner_ags = a.partner_ags
    where
        ($include_demo or not a.is_demo)
        and a.agreement_year between $year_from::integer and $year_to::integer
),

matched as (
    select a.agreement_year, a.is_demo, pr.measure_type_code
    from projects as pr
    inner join counted_agreements as a on a.agreement_id = pr.agreement_id
    where
        (len($measure_type_codes::integer[]) = 0 or list_contains($measure_type_codes::integer[], pr.measure_type_code))
        and ($search_text = '' or contains(lower(pr.project_name), lower($search_text)))
),

final as (
    select
        m.agreement_year,
        m.measure_type_code,
        mt.measure_type_label,
        count(*) as project_count,
        count(*) filter (where m.is_demo) as demo_project_count
    from matched as m
    left join measure_types as mt on mt.measure_type_code = m.measure_type_code
    group by m.agreement_year, m.measure_type_code, mt.measure_type_label
)

select * from final
order by agreement_year, measure_type_code
