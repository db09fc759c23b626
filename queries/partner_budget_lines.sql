-- One partner's § 4 budget lines per year (programme, role, amount, source sentence). The lines
-- with is_part_of_budget add up to the agreement's budget; davon-lines are a breakdown within it.
with partner_agreements as (
    select agreement_id, agreement_year, budget_cents, provenance, is_demo
    from visible_agreements($include_demo)
    where partner_ags = $partner_ags
),

lines as (
    select
        agreement_id,
        line_position,
        programme_code,
        line_role,
        amount_cents,
        is_part_of_budget,
        source_page,
        source_line,
        source_snippet
    from budget_lines
),

final as (
    select
        a.agreement_year,
        l.line_position,
        programme_label(l.programme_code) as programme_label,
        line_role_label(l.line_role) as line_role_label,
        l.programme_code,
        l.line_role,
        l.amount_cents,
        l.is_part_of_budget,
        a.budget_cents,
        l.source_page,
        l.source_line,
        l.source_snippet,
        a.provenance,
        a.is_demo
    from partner_agreements as a
    inner join lines as l on l.agreement_id = a.agreement_id
)

select * from final
order by agreement_year, line_position
