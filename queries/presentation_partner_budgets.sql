-- Budget and € je Einwohner per partner and year (only partner-years with a counted agreement).
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, is_demo, status_date, ingested_at
    from agreements
    where
        ($include_demo or not is_demo)
        and agreement_year between $year_from::integer and $year_to::integer
),

with_partner as (
    select distinct on (a.agreement_id)
        a.*,
        p.partner_name,
        p.partner_kind,
        p.regierungsbezirk,
        p.population
    from counted_agreements as a
    inner join partners as p
        on
            p.partner_ags = a.partner_ags
            and coalesce(p.valid_from, date '0001-01-01') <= make_date(a.agreement_year, 12, 31)
            and coalesce(p.valid_to, date '9999-12-31') >= make_date(a.agreement_year, 1, 1)
    order by a.agreement_id, p.valid_from desc nulls last
),

final as (
    select
        agreement_year,
        partner_ags,
        partner_name,
        partner_kind,
        regierungsbezirk,
        population,
        budget_cents,
        budget_cents / 100.0 / population as budget_per_inhabitant_eur,
        is_demo,
        status_date,
        ingested_at::date as ingested_date
    from with_partner
)

select * from final
order by agreement_year, budget_cents desc, partner_name
