{#- Indicator values per agency and period (grain: agency × indicator ×
    period, for every period the marts cover), quarterly submissions rolled
    up into longer periods: who did what, for section II of the report.
    A view: the roll-up is already a table, kept by period. -#}
with

rolled_up as (

    select * from {{ ref('int_indicator_values_rolled_up') }}

)

select * from rolled_up
