{#- Incidents per reporting agency, violation type and period (grain: agency
    × violation type × period), quarterly submissions rolled up into longer
    periods. Only agencies that reported something in the period appear. -#}
with

rolled_up as (

    select * from {{ ref('int_incident_counts_rolled_up') }}

),

summed as (

    {{ sum_stages_by('rolled_up', ['agency_code', 'violation_type_code', 'period_code']) }}

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
