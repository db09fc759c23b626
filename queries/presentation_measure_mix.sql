-- Projects per Maßnahmenart and year, with how many of them come from demo documents.
with counted_projects as (
    select
        a.agreement_year,
        a.is_demo,
        a.status_date,
        pr.measure_type_code
    from agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
    where $include_demo or not a.is_demo
),

final as (
    select
        c.agreement_year,
        c.measure_type_code,
        mt.measure_type_label,
        count(*) as project_count,
        count(*) filter (where c.is_demo) as demo_project_count,
        max(c.status_date) as latest_status_date
    from counted_projects as c
    left join measure_types as mt on mt.measure_type_code = c.measure_type_code
    group by all
)

select * from final
order by agreement_year, measure_type_code
