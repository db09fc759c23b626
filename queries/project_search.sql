-- Projects whose name contains the search text, filtered by partner, year range and Maßnahmenart.
with matched as (
    select * from project_search_hits(
        $partner_ags_list, $regierungsbezirke, $partner_kinds, $measure_type_codes, $search_text, $year_from, $year_to,
        $include_demo
    )
),

match_counts as (
    select count(*) as match_count, count(*) filter (where is_demo) as demo_match_count
    from matched
),

first_rows as (
    select * from matched
    order by agreement_year desc, partner_name, partner_ags, project_position
    limit $row_limit
),

final as (
    select
        r.agreement_year,
        r.partner_ags,
        r.partner_name,
        r.project_position,
        r.measure_type_code,
        mt.measure_type_label,
        r.project_name,
        r.provenance,
        r.is_demo,
        r.source_page,
        r.source_line,
        c.match_count,
        c.demo_match_count
    from first_rows as r
    cross join match_counts as c
    left join measure_types as mt on mt.measure_type_code = r.measure_type_code
)

select * from final
order by agreement_year desc, partner_name, partner_ags, project_position
