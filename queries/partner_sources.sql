-- One partner's source documents per year and the sentence the budget was read from.
with partner_agreements as (
    select
        agreement_id,
        agreement_year,
        budget_cents,
        status,
        status_date,
        provenance,
        is_demo,
        source_file,
        source_sha256,
        file_format,
        page_count,
        ingested_at,
        parser_version,
        warnings,
        is_ocr,
        confirmed_by,
        document_kind,
        amended_by_file,
        amended_date
    from visible_agreements($include_demo)
    where partner_ags = $partner_ags
),

budget_sentences as (
    select agreement_id, source_page, source_line, source_snippet
    from extracted_values
    where field_name = 'budget'
),

final as (
    select
        a.agreement_year,
        a.agreement_id,
        a.budget_cents,
        a.status,
        a.status_date,
        a.provenance,
        a.is_demo,
        a.source_file,
        a.source_sha256,
        a.file_format,
        d.byte_size,
        a.page_count,
        a.ingested_at,
        a.parser_version,
        array_to_string(a.warnings, ' | ') as warnings,
        a.is_ocr,
        a.confirmed_by,
        a.document_kind,
        a.amended_by_file,
        a.amended_date,
        b.source_page as budget_source_page,
        b.source_line as budget_source_line,
        b.source_snippet as budget_source_snippet
    from partner_agreements as a
    left join budget_sentences as b on b.agreement_id = a.agreement_id
    left join source_documents as d on d.source_sha256 = a.source_sha256
)

select * from final
order by agreement_year
