-- The years with at least one current agreement (demo ones only when the demo layer is on).
with counted_agreements as (
    select agreement_year
    from visible_agreements($include_demo)
),

final as (
    select distinct agreement_year
    from counted_agreements
)

select * from final
order by agreement_year
