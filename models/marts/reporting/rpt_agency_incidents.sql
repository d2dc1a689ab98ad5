{#- Incidents per reporting agency, violation type and period (grain: agency
    × violation type × period), quarterly submissions rolled up into longer
    periods. Only agencies that reported something in the period appear. -#}
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

summed as (

    select
        incidents.agency_code,
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
    group by incidents.agency_code, incidents.violation_type_code, components.period_code

),

final as (

    select
        summed.agency_code,
        summed.violation_type_code,
        summed.period_code,
        coalesce(summed.detected, 0) as detected,
        summed.handled,
        {{ ratio('summed.handled', 'summed.detected') }} as handled_rate,
        summed.fined_vnd,
        summed.removed_items,
        summed.prosecuted_cases

    from summed

)

select * from final
