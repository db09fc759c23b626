-- Matching projects per year and Maßnahmenart over ALL hits of the search (the chart of „Projekte“).
with matched as (
    select agreement_year, is_demo, measure_type_code from project_search_hits(
        $partner_ags_list, $regierungsbezirke, $partner_kinds, $measure_type_codes, $search_text, $year_from, $year_to,
        $include_demo
    )
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
