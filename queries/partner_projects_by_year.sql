-- One partner's projects per year, each marked new, continued or ended against the year before.
-- Which project continues which is project_links (alias list, equal or similar names; see
-- aqb/store/project_links.py); renamed_from names the earlier project where the name changed.
-- is_demo: the project's own agreement is demo; is_comparison_demo: the other year of the comparison is.
with partner_agreements as (
    select agreement_id, agreement_year, provenance, is_demo
    from visible_agreements($include_demo)
    where partner_ags = $partner_ags
),

partner_projects as (
    select
        a.agreement_id,
        a.agreement_year,
        a.provenance,
        a.is_demo,
        pr.project_position,
        pr.measure_type_code,
        pr.project_name,
        pr.source_page,
        pr.source_line
    from projects as pr
    inner join partner_agreements as a on a.agreement_id = pr.agreement_id
),

-- Links whose both ends are visible projects of this partner.
visible_links as (
    select
        cur.agreement_id,
        cur.project_position,
        cur.project_name,
        prev.agreement_id as previous_agreement_id,
        prev.project_position as previous_project_position,
        prev.project_name as previous_name,
        count(*) over (partition by cur.agreement_id, cur.project_position) as previous_count,
        count(*) over (partition by prev.agreement_id, prev.project_position) as successor_count
    from project_links as l
    inner join partner_projects as cur
        on cur.agreement_id = l.agreement_id and cur.project_position = l.project_position
    inner join partner_projects as prev
        on
            prev.agreement_id = l.previous_agreement_id
            and prev.project_position = l.previous_project_position
),

link_notes as (
    select
        agreement_id,
        project_position,
        string_agg(previous_name, ', ' order by previous_project_position)
        filter (where previous_name <> project_name) as renamed_from,
        case
            when max(previous_count) > 1 then 'zusammengelegt'
            when max(successor_count) > 1 then 'geteilt'
            when bool_or(previous_name <> project_name) then 'umbenannt'
        end as link_kind
    from visible_links
    group by agreement_id, project_position
),

current_projects as (
    select
        cur.agreement_year,
        cur.project_position,
        cur.measure_type_code,
        cur.project_name,
        case
            when prev_agreement.agreement_id is null then 'no_previous_year'
            when ln.agreement_id is not null then 'continued'
            else 'new'
        end as change_status,
        case when prev_agreement.agreement_id is not null then ln.renamed_from end as renamed_from,
        case when prev_agreement.agreement_id is not null then ln.link_kind end as link_kind,
        cur.provenance,
        cur.is_demo,
        coalesce(prev_agreement.is_demo, false) as is_comparison_demo,
        cur.source_page,
        cur.source_line
    from partner_projects as cur
    left join partner_agreements as prev_agreement
        on prev_agreement.agreement_year = cur.agreement_year - 1
    left join link_notes as ln
        on ln.agreement_id = cur.agreement_id and ln.project_position = cur.project_position
),

ended_projects as (
    select
        next_agreement.agreement_year,
        null::integer as project_position,
        prev.measure_type_code,
        prev.project_name,
        'ended' as change_status,
        null as renamed_from,
        null as link_kind,
        prev.provenance,
        prev.is_demo,
        next_agreement.is_demo as is_comparison_demo,
        prev.source_page,
        prev.source_line
    from partner_projects as prev
    inner join partner_agreements as next_agreement
        on next_agreement.agreement_year = prev.agreement_year + 1
    where not exists (
        select 1 from visible_links as vl
        where
            vl.previous_agreement_id = prev.agreement_id
            and vl.previous_project_position = prev.project_position
    )
),

both_kinds as (
    select * from current_projects
    union all
    select * from ended_projects
),

final as (
    select
        b.agreement_year,
        b.project_position,
        b.measure_type_code,
        mt.measure_type_label,
        b.project_name,
        b.change_status,
        b.renamed_from,
        b.link_kind,
        b.provenance,
        b.is_demo,
        b.is_comparison_demo,
        b.source_page,
        b.source_line
    from both_kinds as b
    left join measure_types as mt on mt.measure_type_code = b.measure_type_code
)

select * from final
order by agreement_year, change_status = 'ended', project_position, measure_type_code, project_name
