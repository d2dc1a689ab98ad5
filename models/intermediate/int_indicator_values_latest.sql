{#- Indicator values of the latest accepted version of each agency's report
    for a period (grain: agency × period × indicator). -#}
with

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

indicator_values as (

    select * from {{ ref('stg_raw__indicator_values') }}

),

latest as (

    select
        submissions.agency_code,
        submissions.period_code,
        indicator_values.indicator_code,
        submissions.submission_id,
        indicator_values.note,
        indicator_values.indicator_value,
        submissions.received_at,
        submissions.landed_at

    from indicator_values
    inner join submissions on indicator_values.submission_id = submissions.submission_id
    where submissions.is_latest

)

select * from latest
