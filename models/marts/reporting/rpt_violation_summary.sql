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

periods as (

    select * from {{ ref('dim_periods') }}

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
        periods_reported.period_code,
        violation_types.violation_type_code,
        periods.report_type,
        periods.previous_period_code,
        periods.same_period_last_year_code,
        {{ coalesce_stages('summed') }},
        coalesce(summed.reporting_agency_count, 0) as reporting_agency_count

    from periods_reported
    cross join violation_types
    inner join periods on periods_reported.period_code = periods.period_code
    left join summed
        on periods_reported.period_code = summed.period_code
            and violation_types.violation_type_code = summed.violation_type_code

),

final as (

    select
        grid.violation_type_code,
        grid.period_code,
        grid.report_type,
        grid.previous_period_code,
        grid.same_period_last_year_code,
        grid.detected,
        grid.handled,
        {{ ratio('grid.handled', 'grid.detected') }} as handled_rate,
        grid.fined_vnd,
        grid.removed_items,
        grid.prosecuted_cases,
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
