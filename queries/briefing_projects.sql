-- This year's projects of a partner marked neu / fortgeführt against last year, plus last year's
-- projects that ended (project_change is null when there is no agreement for last year). Which
-- project continues which is project_links (alias list, equal or similar names); renamed_from names
-- the earlier project where the name changed.
with counted_agreements as (
    select agreement_id, agreement_year, is_demo
    from visible_agreements($include_demo)
    where
        partner_ags = $partner_ags
        and agreement_year in ($agreement_year::integer, $agreement_year::integer - 1)
),

listed as (
    select
        a.agreement_id,
        a.agreement_year,
        a.is_demo,
        pr.project_position,
        pr.measure_type_code,
        pr.project_name
    from counted_agreements as a
    inner join projects as pr on pr.agreement_id = a.agreement_id
),

this_year as (
    select * from listed
    where agreement_year = $agreement_year::integer
),

last_year as (
    select * from listed
    where agreement_year = $agreement_year::integer - 1
),

visible_links as (
    select
        t.agreement_id,
        t.project_position,
        t.project_name,
        l.project_position as previous_project_position,
        l.project_name as previous_name
    from project_links as pl
    inner join this_year as t
        on t.agreement_id = pl.agreement_id and t.project_position = pl.project_position
    inner join last_year as l
        on l.agreement_id = pl.previous_agreement_id and l.project_position = pl.previous_project_position
),

years_present as (
    select
        count(*) filter (where agreement_year = $agreement_year::integer) > 0 as has_current,
        count(*) filter (where agreement_year = $agreement_year::integer - 1) > 0 as has_previous,
        coalesce(bool_or(is_demo) filter (where agreement_year = $agreement_year::integer), false) as current_is_demo,
        coalesce(bool_or(is_demo) filter (where agreement_year = $agreement_year::integer - 1), false)
            as previous_is_demo
    from counted_agreements
),

current_rows as (
    select
        t.agreement_year,
        -- neu / fortgeführt rests on last year's list too
        t.is_demo or yp.previous_is_demo as is_demo,
        t.project_position,
        t.measure_type_code,
        t.project_name,
        case
            when not yp.has_previous then null
            when not exists (
                select 1 from visible_links as vl
                where vl.project_position = t.project_position
            ) then 'neu'
            else 'fortgeführt'
        end as project_change,
        (
            select string_agg(vl.previous_name, ', ' order by vl.previous_project_position)
            from visible_links as vl
            where vl.project_position = t.project_position and vl.previous_name <> vl.project_name
        ) as renamed_from
    from this_year as t
    cross join years_present as yp
),

ended_rows as (
    select
        l.agreement_year,
        l.is_demo or yp.current_is_demo as is_demo,
        l.project_position,
        l.measure_type_code,
        l.project_name,
        'beendet' as project_change,
        null as renamed_from
    from last_year as l
    cross join years_present as yp
    where
        yp.has_current
        and l.project_position not in (select vl.previous_project_position from visible_links as vl)
),

final as (
    select
        r.project_change,
        r.agreement_year,
        r.measure_type_code,
        mt.measure_type_label,
        mt.measure_type_name,
        r.project_position,
        r.project_name,
        r.renamed_from,
        r.is_demo
    from (
        select * from current_rows
        union all
        select * from ended_rows
    ) as r
    left join measure_types as mt on mt.measure_type_code = r.measure_type_code
)

select * from final
order by agreement_year desc, measure_type_code, project_position
