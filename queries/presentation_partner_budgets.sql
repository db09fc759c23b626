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
        po.population,
        po.population_stichtag,
        po.population_basis
    from counted_agreements as a
    inner join partners as p
        on
            p.partner_ags = a.partner_ags
            and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)
    left join population_in_years($year_from, $year_to) as po
        on po.partner_ags = a.partner_ags and po.agreement_year = a.agreement_year
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
        population_stichtag,
        population_basis,
        budget_cents,
        budget_cents / 100.0 / population as budget_per_inhabitant_eur,
        is_demo,
        status_date,
        ingested_at::date as ingested_date
    from with_partner
)

select * from final
order by agreement_year, budget_cents desc, partner_name
