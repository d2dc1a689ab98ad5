{#- Incident counts from the latest accepted version of each agency's report
    (grain: area × violation type × period × reporting agency). Null stages
    are stages the agency does not report. -#}
with

incident_counts as (

    select * from {{ ref('int_incident_counts_latest') }}

)

select * from incident_counts
