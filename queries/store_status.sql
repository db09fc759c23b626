-- What the store holds and when it was built: one row (the dashboard's "Stand").
with meta_values as (
    select
        max(meta_value) filter (where meta_key = 'built_at') as built_at,
        max(meta_value) filter (where meta_key = 'parser_version') as parser_version,
        max(meta_value) filter (where meta_key = 'schema_version') as schema_version
    from meta
),

agreement_counts as (
    select
        count(*) as agreements_count,
        count(*) filter (where not is_demo) as real_agreements_count,
        count(*) filter (where is_demo) as demo_agreements_count,
        min(agreement_year) as first_year,
        max(agreement_year) as last_year,
        max(ingested_at) as latest_ingested_at
    from agreements
),

final as (
    select
        m.built_at,
        c.latest_ingested_at,
        m.parser_version,
        m.schema_version,
        c.agreements_count,
        c.real_agreements_count,
        c.demo_agreements_count,
        c.first_year,
        c.last_year,
        (select count(*) from source_documents) as source_documents_count,
        (select count(*) from published_amounts) as published_amounts_count
    from meta_values as m
    cross join agreement_counts as c
)

select * from final
