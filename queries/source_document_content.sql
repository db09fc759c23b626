-- The original bytes of one ingested document, for download.
with final as (
    select source_sha256, source_file, file_format, byte_size, content
    from source_documents
    where source_sha256 = $source_sha256
)

select * from final
