-- What an Umsetzungsstand sheet is checked against: the projects of every current agreement.
with partner_names as (
    select partner_ags, partner_name from latest_partners()
),

final as (
    select
        a.partner_ags,
        pn.partner_name,
        a.agreement_year,
        a.budget_cents,
        a.is_demo,
        pr.project_position,
        pr.measure_type_code,
        mt.measure_type_label,
        pr.project_name
    from agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
    left join partner_names as pn on pn.partner_ags = a.partner_ags
    left join measure_types as mt on mt.measure_type_code = pr.measure_type_code
)

select * from final
order by partner_ags, agreement_year, project_position
