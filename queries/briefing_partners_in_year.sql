-- The partners a batch of briefings covers: every Gebietskörperschaft valid in the year.
with partners_in_year as (
    select distinct on (partner_ags)
        partner_ags,
        partner_name,
        partner_kind,
        regierungsbezirk
    from partners
    where
        is_valid_in_year(valid_from, valid_to, $agreement_year::integer)
    order by partner_ags, valid_from desc nulls last
),

final as (
    select * from partners_in_year
)

select * from final
order by partner_name
