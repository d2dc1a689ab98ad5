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

history as (

    -- each value in the periods replaced, with the statistics of the values
    -- before it in its series (macros/outlier_history.sql)
    {{ outlier_history('dated') }}

),

scored as (

    select
        history.series_kind,
        history.subject_code,
        history.measure_code,
        history.period_code,
        history.observed_value,
        history.history_count,
        history.history_median,
        history.history_mad,
        history.history_min,
        history.history_max,
        case
            when history.history_count >= {{ min_history }} and history.history_mad > 0 then 'modified_z'
            else 'min_max'
        end as method,  -- noqa: RF04
        case
            when history.history_mad > 0
                then round(
                        cast(0.6745 * (history.observed_value - history.history_median) / history.history_mad as numeric(20, 4)),
                        2
                    )
        end as score

    from history
    where history.history_count >= 2

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
