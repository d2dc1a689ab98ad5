{#- Incidents per violation type and period (grain: violation type × period,
    for every period of every report type the marts cover), summed over
    areas and reporting agencies, with change against the previous period
    and the same period a year earlier. -#}
with

rolled_up as (

    select * from {{ ref('int_incident_counts_rolled_up') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

violation_types as (

    select * from {{ ref('dim_violation_types') }}

),

summed as (

    select
        rolled_up.period_code,
        rolled_up.violation_type_code,
        {{ sum_stages('rolled_up') }},
        count(distinct rolled_up.agency_code) as reporting_agency_count

    from rolled_up
    group by rolled_up.period_code, rolled_up.violation_type_code

),

grid as (

    select
        violation_types.violation_type_code,
        {{ reported_period_columns() }},
        {{ coalesce_stages('summed') }},
        coalesce(summed.reporting_agency_count, 0) as reporting_agency_count

    from periods_reported
    cross join violation_types
    {{ left_join_matching('summed', {'period_code': 'periods_reported', 'violation_type_code': 'violation_types'}) }}

),

final as (

    select
        grid.violation_type_code,
        grid.period_code,
        grid.report_type,
        grid.previous_period_code,
        grid.same_period_last_year_code,
        {{ stages_with_handled_rate('grid') }},
        grid.reporting_agency_count,
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

)

select * from final
