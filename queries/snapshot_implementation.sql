-- The Umsetzungsstand rows `aqb diff` compares between two snapshots.
with final as (
    select
        i.partner_ags,
        coalesce(pn.partner_name, i.partner_ags) as partner_name,
        i.agreement_year,
        i.project_name,
        i.approved_cents,
        i.spent_cents,
        i.participants,
        i.as_of_date,
        i.is_demo
    from implementation_status as i
    left join latest_partners() as pn on pn.partner_ags = i.partner_ags
)

select * from final
order by partner_ags, agreement_year, project_name
