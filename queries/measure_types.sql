-- The four Maßnahmenarten of § 5 with their full and short names.
with final as (
    select
        measure_type_code,
        measure_type_name,
        measure_type_label
    from measure_types
)

select * from final
order by measure_type_code
