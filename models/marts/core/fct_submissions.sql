{#- Every received submission version, accepted or rejected, withdrawn or
    not (grain: one row per submission_id = agency × period × version), in
    landing order, with the report parts it carries and those of them in
    use; is_latest: the version is in use for at least one part. -#}
with

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

parts as (

    select * from {{ ref('int_submission_parts') }}

),

parts_rolled_up as (

    select
        parts.submission_id,
        {{ string_list('parts.report_part', ',', 'parts.report_part') }} as report_parts,
        {{ string_list('case when parts.is_current then parts.report_part end', ',', 'parts.report_part') }}
            as parts_in_use

    from parts
    group by parts.submission_id

),

final as (

    select
        submissions.submission_id,
        submissions.agency_code,
        submissions.period_code,
        submissions.channel,
        submissions.source_file_name,
        submissions.file_sha256,
        submissions.submission_status,
        submissions.note,
        submissions.template_version,
        submissions.withdrawn_by,
        submissions.withdrawal_reason,
        submissions.version_number,
        submissions.accepted_version_number,
        submissions.row_count,
        greatest({{ days_between('periods.reporter_deadline_date', 'submissions.received_date') }}, 0)
            as days_late,
        submissions.is_accepted,
        submissions.is_withdrawn,
        submissions.is_after_approval,
        parts_rolled_up.report_parts,
        parts_rolled_up.parts_in_use,
        coalesce(parts_rolled_up.parts_in_use is not null, false) as is_latest,
        submissions.is_first_accepted,
        submissions.received_date <= periods.reporter_deadline_date as is_on_time,
        periods.reporter_deadline_date,
        submissions.received_date,
        submissions.received_at,
        submissions.landed_at,
        submissions.current_since,
        submissions.withdrawn_at

    from submissions
    left join periods on submissions.period_code = periods.period_code
    left join parts_rolled_up on submissions.submission_id = parts_rolled_up.submission_id

)

select * from final
