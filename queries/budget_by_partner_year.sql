-- One row per partner valid in each year of the range, with its current agreement (null budget when missing).
with partners_in_year as (
    select
        p.agreement_year,
        p.partner_ags,
        p.partner_name,
        p.partner_kind,
        p.regierungsbezirk
    from partners_in_years($year_from, $year_to) as p
    where
        (len($regierungsbezirke::varchar[]) = 0 or list_contains($regierungsbezirke::varchar[], p.regierungsbezirk))
        and (len($partner_kinds::varchar[]) = 0 or list_contains($partner_kinds::varchar[], p.partner_kind))
),

counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, status, provenance, is_demo
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

final as (
    select
        piy.agreement_year,
        piy.partner_ags,
        piy.partner_name,
        piy.partner_kind,
        piy.regierungsbezirk,
        po.population,
        po.population_stichtag,
        po.population_basis,
        a.agreement_id is not null as has_agreement,
        a.budget_cents,
        a.budget_cents / 100.0 / po.population as budget_per_inhabitant_eur,
        a.status,
        a.provenance,
        coalesce(a.is_demo, false) as is_demo,
        case when a.agreement_id is not null then coalesce(pc.project_count, 0) end as project_count
    from partners_in_year as piy
    left join population_in_years($year_from, $year_to) as po
        on po.partner_ags = piy.partner_ags and po.agreement_year = piy.agreement_year
    left join counted_agreements as a
        on a.partner_ags = piy.partner_ags and a.agreement_year = piy.agreement_year
    left join project_counts as pc on pc.agreement_id = a.agreement_id
)

select * from final
order by agreement_year, partner_ags
