-- The § 4 budget lines of the current agreements. Summing amount_cents over is_part_of_budget
-- gives the budgets; davon-lines are a breakdown within them (never add them to the budget).
with final as (
    select
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        bl.line_position,
        bl.programme_code,
        programme_label(bl.programme_code) as programme_label,
        bl.line_role,
        line_role_label(bl.line_role) as line_role_label,
        bl.amount_cents,
        bl.is_part_of_budget,
        a.provenance,
        a.is_demo,
        a.source_file,
        bl.source_page,
        bl.source_line,
        bl.source_snippet
    from budget_lines as bl
    inner join agreements as a on bl.agreement_id = a.agreement_id
    left join latest_partners() as p on a.partner_ags = p.partner_ags
    where $include_demo or not a.is_demo
)

select * from final
order by agreement_year, partner_ags, line_position
