{#- Reporting compliance per agency and period (grain: agency × period), for
    every expected report and for any submission received without being
    expected. Rates follow the DHIS2 definitions: reporting rate = submitted
    expected reports / expected reports; on-time rate = those received by the
    reporter deadline / expected reports. A report is made of parts (its
    obligation says which: indicator values, incident counts). It counts as
    submitted when every required part has been received (complete_at: the
    day the last of them first arrived), and on time when that day is by the
    deadline: the whole report, not its first part, is judged.
    first_accepted_at is when its first part arrived; a report with some parts
    but not all is 'partial', with missing_parts naming what is missing. -#}
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

first_parts as (

    select * from {{ ref('int_report_parts_received') }}

),

submission_rollup as (

    select
        submissions.agency_code,
        submissions.period_code,
        -- an approved period's compliance is what was known at its cut: files
        -- received after the approval are counted apart
        cast(sum(case when submissions.is_after_approval then 0 else 1 end) as bigint) as submission_count,
        -- a withdrawn version no longer counts as submitted
        cast(sum(
            case when submissions.is_accepted and not submissions.is_withdrawn
                    and not submissions.is_after_approval then 1
                else 0
            end
        ) as bigint) as accepted_count,
        cast(sum(case when submissions.is_accepted or submissions.is_after_approval then 0 else 1 end) as bigint)
            as rejected_count,
        cast(
            sum(case when submissions.is_withdrawn and not submissions.is_after_approval then 1 else 0 end)
            as bigint
        ) as withdrawn_count,
        cast(sum(case when submissions.is_after_approval then 1 else 0 end) as bigint) as after_approval_count,
        min(
            case when submissions.is_accepted and not submissions.is_withdrawn
                    and not submissions.is_after_approval then submissions.received_at
            end
        ) as first_accepted_at,
        max(case when not submissions.is_after_approval then submissions.received_at end) as last_received_at

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
        coalesce(submission_rollup.submission_count, 0) as submission_count,
        coalesce(submission_rollup.accepted_count, 0) as accepted_count,
        coalesce(submission_rollup.rejected_count, 0) as rejected_count,
        coalesce(submission_rollup.withdrawn_count, 0) as withdrawn_count,
        coalesce(submission_rollup.after_approval_count, 0) as after_approval_count,
        expected.agency_code is not null as is_expected,
        coalesce(submission_rollup.accepted_count, 0) > 0 as has_any_part,
        -- unexpected reports: whatever arrived is the whole report
        coalesce(expected.reports_indicators, false) as requires_indicators,
        coalesce(expected.reports_incidents, false) as requires_incidents,
        first_parts.indicators_received_at,
        first_parts.incidents_received_at,
        periods.reporter_deadline_date < {{ reference_date() }} as is_deadline_passed,
        periods.reporter_deadline_date,
        submission_rollup.first_accepted_at,
        submission_rollup.last_received_at

    from universe
    inner join periods on universe.period_code = periods.period_code
    {{ left_join_matching('expected', {'agency_code': 'universe', 'period_code': 'universe'}) }}
    {{ left_join_matching('submission_rollup', {'agency_code': 'universe', 'period_code': 'universe'}) }}
    {{ left_join_matching('first_parts', {'agency_code': 'universe', 'period_code': 'universe'}) }}

),

completed as (

    select
        joined.*,
        joined.has_any_part
        and not (joined.requires_indicators and joined.indicators_received_at is null)
        and not (joined.requires_incidents and joined.incidents_received_at is null) as has_submitted,
        case
            when joined.requires_indicators and joined.indicators_received_at is null then 'indicators'
            else ''
        end
        || case
            when joined.requires_indicators and joined.indicators_received_at is null
                and joined.requires_incidents and joined.incidents_received_at is null then ','
            else ''
        end
        || case
            when joined.requires_incidents and joined.incidents_received_at is null then 'incidents'
            else ''
        end as missing_parts_list

    from joined

),

timed as (

    select
        completed.*,
        case
            when completed.has_submitted
                then greatest(
                        coalesce(
                            case when completed.requires_indicators then completed.indicators_received_at end,
                            completed.first_accepted_at
                        ),
                        coalesce(
                            case when completed.requires_incidents then completed.incidents_received_at end,
                            completed.first_accepted_at
                        )
                    )
        end as complete_at

    from completed

),

classified as (

    select
        timed.*,
        greatest(
            {{ days_between('timed.reporter_deadline_date', 'cast(timed.complete_at as date)') }}, 0
        ) as days_late,
        timed.has_submitted
        and cast(timed.complete_at as date) <= timed.reporter_deadline_date as is_on_time,
        case
            when timed.has_submitted and cast(timed.complete_at as date) <= timed.reporter_deadline_date
                then 'on_time'
            when timed.has_submitted then 'late'
            when timed.has_any_part then 'partial'
            when timed.rejected_count > 0 then 'rejected'
            when not timed.is_deadline_passed then 'not_due'
            else 'missing'
        end as compliance_status

    from timed

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
        classified.after_approval_count,
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
        classified.has_any_part,
        nullif(classified.missing_parts_list, '') as missing_parts,
        classified.is_on_time,
        classified.is_deadline_passed,
        classified.reporter_deadline_date,
        classified.first_accepted_at,
        classified.complete_at,
        classified.last_received_at

    from classified

)

select * from final
