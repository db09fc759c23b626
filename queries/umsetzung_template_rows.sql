-- Template rows for the Umsetzungsstand sheet: every project of the year's current agreements
-- ($partner_ags = '' for all partners), prefilled with the last imported (non-generated) figures.
with year_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, is_demo
    from agreements
    where
        agreement_year = $agreement_year
        and ($partner_ags = '' or partner_ags = $partner_ags)
        and ($include_demo or not is_demo)
),

partner_names as (
    select partner_ags, partner_name from latest_partners()
),

imported_status as (
    select *
    from implementation_status
    where provenance <> 'demo'
),

final as (
    select
        a.partner_ags,
        pn.partner_name,
        a.agreement_year,
        a.budget_cents,
        pr.project_position,
        pr.measure_type_code,
        mt.measure_type_label,
        pr.project_name,
        a.is_demo,
        s.approved_cents,
        s.spent_cents,
        s.planned_places,
        s.participants,
        s.as_of_date
    from year_agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
    left join partner_names as pn on pn.partner_ags = a.partner_ags
    left join measure_types as mt on mt.measure_type_code = pr.measure_type_code
    left join imported_status as s
        on
            s.partner_ags = a.partner_ags
            and s.agreement_year = a.agreement_year
            and s.project_name = pr.project_name
)

select * from final
order by partner_name, project_position
