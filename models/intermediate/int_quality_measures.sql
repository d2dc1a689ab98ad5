{#- Measures the validation rules compare, per agency and period for every
    latest accepted report (grain: agency × period × measure_name). A measure
    is null where it does not apply (no provincial total reported, say). -#}
with

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

incidents as (

    select * from {{ ref('int_incident_counts_latest') }}

),

indicator_values as (

    select * from {{ ref('int_indicator_values_latest') }}

),

agencies as (

    select * from {{ ref('agencies') }}

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

    select
        submissions.agency_code,
        submissions.period_code,
        agencies.agency_kind,
        agencies.agency_role

    from submissions
    inner join agencies on submissions.agency_code = agencies.agency_code
    where submissions.is_latest

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
    group by indicator_values.agency_code, indicator_values.period_code

),

required_indicators as (

    select
        task_assignments.agency_role,
        count(distinct indicators.indicator_code) as indicators_required

    from task_assignments
    inner join indicators on task_assignments.task_code = indicators.task_code
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

)

select * from measures_long
