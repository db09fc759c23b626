-- Every current agreement with what `aqb diff` compares between two snapshots: budget, status,
-- file, projects and the amounts § 4 names.
with project_lists as (
    select
        agreement_id,
        list(project_name order by project_position) as project_names
    from projects
    group by agreement_id
),

line_lists as (
    select
        agreement_id,
        list(
            { 'programme_code': programme_code, 'line_role': line_role, 'amount_cents': amount_cents }
            order by line_position
        ) as budget_lines
    from budget_lines
    group by agreement_id
),

final as (
    select
        a.partner_ags,
        coalesce(pn.partner_name, a.partner_ags) as partner_name,
        a.agreement_year,
        a.agreement_id,
        a.budget_cents,
        a.status,
        a.status_date,
        a.is_demo,
        a.source_file,
        coalesce(pl.project_names, []) as project_names,
        ll.budget_lines
    from agreements as a
    left join latest_partners() as pn on pn.partner_ags = a.partner_ags
    left join project_lists as pl on pl.agreement_id = a.agreement_id
    left join line_lists as ll on ll.agreement_id = a.agreement_id
)

select * from final
order by partner_ags, agreement_year
