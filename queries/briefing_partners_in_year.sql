-- The partners a batch of briefings covers: every Gebietskörperschaft valid in the year.
with partners_in_year as (
    select distinct on (partner_ags)
        partner_ags,
        partner_name,
        partner_kind,
        regierungsbezirk
    from partners
    where
        coalesce(valid_from, date '0001-01-01') <= make_date($agreement_year::integer, 12, 31)
        and coalesce(valid_to, date '9999-12-31') >= make_date($agreement_year::integer, 1, 1)
    order by partner_ags, valid_from desc nulls last
),

final as (
    select * from partners_in_year
)

select * from final
order by partner_name
