-- Signatures of the current agreements (ministry and partner side).
with final as (
    select
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        s.side,
        s.signed_place,
        s.signed_date,
        s.signer_name,
        s.signer_role,
        a.provenance,
        a.source_file
    from signatures as s
    inner join agreements as a using (agreement_id)
    left join latest_partners() as p on a.partner_ags = p.partner_ags
    where $include_demo or not a.is_demo
)

select * from final
order by agreement_year, partner_ags, side
