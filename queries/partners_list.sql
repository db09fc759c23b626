-- Every Gebietskörperschaft once (its latest validity period), for pickers and the map.
with latest_period as (
    select distinct on (partner_ags)
        partner_ags,
        partner_name,
        official_name,
        partner_kind,
        regierungsbezirk,
        seat,
        population,
        population_date,
        valid_from,
        valid_to
    from partners
    order by partner_ags, valid_from desc nulls last
),

final as (
    select * from latest_period
)

select * from final
order by partner_name
