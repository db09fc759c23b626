-- Plan vs. actual for a partner and year: every project of the agreement with its reported status
-- (has_status false = not reported) and any reported project no longer in the agreement.
with year_agreement as (
    select agreement_id, is_demo
    from agreements
    where partner_ags = $partner_ags and agreement_year = $agreement_year::integer
),

agreement_projects as (
    select
        pr.project_position,
        pr.measure_type_code,
        pr.project_name,
        a.is_demo
    from year_agreement as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
    where $include_demo or not a.is_demo
),

status_rows as (
    select
        s.*,
        s.is_demo or coalesce((select bool_or(is_demo) from year_agreement), false) as is_demo_derived
    from implementation_status as s
    where s.partner_ags = $partner_ags and s.agreement_year = $agreement_year::integer
),

counted_status as (
    select * from status_rows
    where $include_demo or not is_demo_derived
),

final as (
    select
        coalesce(p.project_position, 999) as project_position,
        p.measure_type_code,
        mt.measure_type_label,
        coalesce(p.project_name, s.project_name) as project_name,
        p.project_name is not null as is_in_agreement,
        s.project_name is not null as has_status,
        s.approved_cents,
        s.spent_cents,
        s.spent_cents / nullif(s.approved_cents, 0)::double as spent_ratio,
        s.planned_places,
        s.participants,
        s.participants / nullif(s.planned_places, 0)::double as participant_ratio,
        s.as_of_date,
        s.provenance,
        s.source_file,
        s.imported_at,
        coalesce(s.is_demo_derived, false) or coalesce(p.is_demo, false) as is_demo
    from agreement_projects as p
    full outer join counted_status as s on s.project_name = p.project_name
    left join measure_types as mt on mt.measure_type_code = p.measure_type_code
)

select * from final
order by project_position, project_name
