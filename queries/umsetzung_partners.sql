-- Every Gebietskörperschaft with the names a sheet may use for it.
with latest_period as (
    select distinct on (partner_ags)
        partner_ags,
        partner_name,
        official_name
    from partners
    order by partner_ags, valid_from desc nulls last
),

final as (
    select * from latest_period
)

select * from final
order by partner_ags
