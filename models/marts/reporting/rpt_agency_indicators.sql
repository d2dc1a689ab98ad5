{#- Indicator values per agency and period (grain: agency × indicator ×
    period, for every period the marts cover), quarterly submissions rolled
    up into longer periods: who did what, for section II of the report. -#}
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

summed as (

    select
        indicator_values.agency_code,
        indicator_values.indicator_code,
        components.period_code,
        sum(indicator_values.indicator_value) as total_value,
        count(*) as reported_periods

    from indicator_values
    inner join components
        on indicator_values.period_code = components.component_period_code
    inner join periods_reported
        on components.period_code = periods_reported.period_code
    group by indicator_values.agency_code, indicator_values.indicator_code, components.period_code

)

select * from summed
