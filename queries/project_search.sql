-- Projects whose name contains the search text, filtered by partner, year range and Maßnahmenart.
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
    select a.agreement_id, a.partner_ags, a.agreement_year, a.provenance, a.is_demo
    from agreements as a
    semi join selected_partners as sp on sp.partner_ags = a.partner_ags
    where
        ($include_demo or not a.is_demo)
        and a.agreement_year between $year_from::integer and $year_to::integer
),

matched as (
    select
        a.agreement_year,
        a.partner_ags,
        sp.partner_name,
        pr.project_position,
        pr.measure_type_code,
        pr.project_name,
        a.provenance,
        a.is_demo,
        pr.source_page,
        pr.source_line
    from projects as pr
    inner join counted_agreements as a on a.agreement_id = pr.agreement_id
    inner join selected_partners as sp on sp.partner_ags = a.partner_ags
    where
        (len($measure_type_codes::integer[]) = 0 or list_contains($measure_type_codes::integer[], pr.measure_type_code))
        and ($search_text = '' or contains(lower(pr.project_name), lower($search_text)))
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
