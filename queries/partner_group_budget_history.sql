-- Several partners as one series per year (the Main-Kinzig-Kreis "mit Hanau": the Kreis, and from
-- 2026 the Kreis plus the kreisfreie Stadt Hanau), so a territorial split does not break the series.
-- Per-capita values use the year's common Stichtag; is_complete says every partner of the group
-- valid in the year has an agreement.
with group_partners as (
    select p.agreement_year, p.partner_ags
    from
        partners_in_years(
            (select min(agreement_year) from agreements), (select max(agreement_year) from agreements)
        ) as p
    where list_contains($partner_ags_list::varchar[], p.partner_ags)
),

counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, provenance, is_demo
    from visible_agreements($include_demo)
    where list_contains($partner_ags_list::varchar[], partner_ags)
),

partner_years as (
    select
        g.agreement_year,
        g.partner_ags,
        a.agreement_id,
        a.budget_cents,
        a.provenance,
        a.is_demo,
        po.population,
        po.population_stichtag
    from group_partners as g
    left join counted_agreements as a
        on a.partner_ags = g.partner_ags and a.agreement_year = g.agreement_year
    left join
        population_in_years(
            (select min(agreement_year) from agreements), (select max(agreement_year) from agreements)
        ) as po
        on po.partner_ags = g.partner_ags and po.agreement_year = g.agreement_year
),

final as (
    select
        agreement_year,
        string_agg(partner_ags, ',' order by partner_ags) as partners_ags,
        count(*) as partners_valid_count,
        count(agreement_id) as agreements_count,
        count(agreement_id) = count(*) as is_complete,
        sum(budget_cents)::bigint as budget_cents,
        case
            when count(agreement_id) = count(*) and count(population) = count(*)
                then sum(budget_cents) / 100.0 / sum(population)
        end as budget_per_inhabitant_eur,
        max(population_stichtag) as population_stichtag,
        case
            when bool_and(provenance = 'vereinbarung') then 'vereinbarung'
            when bool_and(provenance = 'demo') then 'demo'
            else 'gemischt'
        end as provenance,
        coalesce(bool_or(is_demo), false) as is_demo
    from partner_years
    group by agreement_year
    having count(agreement_id) > 0
)

select * from final
order by agreement_year
