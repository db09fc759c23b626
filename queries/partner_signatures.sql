-- Who signed one partner's agreements, where and when (ministry and partner side).
with partner_agreements as (
    select agreement_id, agreement_year, status, status_date, provenance, is_demo
    from visible_agreements($include_demo)
    where partner_ags = $partner_ags
),

final as (
    select
        a.agreement_year,
        s.side,
        s.signer_name,
        s.signer_role,
        s.signed_place,
        s.signed_date,
        a.status,
        a.status_date,
        a.provenance,
        a.is_demo,
        s.source_page,
        s.source_line,
        s.source_snippet
    from signatures as s
    inner join partner_agreements as a on a.agreement_id = s.agreement_id
)

select * from final
order by agreement_year, side
