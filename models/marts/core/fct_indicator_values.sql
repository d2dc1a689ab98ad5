{#- Indicator values from the latest accepted version of each agency's
    report for a period (grain: agency × period × indicator).

    Incremental by agency × period slice, like fct_incident_counts. -#}
-- the pre-hook reads it: depends_on: {{ ref('int_submissions_versioned') }}
{{ slices_not_yet_loaded(ref('int_indicator_values_latest')) }}
