-- Published figures (press releases, council papers) about a partner, with source and precision.
with final as (
    select
        agreement_year,
        programme,
        is_aqb,
        amount_cents,
        amount_precision,
        note,
        source_url
    from published_amounts
    where partner_ags = $partner_ags
)

select * from final
order by agreement_year desc, programme
