-- A partner's budget in every year with an agreement, with its rank among the year's counted agreements.
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, status, status_date, provenance, is_demo
    from visible_agreements($include_demo)
),

populations as (
    select distinct on (a.agreement_id)
        a.agreement_id,
        p.population
    from counted_agreements as a
    inner join partners as p
        on
            p.partner_ags = a.partner_ags
            and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)
    order by a.agreement_id, p.valid_from desc nulls last
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
        a.budget_cents / 100.0 / po.population as budget_per_inhabitant_eur,
        rank() over (partition by a.agreement_year order by a.budget_cents desc) as budget_rank,
        rank() over (
            partition by a.agreement_year order by a.budget_cents / po.population desc
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
