-- Data-quality notes: parser warnings, agreement vs. published AQB figure, and year-on-year jumps above the threshold.
with counted_agreements as (
    select agreement_id, partner_ags, agreement_year, budget_cents, provenance, is_demo, source_file, warnings
    from visible_agreements($include_demo)
),

partner_names as (
    select partner_ags, partner_name from latest_partners()
),

parser_warnings as (
    select
        'parser_warning' as note_kind,
        a.agreement_year,
        a.partner_ags,
        a.provenance,
        a.is_demo,
        w.warning as detail,
        a.budget_cents,
        null::bigint as compare_cents,
        null::double as change_ratio,
        null::varchar as amount_precision,
        null::varchar as source_url,
        a.source_file
    from counted_agreements as a,
        unnest(a.warnings) as w (warning)
),

published_differences as (
    select
        'published_difference' as note_kind,
        a.agreement_year,
        a.partner_ags,
        a.provenance,
        a.is_demo,
        pu.note as detail,
        a.budget_cents,
        pu.amount_cents as compare_cents,
        a.budget_cents / pu.amount_cents::double - 1 as change_ratio,
        pu.amount_precision,
        pu.source_url,
        a.source_file
    from counted_agreements as a
    inner join published_amounts as pu
        on pu.partner_ags = a.partner_ags and pu.agreement_year = a.agreement_year and pu.is_aqb
    where pu.amount_cents <> a.budget_cents
),

jumps as (
    select
        'jump' as note_kind,
        cur.agreement_year,
        cur.partner_ags,
        case when cur.is_demo or prev.is_demo then 'demo' else 'vereinbarung' end as provenance,
        cur.is_demo or prev.is_demo as is_demo,
        null::varchar as detail,
        cur.budget_cents,
        prev.budget_cents as compare_cents,
        cur.budget_cents / prev.budget_cents::double - 1 as change_ratio,
        null::varchar as amount_precision,
        null::varchar as source_url,
        cur.source_file
    from counted_agreements as cur
    inner join counted_agreements as prev
        on prev.partner_ags = cur.partner_ags and prev.agreement_year = cur.agreement_year - 1
    where prev.budget_cents > 0 and abs(cur.budget_cents / prev.budget_cents::double - 1) > $jump_threshold
),

notes as (
    select * from parser_warnings
    union all
    select * from published_differences
    union all
    select * from jumps
),

final as (
    select
        n.note_kind,
        n.agreement_year,
        n.partner_ags,
        pn.partner_name,
        n.provenance,
        n.is_demo,
        n.detail,
        n.budget_cents,
        n.compare_cents,
        n.change_ratio,
        n.amount_precision,
        n.source_url,
        n.source_file
    from notes as n
    left join partner_names as pn on pn.partner_ags = n.partner_ags
)

select * from final
order by
    case note_kind when 'published_difference' then 1 when 'jump' then 2 else 3 end,
    agreement_year desc,
    partner_name
