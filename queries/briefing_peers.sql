-- Every partner valid in the year with budget, € je Einwohner and last year's budget, flagged as the
-- briefing's partner, same kind (Landkreis / kreisfreie Stadt) and same Regierungsbezirk.
with own_partner as (
    select partner_kind, regierungsbezirk
    from partners
    where partner_ags = $partner_ags
    order by valid_from desc nulls last
    limit 1
),

partners_in_year as (
    select distinct on (partner_ags) *
    from partners
    where
        is_valid_in_year(valid_from, valid_to, $agreement_year::integer)
    order by partner_ags, valid_from desc nulls last
),

counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, is_demo
    from agreements
    where
        agreement_year in ($agreement_year::integer, $agreement_year::integer - 1)
        and ($include_demo or not is_demo)
),

project_counts as (
    select agreement_id, count(*) as project_count
    from projects
    group by agreement_id
),

final as (
    select
        p.partner_ags,
        p.partner_name,
        p.partner_kind,
        p.regierungsbezirk,
        po.population,
        po.population_stichtag,
        po.population_basis,
        cur.agreement_id is not null as has_agreement,
        cur.budget_cents,
        cur.budget_cents / 100.0 / po.population as budget_per_inhabitant_eur,
        prev.budget_cents as previous_budget_cents,
        pc.project_count,
        coalesce(cur.is_demo, false) as is_demo,
        coalesce(prev.is_demo, false) as previous_is_demo,
        p.partner_ags = $partner_ags as is_self,
        p.partner_kind = o.partner_kind as is_same_kind,
        p.regierungsbezirk = o.regierungsbezirk as is_same_region
    from partners_in_year as p
    cross join own_partner as o
    left join population_in_years($agreement_year, $agreement_year) as po on po.partner_ags = p.partner_ags
    left join counted_agreements as cur
        on cur.partner_ags = p.partner_ags and cur.agreement_year = $agreement_year::integer
    left join counted_agreements as prev
        on prev.partner_ags = p.partner_ags and prev.agreement_year = $agreement_year::integer - 1
    left join project_counts as pc on pc.agreement_id = cur.agreement_id
)

select * from final
order by budget_per_inhabitant_eur desc nulls last, partner_name
