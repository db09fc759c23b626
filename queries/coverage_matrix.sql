-- Partner x year: is there an agreement (amtlich or demo), a published amount, or nothing?
with partners_in_year as (
    select p.agreement_year, p.partner_ags, p.partner_name, p.partner_kind, p.regierungsbezirk
    from partners_in_years($year_from, $year_to) as p
),

counted_agreements as (
    select partner_ags, agreement_year, provenance, is_demo, budget_cents
    from visible_agreements($include_demo)
),

published as (
    select
        partner_ags,
        agreement_year,
        count(*) as published_count,
        bool_or(is_aqb) as has_published_aqb
    from published_amounts
    where partner_ags is not null
    group by partner_ags, agreement_year
),

final as (
    select
        piy.agreement_year,
        piy.partner_ags,
        piy.partner_name,
        piy.partner_kind,
        piy.regierungsbezirk,
        a.partner_ags is not null as has_agreement,
        a.provenance,
        coalesce(a.is_demo, false) as is_demo,
        a.budget_cents,
        coalesce(pu.published_count, 0) as published_count,
        coalesce(pu.has_published_aqb, false) as has_published_aqb,
        case
            when a.partner_ags is not null and not a.is_demo then 'agreement'
            when a.partner_ags is not null then 'demo'
            when pu.partner_ags is not null then 'published_only'
            else 'missing'
        end as coverage_status
    from partners_in_year as piy
    left join counted_agreements as a
        on a.partner_ags = piy.partner_ags and a.agreement_year = piy.agreement_year
    left join published as pu
        on pu.partner_ags = piy.partner_ags and pu.agreement_year = piy.agreement_year
)

select * from final
order by partner_name, agreement_year
