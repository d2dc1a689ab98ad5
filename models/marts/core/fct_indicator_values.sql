{#- Indicator values from the latest accepted version of each agency's
    report for a period (grain: agency × period × indicator). -#}
with

indicator_values as (

    select * from {{ ref('int_indicator_values_latest') }}

)

select * from indicator_values
