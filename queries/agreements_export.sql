-- Current agreements with partner names, for export: one row per partner x year.
with current_agreements as (
    select * from visible_agreements($include_demo)
),

partner_names as (
    select partner_ags, partner_name, official_name, partner_kind, regierungsbezirk
    from latest_partners()
),

final as (
    select
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        p.official_name,
        p.partner_kind,
        p.regierungsbezirk,
        a.budget_cents,
        a.ministry_name,
        a.status,
        a.status_date,
        a.provenance,
        a.is_demo,
        a.source_file,
        a.source_sha256,
        a.ingested_at,
        a.parser_version,
        (
            select count(*) from projects as pr
            where pr.agreement_id = a.agreement_id
        ) as project_count,
        array_to_string(a.warnings, ' | ') as warnings
    from current_agreements as a
    left join partner_names as p using (partner_ags)
)

select * from final
order by agreement_year, partner_ags
