-- Signatures of a briefing's agreement: ministry first, then the partner.
with year_agreement as (
    select agreement_id, is_demo
    from agreements
    where
        partner_ags = $partner_ags
        and agreement_year = $agreement_year::integer
        and ($include_demo or not is_demo)
),

final as (
    select
        s.side,
        s.signed_place,
        s.signed_date,
        s.signer_name,
        s.signer_role,
        a.is_demo
    from signatures as s
    inner join year_agreement as a on a.agreement_id = s.agreement_id
)

select * from final
order by case side when 'ministry' then 1 else 2 end, signed_date
