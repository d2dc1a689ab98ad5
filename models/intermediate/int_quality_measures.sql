{#- Measures the validation rules compare, per agency and period for every
    report in use (grain: agency × period × measure_name). A measure is null
    (or absent) where it does not apply (no provincial total reported, say).
    Besides the named measures: `indicator:CODE`, the value the agency sent
    for an indicator (for a derived one, what it sent anyway), and
    `rows:STAGE`, a stage summed over the agency's incident rows in use
    (present when the report has an incident part). netsafe.intake.rules
    computes the same measures for a file at intake.

    Each slice (agency × period) is computed from that agency's report for
    that period alone, so the table is incremental by slice: a build
    computes only the slices changed since the last (rule in
    macros/incremental_slices.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
with

parts as (

    select * from {{ ref('int_submission_parts') }} as submission_parts
    where {{ in_changed_slices('submission_parts') }}

),

incidents as (

    select * from {{ ref('int_incident_counts_latest') }} as incidents_latest
    where {{ in_changed_slices('incidents_latest') }}

),

indicator_values as (

    select * from {{ ref('int_indicator_values_latest') }} as indicator_values_latest
    where {{ in_changed_slices('indicator_values_latest') }}

),

agencies as (

    select * from {{ ref('int_agencies') }}

),

areas as (

    select * from {{ ref('areas') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

task_assignments as (

    select * from {{ ref('task_assignments') }}

),

reports as (

    select distinct
        parts.agency_code,
        parts.period_code,
        agencies.agency_kind,
        agencies.agency_role

    from parts
    inner join agencies on parts.agency_code = agencies.agency_code
    where parts.is_current

),

incident_measures as (

    select
        incidents.agency_code,
        incidents.period_code,
        sum(case when incidents.handled > incidents.detected then 1 else 0 end) as handled_over_detected_rows,
        sum(case when incidents.fined_vnd > 0 and coalesce(incidents.handled, 0) = 0 then 1 else 0 end)
            as fined_without_handling_rows,
        sum(case when areas.area_level = 'district' then incidents.detected end) as district_detected,
        sum(case when areas.area_level = 'province' then incidents.detected end) as province_detected,
        sum(coalesce(incidents.prosecuted_cases, 0)) as prosecuted_cases,
        sum(
            case when incidents.detected < 0 then 1 else 0 end
            + case when incidents.handled < 0 then 1 else 0 end
            + case when incidents.fined_vnd < 0 then 1 else 0 end
            + case when incidents.removed_items < 0 then 1 else 0 end
            + case when incidents.prosecuted_cases < 0 then 1 else 0 end
        ) as negative_counts

    from incidents
    left join areas on incidents.area_code = areas.area_code
    group by incidents.agency_code, incidents.period_code

),

indicator_measures as (

    select
        indicator_values.agency_code,
        indicator_values.period_code,
        count(distinct indicator_values.indicator_code) as indicators_reported,
        sum(case when indicator_values.indicator_value < 0 then 1 else 0 end) as negative_values

    from indicator_values
    where indicator_values.value_source = 'reported'
    group by indicator_values.agency_code, indicator_values.period_code

),

required_indicators as (

    select
        task_assignments.agency_role,
        count(distinct indicators.indicator_code) as indicators_required

    from task_assignments
    inner join indicators on task_assignments.task_code = indicators.task_code
    -- derived indicators are computed from the incident rows, never asked for
    where indicators.aggregation <> 'derived'
    group by task_assignments.agency_role

),

wide as (

    select
        reports.agency_code,
        reports.period_code,
        cast(coalesce(incident_measures.handled_over_detected_rows, 0) as numeric(20, 2))
            as handled_over_detected_rows,
        cast(coalesce(incident_measures.fined_without_handling_rows, 0) as numeric(20, 2))
            as fined_without_handling_rows,
        cast(
            case when reports.agency_kind = 'police' then 0 else coalesce(incident_measures.prosecuted_cases, 0) end
            as numeric(20, 2)
        ) as prosecuted_from_non_police,
        cast(
            case when incident_measures.province_detected is not null then incident_measures.district_detected end
            as numeric(20, 2)
        ) as district_detected,
        cast(incident_measures.province_detected as numeric(20, 2)) as province_detected,
        cast(coalesce(indicator_measures.indicators_reported, 0) as numeric(20, 2)) as indicators_reported,
        cast(required_indicators.indicators_required as numeric(20, 2)) as indicators_required,
        cast(
            coalesce(incident_measures.negative_counts, 0) + coalesce(indicator_measures.negative_values, 0)
            as numeric(20, 2)
        ) as negative_values

    from reports
    left join incident_measures
        on reports.agency_code = incident_measures.agency_code
            and reports.period_code = incident_measures.period_code
    left join indicator_measures
        on reports.agency_code = indicator_measures.agency_code
            and reports.period_code = indicator_measures.period_code
    left join required_indicators on reports.agency_role = required_indicators.agency_role

),

{%- set measures = [
    'handled_over_detected_rows', 'fined_without_handling_rows', 'prosecuted_from_non_police',
    'district_detected', 'province_detected', 'indicators_reported', 'indicators_required',
    'negative_values'
] %}

measures_long as (

    {%- for measure in measures %}
        select
            wide.agency_code,
            wide.period_code,
            '{{ measure }}' as measure_name,
            wide.{{ measure }} as measure_value
        from wide
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

sent_indicators as (

    select
        indicator_values.agency_code,
        indicator_values.period_code,
        'indicator:' || indicator_values.indicator_code as measure_name,
        cast(coalesce(indicator_values.reported_value, indicator_values.indicator_value) as numeric(20, 2))
            as measure_value

    from indicator_values
    where indicator_values.value_source = 'reported' or indicator_values.reported_value is not null

),

incident_parts as (

    select distinct
        parts.agency_code,
        parts.period_code
    from parts
    where parts.report_part = 'incidents' and parts.is_current

),

row_sums as (

    {{ sum_stages_by('incidents', ['agency_code', 'period_code']) }}

),

row_measures as (

    {%- for stage in var('incident_stages') %}
        select
            incident_parts.agency_code,
            incident_parts.period_code,
            'rows:{{ stage }}' as measure_name,
            cast(coalesce(row_sums.{{ stage }}, 0) as numeric(20, 2)) as measure_value
        from incident_parts
        left join row_sums
            on incident_parts.agency_code = row_sums.agency_code
                and incident_parts.period_code = row_sums.period_code
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select * from measures_long
    union all
    select * from sent_indicators
    union all
    select * from row_measures

)

select * from final
