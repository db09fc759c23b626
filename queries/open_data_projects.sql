-- Open data: the projects (§ 5) of the published agreements, in document order, with where each was read.
with published as (
    select agreement_id, agreement_year, partner_ags
    from published_agreements()
),

final as (
    select
        pr.agreement_id,
        pr.project_position,
        a.agreement_year,
        a.partner_ags,
        pr.measure_type_code,
        mt.measure_type_name,
        pr.project_name,
        pr.provider,
        pr.amount_cents,
        (pr.amount_cents * 0.01)::decimal(18, 2) as amount_eur,
        pr.source_page,
        pr.source_line,
        pr.source_snippet
    from projects as pr
    inner join published as a using (agreement_id)
    left join measure_types as mt using (measure_type_code)
)

select * from final
order by agreement_year, partner_ags, project_position
