-- Published budget figures (press releases, council papers) with their source and precision.
with final as (
    select
        agreement_year,
        partner_ags,
        scope,
        programme,
        is_aqb,
        amount_cents,
        amount_precision,
        note,
        source_url
    from published_amounts
)

select * from final
order by agreement_year, partner_ags nulls first, programme
