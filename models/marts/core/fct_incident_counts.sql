{#- Incident counts from the latest accepted version of each agency's report
    (grain: area × violation type × period × reporting agency). Null stages
    are stages the agency does not report.

    Incremental by agency × period slice (config in dbt_project.yml, macros
    in macros/incremental_slices.sql): the pre-hook deletes the slices that
    received a submission since the last build (a new report or a newer
    version); the model then inserts every slice the table lacks. Nothing
    else is touched, and a slice whose new version has no rows here stays
    empty, exactly as a full rebuild would leave it. -#}
-- the pre-hook reads it: depends_on: {{ ref('int_submissions_versioned') }}
{{ slices_not_yet_loaded(ref('int_incident_counts_latest')) }}
