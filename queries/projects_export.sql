-- Projects of the current agreements, in document order, with their Maßnahmenart and partner name.
with final as (
    select
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        pr.project_position,
        pr.measure_type_code,
        mt.measure_type_name,
        pr.project_name,
        pr.provider,
        pr.amount_cents,
        a.provenance,
        a.is_demo,
        a.source_file,
        pr.source_line,
        pr.source_snippet
    from projects as pr
    inner join agreements as a on pr.agreement_id = a.agreement_id
    left join measure_types as mt using (measure_type_code)
    left join latest_partners() as p on a.partner_ags = p.partner_ags
    where $include_demo or not a.is_demo
)

select * from final
order by agreement_year, partner_ags, project_position
