-- Where a briefing's agreement comes from: file, fingerprint, status and the sentence of the budget.
with year_agreement as (
    select *
    from agreements
    where
        partner_ags = $partner_ags
        and agreement_year = $agreement_year::integer
        and ($include_demo or not is_demo)
),

budget_sentence as (
    select agreement_id, source_page, source_line, source_snippet
    from extracted_values
    where field_name = 'budget'
),

final as (
    select
        a.agreement_id,
        a.source_file,
        a.source_sha256,
        a.file_format,
        a.page_count,
        a.ministry_name,
        a.status,
        a.status_date,
        a.provenance,
        a.is_demo,
        a.ingested_at,
        a.parser_version,
        a.warnings,
        b.source_page as budget_source_page,
        b.source_line as budget_source_line,
        b.source_snippet as budget_source_snippet
    from year_agreement as a
    left join budget_sentence as b on b.agreement_id = a.agreement_id
)

select * from final
