-- Umsetzungsstand of one year per partner: approved, spent, places, participants and the two ratios.
-- A partner's figure counts as demo when any of its rows is generated or its agreement is demo.
with year_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, is_demo
    from agreements
    where agreement_year = $agreement_year
),

status_rows as (
    select
        s.*,
        s.is_demo or coalesce(a.is_demo, false) as is_demo_derived
    from implementation_status as s
    left join year_agreements as a
        on a.partner_ags = s.partner_ags and a.agreement_year = s.agreement_year
    where s.agreement_year = $agreement_year
),

counted_rows as (
    select * from status_rows
    where $include_demo or not is_demo_derived
),

project_counts as (
    select a.partner_ags, count(*) as agreement_project_count
    from year_agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
    group by a.partner_ags
),

per_partner as (
    select
        partner_ags,
        count(*) as reported_project_count,
        sum(approved_cents)::bigint as approved_cents,
        sum(spent_cents)::bigint as spent_cents,
        sum(planned_places)::bigint as planned_places,
        sum(participants)::bigint as participants,
        sum(participants) filter (where planned_places is not null)::bigint as participants_with_plan,
        max(as_of_date) as as_of_date,
        bool_or(is_demo_derived) as is_demo
    from counted_rows
    group by partner_ags
),

partner_names as (
    select partner_ags, partner_name, partner_kind, regierungsbezirk
    from latest_partners()
),

final as (
    select
        p.partner_ags,
        pn.partner_name,
        pn.partner_kind,
        pn.regierungsbezirk,
        $agreement_year::integer as agreement_year,
        a.budget_cents,
        p.reported_project_count,
        coalesce(pc.agreement_project_count, 0) as agreement_project_count,
        p.approved_cents,
        p.spent_cents,
        p.spent_cents / nullif(p.approved_cents, 0)::double as spent_ratio,
        p.planned_places,
        p.participants,
        p.participants_with_plan / nullif(p.planned_places, 0)::double as participant_ratio,
        p.as_of_date,
        p.is_demo
    from per_partner as p
    left join partner_names as pn on pn.partner_ags = p.partner_ags
    left join year_agreements as a on a.partner_ags = p.partner_ags
    left join project_counts as pc on pc.partner_ags = p.partner_ags
)

select * from final
order by partner_name
