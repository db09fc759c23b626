-- Sum over the selected partners per year: budget, agreements (x of N valid partners), projects, € je Einwohner.
with years as (
    select unnest(generate_series($year_from::integer, $year_to::integer)) as agreement_year
),

partners_in_year as (
    select
        y.agreement_year,
        p.partner_ags
    from years as y
    inner join partners as p
        on is_valid_in_year(p.valid_from, p.valid_to, y.agreement_year)
    where
        (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], p.partner_kind))
),

counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, status, is_demo
    from visible_agreements($include_demo)
    where
        agreement_year between $year_from::integer and $year_to::integer
),

project_counts as (
    select pr.agreement_id, count(*) as project_count
    from projects as pr
    semi join counted_agreements as a on a.agreement_id = pr.agreement_id
    group by pr.agreement_id
),

partner_years as (
    select
        piy.agreement_year,
        po.population,
        po.population_stichtag,
        po.population_basis,
        a.agreement_id,
        a.budget_cents,
        a.status,
        a.is_demo,
        coalesce(pc.project_count, 0) as project_count
    from partners_in_year as piy
    left join population_in_years($year_from, $year_to) as po
        on po.partner_ags = piy.partner_ags and po.agreement_year = piy.agreement_year
    left join counted_agreements as a
        on a.partner_ags = piy.partner_ags and a.agreement_year = piy.agreement_year
    left join project_counts as pc on pc.agreement_id = a.agreement_id
),

final as (
    select
        agreement_year,
        count(*) as partners_valid_count,
        count(agreement_id) as agreements_count,
        count(agreement_id) filter (where status in ('unterzeichnet', 'veroeffentlicht')) as signed_count,
        count(agreement_id) filter (where not is_demo) as real_agreements_count,
        count(agreement_id) filter (where is_demo) as demo_agreements_count,
        sum(budget_cents)::bigint as budget_cents,
        coalesce(sum(budget_cents) filter (where not is_demo), 0)::bigint as real_budget_cents,
        coalesce(sum(budget_cents) filter (where is_demo), 0)::bigint as demo_budget_cents,
        sum(population) filter (where agreement_id is not null)::bigint as population_with_agreement,
        min(population_stichtag) as population_stichtag,
        min(population_basis) as population_basis,
        sum(budget_cents) / 100.0
        / nullif(sum(population) filter (where agreement_id is not null), 0) as budget_per_inhabitant_eur,
        sum(project_count)::bigint as project_count
    from partner_years
    group by agreement_year
)

select * from final
order by agreement_year
