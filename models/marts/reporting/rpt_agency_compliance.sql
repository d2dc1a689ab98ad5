{#- Reporting compliance per agency and period (grain: agency × period), for
    every expected report and for any submission received without being
    expected. Rates follow the DHIS2 definitions: reporting rate = submitted
    expected reports / expected reports; on-time rate = those first received
    by the reporter deadline / expected reports. -#}
with

expected as (

    select * from {{ ref('int_reports_expected') }}

),

submissions as (

    select * from {{ ref('fct_submissions') }}

),

periods as (

    select * from {{ ref('dim_periods') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

submission_rollup as (

    select
        submissions.agency_code,
        submissions.period_code,
        cast(count(*) as bigint) as submission_count,
        -- a withdrawn version no longer counts as submitted
        cast(sum(case when submissions.is_accepted and not submissions.is_withdrawn then 1 else 0 end) as bigint)
            as accepted_count,
        cast(sum(case when submissions.is_accepted then 0 else 1 end) as bigint) as rejected_count,
        cast(sum(case when submissions.is_withdrawn then 1 else 0 end) as bigint) as withdrawn_count,
        max(case when submissions.is_first_accepted then submissions.days_late end) as days_late,
        max(case when submissions.is_first_accepted then submissions.received_at end)
            as first_accepted_at,
        max(submissions.received_at) as last_received_at

    from submissions
    inner join agencies on submissions.agency_code = agencies.agency_code
    inner join periods on submissions.period_code = periods.period_code
    group by submissions.agency_code, submissions.period_code

),

universe as (

    select
        expected.agency_code,
        expected.period_code
    from expected

    union

    select
        submission_rollup.agency_code,
        submission_rollup.period_code
    from submission_rollup

),

joined as (

    select
        universe.agency_code,
        universe.period_code,
        periods.report_type,
        submission_rollup.days_late,
        coalesce(submission_rollup.submission_count, 0) as submission_count,
        coalesce(submission_rollup.accepted_count, 0) as accepted_count,
        coalesce(submission_rollup.rejected_count, 0) as rejected_count,
        coalesce(submission_rollup.withdrawn_count, 0) as withdrawn_count,
        expected.agency_code is not null as is_expected,
        coalesce(submission_rollup.accepted_count, 0) > 0 as has_submitted,
        coalesce(submission_rollup.accepted_count, 0) > 0
        and submission_rollup.days_late = 0 as is_on_time,
        periods.reporter_deadline_date < {{ reference_date() }} as is_deadline_passed,
        periods.reporter_deadline_date,
        submission_rollup.first_accepted_at,
        submission_rollup.last_received_at

    from universe
    inner join periods on universe.period_code = periods.period_code
    {{ left_join_matching('expected', {'agency_code': 'universe', 'period_code': 'universe'}) }}
    {{ left_join_matching('submission_rollup', {'agency_code': 'universe', 'period_code': 'universe'}) }}

),

classified as (

    select
        joined.*,
        case
            when joined.has_submitted and joined.is_on_time then 'on_time'
            when joined.has_submitted then 'late'
            when joined.rejected_count > 0 then 'rejected'
            when not joined.is_deadline_passed then 'not_due'
            else 'missing'
        end as compliance_status

    from joined

),

final as (

    select
        classified.agency_code,
        classified.period_code,
        classified.report_type,
        classified.compliance_status,
        classified.submission_count,
        classified.accepted_count,
        classified.rejected_count,
        classified.withdrawn_count,
        classified.days_late,
        {{ ratio(
            "sum(case when classified.is_expected and classified.has_submitted then 1 else 0 end)"
            ~ " over (partition by classified.period_code)",
            "sum(case when classified.is_expected then 1 else 0 end)"
            ~ " over (partition by classified.period_code)"
        ) }} as period_reporting_rate,
        {{ ratio(
            "sum(case when classified.is_expected and classified.is_on_time then 1 else 0 end)"
            ~ " over (partition by classified.period_code)",
            "sum(case when classified.is_expected then 1 else 0 end)"
            ~ " over (partition by classified.period_code)"
        ) }} as period_on_time_rate,
        classified.is_expected,
        classified.has_submitted,
        classified.is_on_time,
        classified.is_deadline_passed,
        classified.reporter_deadline_date,
        classified.first_accepted_at,
        classified.last_received_at

    from classified

)

select * from final
