{#- Indicator totals per period (grain: indicator × period, for every period
    the marts cover), with the number of agencies that reported a value and
    change against the previous period and a year earlier. -#}
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

components as (

    select * from {{ ref('int_period_components') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

periods as (

    select * from {{ ref('int_periods_generated') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

summed as (

    select
        components.period_code,
        indicator_values.indicator_code,
        sum(indicator_values.indicator_value) as total_value,
        count(distinct indicator_values.agency_code) as reporting_agency_count

    from indicator_values
    inner join components
        on indicator_values.period_code = components.component_period_code
    group by components.period_code, indicator_values.indicator_code

),

grid as (

    select
        indicators.indicator_code,
        periods_reported.period_code,
        periods.report_type,
        periods.previous_period_code,
        periods.same_period_last_year_code,
        coalesce(summed.total_value, 0) as total_value,
        coalesce(summed.reporting_agency_count, 0) as reporting_agency_count

    from periods_reported
    cross join indicators
    inner join periods
        on periods_reported.period_code = periods.period_code
    left join summed
        on periods_reported.period_code = summed.period_code
            and indicators.indicator_code = summed.indicator_code

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
    left join grid as previous
        on grid.previous_period_code = previous.period_code
            and grid.indicator_code = previous.indicator_code
    left join grid as last_year
        on grid.same_period_last_year_code = last_year.period_code
            and grid.indicator_code = last_year.indicator_code

)

select * from final
