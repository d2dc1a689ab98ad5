{#- Incident rows in use for each agency's report for a period: those of the
    version in use for the report's incident part (grain: area × violation
    type × period × agency). -#}
with

parts as (

    select * from {{ ref('int_submission_parts') }}

),

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

incident_counts as (

    select * from {{ ref('stg_raw__incident_counts') }}

),

latest as (

    select
        incident_counts.area_code,
        incident_counts.violation_type_code,
        submissions.period_code,
        submissions.agency_code,
        submissions.submission_id,
        incident_counts.detected,
        incident_counts.handled,
        incident_counts.fined_vnd,
        incident_counts.removed_items,
        incident_counts.prosecuted_cases,
        submissions.received_at,
        submissions.landed_at

    from incident_counts
    inner join parts
        on incident_counts.submission_id = parts.submission_id
            and parts.report_part = 'incidents'
            and parts.is_current
    inner join submissions on parts.submission_id = submissions.submission_id

)

select * from latest
