{#- Indicator values in use for each agency's report for a period (grain:
    agency × period × indicator). Each quantity has one source:
    - a reported indicator comes from the version in use for the report's
      indicator part;
    - a derived indicator (dim_indicators.aggregation = 'derived') is the sum
      of its stage over the agency's own incident rows in use, for agencies
      whose tasks include it and who sent an incident part. A value sent for
      it anyway is kept as reported_value (rpt_validation_violations flags it
      when it disagrees), never used as the figure. -#}
with

parts as (

    select * from {{ ref('int_submission_parts') }}

),

indicator_values as (

    select * from {{ ref('stg_raw__indicator_values') }}

),

incidents as (

    select * from {{ ref('int_incident_counts_latest') }}

),

indicators as (

    select
        *,
        aggregation = 'derived' as is_derived
    from {{ ref('indicators') }}

),

task_assignments as (

    select * from {{ ref('task_assignments') }}

),

agencies as (

    select * from {{ ref('int_agencies') }}

),

current_submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

reported as (

    select
        parts.agency_code,
        parts.period_code,
        indicator_values.indicator_code,
        parts.submission_id,
        indicator_values.note,
        indicator_values.indicator_value,
        indicators.is_derived,
        current_submissions.received_at,
        current_submissions.landed_at

    from indicator_values
    inner join parts
        on indicator_values.submission_id = parts.submission_id
            and parts.report_part = 'indicators'
            and parts.is_current
    inner join current_submissions on parts.submission_id = current_submissions.submission_id
    left join indicators on indicator_values.indicator_code = indicators.indicator_code

),

incident_parts as (

    select
        parts.agency_code,
        parts.period_code,
        parts.submission_id,
        current_submissions.received_at,
        current_submissions.landed_at

    from parts
    inner join current_submissions on parts.submission_id = current_submissions.submission_id
    where parts.report_part = 'incidents' and parts.is_current

),

stage_totals as (

    select
        incidents.agency_code,
        incidents.period_code,
        {{ sum_stages('incidents') }}

    from incidents
    group by incidents.agency_code, incidents.period_code

),

derived as (

    select
        incident_parts.agency_code,
        incident_parts.period_code,
        indicators.indicator_code,
        incident_parts.submission_id,
        cast(null as varchar) as note,
        cast(
            case indicators.derived_from_stage
                {%- for stage in var('incident_stages') %}
                    when '{{ stage }}' then coalesce(stage_totals.{{ stage }}, 0)
                {%- endfor %}
            end
            as numeric(20, 2)
        ) as indicator_value,
        incident_parts.received_at,
        incident_parts.landed_at

    from incident_parts
    inner join agencies on incident_parts.agency_code = agencies.agency_code
    inner join task_assignments on agencies.agency_role = task_assignments.agency_role
    inner join indicators
        on task_assignments.task_code = indicators.task_code and indicators.is_derived
    left join stage_totals
        on incident_parts.agency_code = stage_totals.agency_code
            and incident_parts.period_code = stage_totals.period_code

),

final as (

    select
        reported.agency_code,
        reported.period_code,
        reported.indicator_code,
        reported.submission_id,
        reported.note,
        reported.indicator_value,
        'reported' as value_source,
        cast(null as numeric(20, 2)) as reported_value,
        reported.received_at,
        reported.landed_at

    from reported
    where not coalesce(reported.is_derived, false)

    union all

    select
        derived.agency_code,
        derived.period_code,
        derived.indicator_code,
        derived.submission_id,
        derived.note,
        derived.indicator_value,
        'derived' as value_source,
        sent.indicator_value as reported_value,
        derived.received_at,
        derived.landed_at

    from derived
    left join reported as sent
        on derived.agency_code = sent.agency_code
            and derived.period_code = sent.period_code
            and derived.indicator_code = sent.indicator_code

)

select * from final
