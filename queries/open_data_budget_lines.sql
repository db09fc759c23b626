-- Open data: the amounts § 4 of each published agreement names (is_part_of_budget lines add up to its budget).
with published as (
    select agreement_id, agreement_year, partner_ags
    from published_agreements()
),

final as (
    select
        b.agreement_id,
        b.line_position,
        a.agreement_year,
        a.partner_ags,
        b.programme_code,
        b.line_role,
        b.amount_cents,
        (b.amount_cents * 0.01)::decimal(18, 2) as amount_eur,
        b.is_part_of_budget,
        b.source_page,
        b.source_line,
        b.source_snippet
    from budget_lines as b
    inner join published as a using (agreement_id)
)

select * from final
order by agreement_year, partner_ags, line_position
