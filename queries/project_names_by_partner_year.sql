-- The projects of every current agreement by partner and year: what the project alias list must refer to.
with final as (
    select a.partner_ags, a.agreement_year, pr.project_position, pr.project_name
    from agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
)

select * from final
order by partner_ags, agreement_year, project_position
