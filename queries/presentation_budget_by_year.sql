-- Statewide AQB budget per year, split into amounts from real agreements and from demo documents.
with partners_per_year as (
    select
        y.agreement_year,
        count(distinct p.partner_ags) as partners_valid_count
    from (select distinct agreement_year from agreements) as y
    inner join partners as p
        on
            is_valid_in_year(p.valid_from, p.valid_to, y.agreement_year)
    group by y.agreement_year
),

counted_agreements as (
    select agreement_year, budget_cents, is_demo, status_date, ingested_at
    from visible_agreements($include_demo)
),

per_year as (
    select
        agreement_year,
        count(*) as agreements_count,
        count(*) filter (where not is_demo) as real_agreements_count,
        count(*) filter (where is_demo) as demo_agreements_count,
        coalesce(sum(budget_cents) filter (where not is_demo), 0)::bigint as real_budget_cents,
        coalesce(sum(budget_cents) filter (where is_demo), 0)::bigint as demo_budget_cents,
        sum(budget_cents)::bigint as budget_cents,
        max(status_date) as latest_status_date,
        max(ingested_at)::date as latest_ingested_date
    from counted_agreements
    group by agreement_year
),

final as (
    select
        y.*,
        pp.partners_valid_count
    from per_year as y
    left join partners_per_year as pp on pp.agreement_year = y.agreement_year
)

select * from final
order by agreement_year
