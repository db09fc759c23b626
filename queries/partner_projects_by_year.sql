-- One partner's projects per year, each marked new, continued or ended against the year before.
-- is_demo: the project's own agreement is demo; is_comparison_demo: the other year of the comparison is.
with partner_agreements as (
    select agreement_id, agreement_year, provenance, is_demo
    from visible_agreements($include_demo)
    where partner_ags = $partner_ags
),

partner_projects as (
    select
        a.agreement_year,
        a.provenance,
        a.is_demo,
        pr.project_position,
        pr.measure_type_code,
        pr.project_name,
        lower(trim(pr.project_name)) as name_key,
        pr.source_page,
        pr.source_line
    from projects as pr
    inner join partner_agreements as a on a.agreement_id = pr.agreement_id
),

current_projects as (
    select
        cur.agreement_year,
        cur.project_position,
        cur.measure_type_code,
        cur.project_name,
        case
            when prev_agreement.agreement_id is null then 'no_previous_year'
            when exists (
                select 1 from partner_projects as prev
                where prev.agreement_year = cur.agreement_year - 1 and prev.name_key = cur.name_key
            ) then 'continued'
            else 'new'
        end as change_status,
        cur.provenance,
        cur.is_demo,
        coalesce(prev_agreement.is_demo, false) as is_comparison_demo,
        cur.source_page,
        cur.source_line
    from partner_projects as cur
    left join partner_agreements as prev_agreement
        on prev_agreement.agreement_year = cur.agreement_year - 1
),

ended_projects as (
    select
        next_agreement.agreement_year,
        null::integer as project_position,
        prev.measure_type_code,
        prev.project_name,
        'ended' as change_status,
        prev.provenance,
        prev.is_demo,
        next_agreement.is_demo as is_comparison_demo,
        prev.source_page,
        prev.source_line
    from partner_projects as prev
    inner join partner_agreements as next_agreement
        on next_agreement.agreement_year = prev.agreement_year + 1
    where not exists (
        select 1 from partner_projects as nxt
        where nxt.agreement_year = prev.agreement_year + 1 and nxt.name_key = prev.name_key
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
