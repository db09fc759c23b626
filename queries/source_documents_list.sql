-- Every stored source document with the partner x year it belongs to and whether it is the current version.
with versions as (
    select
        agreement_id, partner_ags, agreement_year, provenance, is_demo, source_sha256, is_ocr, confirmed_by,
        true as is_current
    from agreements
    union all
    select
        agreement_id, partner_ags, agreement_year, provenance, is_demo, source_sha256, is_ocr, confirmed_by,
        false as is_current
    from agreements_history
),

counted_versions as (
    select * from versions
    where $include_demo or not is_demo
),

partner_names as (
    select partner_ags, partner_name from latest_partners()
),

final as (
    select
        v.agreement_year,
        v.partner_ags,
        pn.partner_name,
        v.is_current,
        v.provenance,
        v.is_demo,
        d.source_file,
        d.file_format,
        d.byte_size,
        d.source_sha256,
        d.first_ingested_at,
        case
            when
                v.is_ocr and v.confirmed_by is not null
                then 'per Texterkennung gelesen, bestätigt von ' || v.confirmed_by
            when v.is_ocr then 'per Texterkennung gelesen (nicht bestätigt)'
            else 'Textebene des Dokuments'
        end as reading_method
    from counted_versions as v
    inner join source_documents as d on d.source_sha256 = v.source_sha256
    left join partner_names as pn on pn.partner_ags = v.partner_ags
)

select * from final
order by agreement_year desc, partner_name, is_current desc
