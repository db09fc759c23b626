-- Budget and € je Einwohner per partner and year (only partner-years with a counted agreement).
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, is_demo, status_date, ingested_at
    from visible_agreements($include_demo)
    where
        agreement_year between $year_from::integer and $year_to::integer
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
            and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)
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
