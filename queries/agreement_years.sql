-- The years with at least one current agreement (demo ones only when the demo layer is on), and
-- whether one of them is signed: the dashboard opens on the latest year that has signed agreements.
with counted_agreements as (
    select agreement_year, status
    from visible_agreements($include_demo)
),

final as (
    select
        agreement_year,
        bool_or(status in ('unterzeichnet', 'veroeffentlicht')) as has_signed
    from counted_agreements
    group by agreement_year
)

select * from final
order by agreement_year
