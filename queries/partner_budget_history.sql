-- One partner's budget per year beside € je Einwohner of Hessen and of its peers (same kind and Regierungsbezirk).
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, status, provenance, is_demo
    from visible_agreements($include_demo)
),

partner_years as (
    select
        a.agreement_year,
        a.partner_ags,
        a.budget_cents,
        a.status,
        a.provenance,
        a.is_demo,
        po.population,
        po.population_stichtag,
        p.partner_kind,
        p.regierungsbezirk
    from counted_agreements as a
    inner join partners as p
        on
            p.partner_ags = a.partner_ags
            and is_valid_in_year(p.valid_from, p.valid_to, a.agreement_year)
    left join
        population_in_years(
            (select min(agreement_year) from counted_agreements), (select max(agreement_year) from counted_agreements)
        ) as po
        on po.partner_ags = a.partner_ags and po.agreement_year = a.agreement_year
),

target as (
    select partner_ags, partner_kind, regierungsbezirk, population
    from latest_partners()
    where partner_ags = $partner_ags
),

years as (
    select distinct agreement_year from partner_years
),

hessen as (
    select
        agreement_year,
        sum(budget_cents) / 100.0 / sum(population) as hessen_per_inhabitant_eur,
        max(population_stichtag) as population_stichtag,
        count(*) as hessen_agreements_count,
        count(*) filter (where is_demo) as hessen_demo_count
    from partner_years
    group by agreement_year
),

peers as (
    select
        py.agreement_year,
        sum(py.budget_cents) / 100.0 / sum(py.population) as peers_per_inhabitant_eur,
        count(*) as peers_count,
        count(*) filter (where py.is_demo) as peers_demo_count,
        string_agg(py.partner_ags, ',' order by py.partner_ags) as peers_ags
    from partner_years as py
    inner join target as t
        on py.partner_kind = t.partner_kind and py.regierungsbezirk = t.regierungsbezirk
    where py.partner_ags <> t.partner_ags
    group by py.agreement_year
),

own as (
    select * from partner_years
    where partner_ags = $partner_ags
),

final as (
    select
        y.agreement_year,
        t.partner_ags,
        o.budget_cents,
        o.budget_cents / 100.0 / o.population as budget_per_inhabitant_eur,
        o.status,
        h.population_stichtag,
        o.provenance,
        coalesce(o.is_demo, false) as is_demo,
        h.hessen_per_inhabitant_eur,
        h.hessen_agreements_count,
        h.hessen_demo_count,
        pe.peers_per_inhabitant_eur,
        coalesce(pe.peers_count, 0) as peers_count,
        coalesce(pe.peers_demo_count, 0) as peers_demo_count,
        pe.peers_ags
    from years as y
    cross join target as t
    left join own as o on o.agreement_year = y.agreement_year
    left join hessen as h on h.agreement_year = y.agreement_year
    left join peers as pe on pe.agreement_year = y.agreement_year
)

select * from final
order by agreement_year
