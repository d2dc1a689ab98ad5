{#- Incident counts rolled up into every period the reporting marts cover
    (grain: agency × area × violation type × period): quarterly submissions
    summed into half-year, nine-month and annual periods. The one place the
    roll-up is written; the reporting marts sum this further. -#}
with

incidents as (

    select * from {{ ref('fct_incident_counts') }}

),

components as (

    select * from {{ ref('int_period_components') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

rolled_up as (

    select
        incidents.agency_code,
        incidents.area_code,
        incidents.violation_type_code,
        components.period_code,
        cast(sum(incidents.detected) as bigint) as detected,
        cast(sum(incidents.handled) as bigint) as handled,
        cast(sum(incidents.fined_vnd) as bigint) as fined_vnd,
        cast(sum(incidents.removed_items) as bigint) as removed_items,
        cast(sum(incidents.prosecuted_cases) as bigint) as prosecuted_cases

    from incidents
    inner join components
        on incidents.period_code = components.component_period_code
    inner join periods_reported
        on components.period_code = periods_reported.period_code
    group by
        incidents.agency_code,
        incidents.area_code,
        incidents.violation_type_code,
        components.period_code

)

select * from rolled_up
