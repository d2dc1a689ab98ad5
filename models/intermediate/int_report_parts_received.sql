{#- When each part of an agency's report for a period first arrived (grain:
    agency × period): the earliest received_at of a usable version carrying
    that part (accepted, not withdrawn, not after the period's approval).
    rpt_agency_compliance judges the whole report on the last of them. -#}
with

parts as (

    select * from {{ ref('int_submission_parts') }}

),

first_parts as (

    select
        parts.agency_code,
        parts.period_code,
        min(case when parts.report_part = 'indicators' then parts.received_at end) as indicators_received_at,
        min(case when parts.report_part = 'incidents' then parts.received_at end) as incidents_received_at

    from parts
    where parts.is_usable
    group by parts.agency_code, parts.period_code

)

select * from first_parts
