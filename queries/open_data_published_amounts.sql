-- Open data: budget figures published by the state or the partners (press releases, council papers) with their source.
with final as (
    select
        published_id,
        agreement_year,
        partner_ags,
        scope,
        programme,
        is_aqb,
        amount_cents,
        (amount_cents * 0.01)::decimal(18, 2) as amount_eur,
        amount_precision,
        note,
        source_url
    from published_amounts
)

select * from final
order by agreement_year, partner_ags nulls first, programme, published_id
