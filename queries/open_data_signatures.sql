-- Open data: the signatures of the published agreements (ministry and partner side), numbered per agreement.
with published as (
    select agreement_id, agreement_year, partner_ags
    from published_agreements()
),

numbered as (
    select
        s.*,
        row_number() over (partition by s.agreement_id order by s.source_page, s.source_line, s.side)
            as signature_position
    from signatures as s
),

final as (
    select
        n.agreement_id,
        n.signature_position,
        a.agreement_year,
        a.partner_ags,
        n.side,
        n.signed_place,
        n.signed_date,
        n.signer_name,
        n.signer_role,
        n.source_page,
        n.source_line
    from numbered as n
    inner join published as a using (agreement_id)
)

select * from final
order by agreement_year, partner_ags, signature_position
