-- Per budget year: how many of the partners valid in it have a published (real) agreement, and since when.
with years as (
    select agreement_year from published_amounts
    union
    select agreement_year from visible_agreements(false)
),

partners_per_year as (
    select p.agreement_year, count(distinct p.partner_ags) as partners_valid_count
    from
        partners_in_years(
            (select coalesce(min(agreement_year), 0) from years), (select coalesce(max(agreement_year), -1) from years)
        ) as p
    group by p.agreement_year
),

published as (
    select
        a.agreement_year,
        count(*) as published_count,
        max(a.status_date) as last_published_date,
        string_agg(lp.partner_name, ', ' order by lp.partner_name) as published_partners
    from visible_agreements(false) as a
    inner join latest_partners() as lp on lp.partner_ags = a.partner_ags
    where a.status = 'veroeffentlicht'
    group by a.agreement_year
),

final as (
    select
        ppy.agreement_year,
        ppy.partners_valid_count,
        coalesce(pu.published_count, 0) as published_count,
        pu.last_published_date,
        pu.published_partners
    from partners_per_year as ppy
    left join published as pu on pu.agreement_year = ppy.agreement_year
    where ppy.agreement_year in (select agreement_year from years)
)

select * from final
order by agreement_year desc
