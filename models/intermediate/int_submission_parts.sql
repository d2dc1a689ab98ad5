{#- The report parts each accepted version carries, and which version is in
    use for each part (grain: submission_id × report_part). A report is made
    of parts (indicator values, incident counts); a version supersedes only
    the parts it carries. For each agency × period × part, the version in use
    (is_current) is the usable (accepted, not withdrawn) version carrying it
    that became current last: landed last, or re-sent last.
    (netsafe.store.base.CURRENT_PARTS_SQL applies the same rule at intake.) -#}
with

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

parts as (

    select * from {{ ref('stg_raw__submission_parts') }}

),

ranked as (

    select
        parts.submission_id,
        parts.report_part,
        submissions.agency_code,
        submissions.period_code,
        submissions.is_usable,
        submissions.received_at,
        submissions.current_since,
        case
            when submissions.is_usable
                then row_number() over (
                        partition by
                            submissions.agency_code, submissions.period_code, parts.report_part,
                            submissions.is_usable
                        order by submissions.current_since desc, submissions.submission_id desc
                    )
        end as use_rank

    from parts
    inner join submissions on parts.submission_id = submissions.submission_id

),

final as (

    select
        ranked.submission_id,
        ranked.report_part,
        ranked.agency_code,
        ranked.period_code,
        ranked.is_usable,
        coalesce(ranked.use_rank = 1, false) as is_current,
        ranked.received_at,
        ranked.current_since

    from ranked

)

select * from final
