-- The partner of a briefing: the validity period covering the year, else its latest one.
with periods as (
    select
        *,
        is_valid_in_year(valid_from, valid_to, $agreement_year::integer) as is_valid_in_year
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
