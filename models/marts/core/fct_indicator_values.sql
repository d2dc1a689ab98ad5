{#- Indicator values from the latest accepted version of each agency's
    report for a period (grain: agency × period × indicator).

    Incremental like fct_incident_counts: slices with a submission landed
    since the last build are deleted by the pre-hook and inserted again. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_slices() }}",
) }}

-- the pre-hook reads it: depends_on: {{ ref('int_submissions_versioned') }}

with

indicator_values as (

    select * from {{ ref('int_indicator_values_latest') }}

),

final as (

    select indicator_values.*
    from indicator_values
    where {{ missing_slices_only('indicator_values') }}

)

select * from final
