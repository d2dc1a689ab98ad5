{#- Indicator values rolled up into every period the reporting marts cover
    (grain: agency × indicator × period): quarterly submissions summed into
    half-year, nine-month and annual periods, with how many submitted periods
    each total holds. Incremental by period (rule 'rollups' in
    macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('int_periods_reported') }}
with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

components as (

    select * from {{ ref('int_period_components_reported') }}

),

rolled_up as (

    select
        indicator_values.agency_code,
        indicator_values.indicator_code,
        components.period_code,
        sum(indicator_values.indicator_value) as total_value,
        count(*) as reported_periods

    from indicator_values
    inner join components on indicator_values.period_code = components.component_period_code
    where {{ in_affected_periods('components.period_code') }}
    group by indicator_values.agency_code, indicator_values.indicator_code, components.period_code

)

select * from rolled_up
