-- The partner of a briefing: the validity period covering the year, else its latest one.
with periods as (
    select
        *,
        coalesce(valid_from, date '0001-01-01') <= make_date($agreement_year::integer, 12, 31)
        and coalesce(valid_to, date '9999-12-31') >= make_date($agreement_year::integer, 1, 1) as is_valid_in_year
    from partners
    where partner_ags = $partner_ags
),

final as (
    select
        partner_ags,
        partner_name,
        official_name,
        partner_kind,
        regierungsbezirk,
        seat,
        population,
        population_date,
        population_source,
        is_valid_in_year
    from periods
    order by is_valid_in_year desc, valid_from desc nulls last
    limit 1
)

select * from final
