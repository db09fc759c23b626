-- The audit log of the store: who wrote which file when, with outcome and what changed; newest first.
with final as (
    select
        logged_at,
        actor,
        source_file,
        outcome,
        message,
        source_sha256
    from ingest_log
)

select * from final
order by logged_at desc, source_file
