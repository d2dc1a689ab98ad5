{#- Incidents per reporting agency, violation type and period (grain: agency
    × violation type × period), quarterly submissions rolled up into longer
    periods. Only agencies that reported something in the period appear.
    Incremental by period (rule 'rollups' in macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('int_periods_reported') }}
with

rolled_up as (

    select * from {{ ref('int_incident_counts_rolled_up') }}
    where {{ in_affected_periods('period_code') }}

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
