{#- Indicator totals per period (grain: indicator × period, for every period
    the marts cover), with the number of agencies that reported a value and
    change against the previous period and a year earlier. -#}
with

rolled_up as (

    select * from {{ ref('int_indicator_values_rolled_up') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

indicators as (

    select * from {{ ref('dim_indicators') }}

),

summed as (

    select
        rolled_up.period_code,
        rolled_up.indicator_code,
        sum(rolled_up.total_value) as total_value,
        count(distinct rolled_up.agency_code) as reporting_agency_count

    from rolled_up
    group by rolled_up.period_code, rolled_up.indicator_code

),

grid as (

    select
        indicators.indicator_code,
        {{ reported_period_columns() }},
        coalesce(summed.total_value, 0) as total_value,
        coalesce(summed.reporting_agency_count, 0) as reporting_agency_count

    from periods_reported
    cross join indicators
    {{ left_join_matching('summed', {'period_code': 'periods_reported', 'indicator_code': 'indicators'}) }}

),

final as (

    select
        grid.indicator_code,
        grid.period_code,
        grid.report_type,
        grid.total_value,
        grid.reporting_agency_count,
        previous.total_value as total_value_previous,
        last_year.total_value as total_value_last_year,
        {{ ratio('grid.total_value - previous.total_value', 'previous.total_value') }}
            as change_rate_vs_previous,
        {{ ratio('grid.total_value - last_year.total_value', 'last_year.total_value') }}
            as change_rate_vs_last_year

    from grid
    {{ join_earlier_periods('grid', ['indicator_code']) }}

)

select * from final
