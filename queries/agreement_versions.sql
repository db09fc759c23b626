-- Every version of a partner's agreements: the current one and those it replaced (agreements_history),
-- with what changed between them is computed from (budget, status, § 4 amounts, projects); a version
-- made by an amendment (Änderung) carries its label from agreement_amendments.
with versions as (
    select
        agreement_id, agreement_year, source_file, status, status_date, budget_cents, is_demo, ingested_at,
        document_kind,
        null::timestamp as replaced_at,
        true as is_current
    from agreements
    where partner_ags = $partner_ags and ($include_demo or not is_demo)
    union all
    select
        agreement_id, agreement_year, source_file, status, status_date, budget_cents, is_demo, ingested_at,
        document_kind,
        replaced_at,
        false as is_current
    from agreements_history
    where partner_ags = $partner_ags and ($include_demo or not is_demo)
),

project_lists as (
    select
        pr.agreement_id,
        list(pr.project_name order by pr.project_position) as project_names
    from projects as pr
    semi join versions as v on v.agreement_id = pr.agreement_id
    group by pr.agreement_id
),

line_lists as (
    select
        bl.agreement_id,
        list(
            { 'programme_code': bl.programme_code, 'line_role': bl.line_role, 'amount_cents': bl.amount_cents }
            order by bl.line_position
        ) as budget_lines
    from budget_lines as bl
    semi join versions as v on v.agreement_id = bl.agreement_id
    group by bl.agreement_id
),

final as (
    select
        v.agreement_year,
        row_number() over (
            partition by v.agreement_year
            order by v.ingested_at, v.is_current, v.status_date nulls first, v.source_file
        ) as version_number,
        v.agreement_id,
        v.source_file,
        v.status,
        v.status_date,
        v.budget_cents,
        v.is_demo,
        v.ingested_at,
        v.replaced_at,
        v.is_current,
        v.document_kind,
        am.amendment_label,
        am.amended_date,
        coalesce(pl.project_names, []) as project_names,
        ll.budget_lines
    from versions as v
    left join project_lists as pl on pl.agreement_id = v.agreement_id
    left join line_lists as ll on ll.agreement_id = v.agreement_id
    left join agreement_amendments as am on am.result_agreement_id = v.agreement_id
)

select * from final
order by agreement_year desc, version_number
