{#- Provincial incident figures per violation type and period (grain:
    violation type × period, for every period of every report type the marts
    cover), summed over areas and over the reporters whose counts make the
    provincial figure of each stage under the counting rule
    (stage_counting_rules: by default police for detected and prosecuted,
    the DIC for handled, fines and removals), so no case is counted twice;
    with change against the previous period and the same period a year
    earlier. Who reported what: rpt_violation_by_source.

    Incremental by period (macros/incremental_periods.sql, rule
    'comparisons'): a build replaces only the periods a change reaches. -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }}
with

counted as (

    select * from {{ ref('int_incident_counts_counted') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

violation_types as (

    select * from {{ ref('dim_violation_types') }}

),

compared_periods as (

    -- the periods rebuilt (all of them on a full build) and those they are compared with
    {{ affected_and_compared_periods('periods_reported') }}

),

summed as (

    select
        counted.period_code,
        counted.violation_type_code,
        {{ sum_stages('counted') }},
        count(distinct counted.agency_code) as reporting_agency_count,
        min(case when counted.is_handled_rate_comparable then 1 else 0 end) = 1 as is_handled_rate_comparable

    from counted
    where counted.period_code in (select compared_periods.period_code from compared_periods)
    group by counted.period_code, counted.violation_type_code

),

grid as (

    select
        violation_types.violation_type_code,
        {{ reported_period_columns() }},
        {{ coalesce_stages('summed') }},
        coalesce(summed.reporting_agency_count, 0) as reporting_agency_count,
        coalesce(summed.is_handled_rate_comparable, true) as is_handled_rate_comparable

    from periods_reported
    cross join violation_types
    {{ left_join_matching('summed', {'period_code': 'periods_reported', 'violation_type_code': 'violation_types'}) }}
    where periods_reported.period_code in (select compared_periods.period_code from compared_periods)

),

final as (

    select
        grid.violation_type_code,
        grid.period_code,
        grid.report_type,
        grid.previous_period_code,
        grid.same_period_last_year_code,
        {{ stages_with_handled_rate('grid', 'grid.is_handled_rate_comparable') }},
        grid.reporting_agency_count,
        grid.is_handled_rate_comparable,
        previous.detected as detected_previous,
        grid.detected - previous.detected as detected_change_vs_previous,
        {{ ratio('grid.detected - previous.detected', 'previous.detected') }}
            as detected_change_rate_vs_previous,
        last_year.detected as detected_last_year,
        grid.detected - last_year.detected as detected_change_vs_last_year,
        {{ ratio('grid.detected - last_year.detected', 'last_year.detected') }}
            as detected_change_rate_vs_last_year,
        previous.handled as handled_previous,
        last_year.handled as handled_last_year

    from grid
    {{ join_earlier_periods('grid', ['violation_type_code']) }}
    where {{ in_affected_periods('grid.period_code') }}

)

select * from final
