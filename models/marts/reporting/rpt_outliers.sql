{#- Suspicious values (grain: series × period, flagged only): each agency × indicator series and
    each area × violation type series (detected, counted by the counting rule) against its up to
    var('outlier_history_periods') earlier values: modified z-score 0.6745 × (value − median) / MAD
    with enough varied history, else a min-max rule (counts are small and zero-inflated). Thresholds
    are vars. Incremental by period (rule 'history' in macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
{%- set z_threshold, min_history = var('outlier_z_threshold'), var('outlier_min_history') %}
{%- set min_abs_change, min_relative_change = var('outlier_min_abs_change'), var('outlier_min_relative_change') %}

with

indicator_values as (

    select * from {{ ref('fct_indicator_values') }}

),

incidents as (

    select * from {{ ref('int_incident_counts_counted') }}

),

submitted_periods as (

    -- the periods agencies submit for (quarters); longer periods are roll-ups
    select distinct fct_incident_counts.period_code from {{ ref('fct_incident_counts') }} as fct_incident_counts

),

periods as (

    select * from {{ ref('dim_periods') }}

),

series as (

    select
        'indicator' as series_kind,
        indicator_values.agency_code as subject_code,
        indicator_values.indicator_code as measure_code,
        indicator_values.period_code,
        cast(indicator_values.indicator_value as numeric(20, 2)) as observed_value
    from indicator_values

    union all

    select
        'incident_detected' as series_kind,
        incidents.area_code as subject_code,
        incidents.violation_type_code as measure_code,
        incidents.period_code,
        cast(coalesce(sum(incidents.detected), 0) as numeric(20, 2)) as observed_value
    from incidents
    inner join submitted_periods on incidents.period_code = submitted_periods.period_code
    group by incidents.area_code, incidents.violation_type_code, incidents.period_code

),

dated as (

    select
        series.*,
        periods.report_type,
        periods.cutoff_end_date
    from series
    inner join periods on series.period_code = periods.period_code

),

positioned as (

    select  -- a value's place in its series: its history is a bounded range join
        dated.*,
        row_number() over (
            partition by dated.series_kind, dated.subject_code, dated.measure_code, dated.report_type
            order by dated.cutoff_end_date
        ) as series_position

    from dated

),

recent as (

    select
        current_values.series_kind,
        current_values.subject_code,
        current_values.measure_code,
        current_values.period_code,
        past.observed_value as past_value

    from positioned as current_values
    inner join positioned as past
        on current_values.series_kind = past.series_kind
            and current_values.subject_code = past.subject_code
            and current_values.measure_code = past.measure_code
            and current_values.report_type = past.report_type
            and past.series_position between
            current_values.series_position - {{ var('outlier_history_periods') }}
            and current_values.series_position - 1
    where {{ in_affected_periods('current_values.period_code') }}

),

centred as (

    select
        recent.series_kind,
        recent.subject_code,
        recent.measure_code,
        recent.period_code,
        count(*) as history_count,
        {{ median('recent.past_value') }} as history_median,
        min(recent.past_value) as history_min,
        max(recent.past_value) as history_max

    from recent
    group by recent.series_kind, recent.subject_code, recent.measure_code, recent.period_code

),

spread as (

    select
        centred.series_kind,
        centred.subject_code,
        centred.measure_code,
        centred.period_code,
        {{ median('abs(recent.past_value - centred.history_median)') }} as history_mad

    from centred
    inner join recent
        on centred.series_kind = recent.series_kind
            and centred.subject_code = recent.subject_code
            and centred.measure_code = recent.measure_code
            and centred.period_code = recent.period_code
    group by centred.series_kind, centred.subject_code, centred.measure_code, centred.period_code

),

scored as (

    select
        dated.series_kind,
        dated.subject_code,
        dated.measure_code,
        dated.period_code,
        dated.observed_value,
        centred.history_count,
        centred.history_median,
        spread.history_mad,
        centred.history_min,
        centred.history_max,
        case
            when centred.history_count >= {{ min_history }} and spread.history_mad > 0 then 'modified_z'
            else 'min_max'
        end as method,  -- noqa: RF04
        case
            when spread.history_mad > 0
                then round(
                        cast(0.6745 * (dated.observed_value - centred.history_median) / spread.history_mad as numeric(20, 4)),
                        2
                    )
        end as score

    from dated
    inner join centred
        on dated.series_kind = centred.series_kind
            and dated.subject_code = centred.subject_code
            and dated.measure_code = centred.measure_code
            and dated.period_code = centred.period_code
    inner join spread
        on dated.series_kind = spread.series_kind
            and dated.subject_code = spread.subject_code
            and dated.measure_code = spread.measure_code
            and dated.period_code = spread.period_code
    where centred.history_count >= 2

),

ranged as (

    select
        scored.*,
        -- the rule's band, widened to min_abs_change / min_relative_change of
        -- the median: small counts moving by a case or two are left alone
        case
            when scored.method = 'modified_z'
                then greatest(
                        least(
                            scored.history_median - {{ z_threshold }} * scored.history_mad / 0.6745,
                            scored.history_median - {{ min_abs_change }},
                            scored.history_median * (1 - {{ min_relative_change }})
                        ),
                        0
                    )
            else greatest(
                    least(
                        scored.history_min - (scored.history_max - scored.history_min),
                        scored.history_min - {{ min_abs_change }},
                        scored.history_min * (1 - {{ min_relative_change }})
                    ),
                    0
                )
        end as expected_low,
        case
            when scored.method = 'modified_z'
                then greatest(
                        scored.history_median + {{ z_threshold }} * scored.history_mad / 0.6745,
                        scored.history_median + {{ min_abs_change }},
                        scored.history_median * (1 + {{ min_relative_change }})
                    )
            else greatest(
                    scored.history_max + (scored.history_max - scored.history_min),
                    scored.history_max + {{ min_abs_change }},
                    scored.history_max * (1 + {{ min_relative_change }})
                )
        end as expected_high

    from scored

),

flagged as (

    select
        ranged.series_kind,
        ranged.subject_code,
        ranged.measure_code,
        ranged.period_code,
        ranged.method,
        case when ranged.observed_value > ranged.expected_high then 'high' else 'low' end as direction,
        ranged.observed_value,
        round(cast(ranged.expected_low as numeric(20, 2)), 2) as expected_low,
        round(cast(ranged.expected_high as numeric(20, 2)), 2) as expected_high,
        ranged.history_median,
        ranged.history_mad,
        ranged.score,
        ranged.history_count

    from ranged
    where ranged.observed_value > ranged.expected_high
        or ranged.observed_value < ranged.expected_low

)

select * from flagged
