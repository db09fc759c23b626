-- A partner's budget in every year with an agreement, with its rank among the year's counted agreements.
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, status, status_date, provenance, is_demo
    from visible_agreements($include_demo)
),

year_span as (
    select min(agreement_year) as year_from, max(agreement_year) as year_to
    from counted_agreements
),

populations as (
    select
        a.agreement_id,
        po.population,
        po.population_stichtag,
        po.population_basis
    from counted_agreements as a
    inner join
        population_in_years(
            (select year_from from year_span), (select year_to from year_span)
        ) as po
        on po.partner_ags = a.partner_ags and po.agreement_year = a.agreement_year
),

project_counts as (
    select agreement_id, count(*) as project_count
    from projects
    group by agreement_id
),

ranked as (
    select
        a.*,
        po.population,
        po.population_stichtag,
        po.population_basis,
        a.budget_cents / 100.0 / po.population as budget_per_inhabitant_eur,
        rank() over (partition by a.agreement_year order by a.budget_cents desc) as budget_rank,
        rank() over (
            partition by a.agreement_year order by a.budget_cents / po.population desc nulls last
        ) as per_inhabitant_rank,
        count(*) over (partition by a.agreement_year) as ranked_count,
        count(*) filter (where a.is_demo) over (partition by a.agreement_year) as ranked_demo_count,
        coalesce(pc.project_count, 0) as project_count
    from counted_agreements as a
    left join populations as po on po.agreement_id = a.agreement_id
    left join project_counts as pc on pc.agreement_id = a.agreement_id
),

final as (
    select
        agreement_year,
        budget_cents,
        population,
        population_stichtag,
        population_basis,
        budget_per_inhabitant_eur,
        budget_rank,
        per_inhabitant_rank,
        ranked_count,
        ranked_demo_count,
        project_count,
        status,
        status_date,
        provenance,
        is_demo
    from ranked
    where partner_ags = $partner_ags
)

select * from final
order by agreement_year
