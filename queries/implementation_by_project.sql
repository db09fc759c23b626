-- Umsetzungsstand of one year, one row per reported project: Mittelabfluss and participant fulfilment.
-- A row counts as demo when it was generated or belongs to a demo agreement.
with year_agreements as (
    select agreement_id, partner_ags, agreement_year, is_demo
    from agreements
    where agreement_year = $agreement_year
),

status_rows as (
    select
        s.*,
        s.is_demo or coalesce(a.is_demo, false) as is_demo_derived,
        a.agreement_id
    from implementation_status as s
    left join year_agreements as a
        on a.partner_ags = s.partner_ags and a.agreement_year = s.agreement_year
    where s.agreement_year = $agreement_year
),

partner_names as (
    select partner_ags, partner_name, partner_kind, regierungsbezirk
    from latest_partners()
),

final as (
    select
        s.partner_ags,
        pn.partner_name,
        pn.partner_kind,
        pn.regierungsbezirk,
        s.agreement_year,
        pr.measure_type_code,
        mt.measure_type_label,
        s.project_name,
        s.approved_cents,
        s.spent_cents,
        s.spent_cents / nullif(s.approved_cents, 0)::double as spent_ratio,
        s.planned_places,
        s.participants,
        s.participants / nullif(s.planned_places, 0)::double as participant_ratio,
        s.as_of_date,
        s.provenance,
        s.is_demo_derived as is_demo,
        s.source_file
    from status_rows as s
    left join projects as pr on pr.agreement_id = s.agreement_id and pr.project_name = s.project_name
    left join measure_types as mt on mt.measure_type_code = pr.measure_type_code
    left join partner_names as pn on pn.partner_ags = s.partner_ags
    where $include_demo or not s.is_demo_derived
)

select * from final
order by partner_name, measure_type_code, project_name
