-- Open data: the published agreements, one row per partner x year (read through public-mode views).
with published as (
    select * from published_agreements()
),

partner_names as (
    select partner_ags, partner_name, partner_kind, regierungsbezirk
    from latest_partners()
),

final as (
    select
        a.agreement_id,
        a.agreement_year,
        a.partner_ags,
        p.partner_name,
        p.partner_kind,
        p.regierungsbezirk,
        a.budget_cents,
        (a.budget_cents * 0.01)::decimal(18, 2) as budget_eur,
        a.ministry_name,
        a.status_date as published_date,
        (
            select count(*) from projects as pr
            where pr.agreement_id = a.agreement_id
        ) as project_count,
        a.source_file,
        a.source_sha256,
        a.file_format,
        a.page_count,
        a.parser_version
    from published as a
    left join partner_names as p using (partner_ags)
)

select * from final
order by agreement_year, partner_ags
