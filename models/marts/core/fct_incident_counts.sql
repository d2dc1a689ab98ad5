{#- Incident counts from the latest accepted version of each agency's report
    (grain: area × violation type × period × reporting agency). Null stages
    are stages the agency does not report.

    Incremental: the pre-hook deletes the agency × period slices that
    received a submission since the last build (a new report or a newer
    version); the model then inserts every slice the table lacks. Nothing
    else is touched, and a slice whose new version has no rows here stays
    empty, exactly as a full rebuild would leave it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_changed_slices() }}",
) }}

-- the pre-hook reads it: depends_on: {{ ref('int_submissions_versioned') }}

with

incident_counts as (

    select * from {{ ref('int_incident_counts_latest') }}

),

final as (

    select incident_counts.*
    from incident_counts
    where {{ missing_slices_only('incident_counts') }}

)

select * from final
