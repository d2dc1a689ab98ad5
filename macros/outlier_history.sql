{#- rpt_outliers' history: each value of `dated` (a relation with series_kind,
    subject_code, measure_code, report_type, period_code, cutoff_end_date and
    observed_value, one row a series and period) in the periods a build
    replaces, with the statistics of the up to var('outlier_history_periods')
    values before it in its series (series_kind × subject × measure × report
    type, ordered by cutoff_end_date): history_count, history_median,
    history_mad (the median of the distances from history_median),
    history_min and history_max. A value with nothing before it is left out.

    The same figures two ways, because PostgreSQL has no median over a
    window (an ordered-set aggregate cannot be one):
      - DuckDB takes them over a window frame of the earlier rows, in one
        pass (at scale 100, 0.5-0.6 s against 1.6-1.8 s for the join below,
        the same rows);
      - PostgreSQL numbers each series, joins each value to its earlier
        values and groups them, twice (the median, then the distances
        from it).
    tests/test_postgres.py compares the two engines' rpt_outliers row for row
    on the demo data, and tests/test_mart_hashes.py DuckDB's with its
    recorded fingerprint. -#}
{% macro outlier_history(dated) -%}
    {{ return(adapter.dispatch('outlier_history', 'netsafe')(dated)) }}
{%- endmacro %}

{% macro duckdb__outlier_history(dated) -%}
    select framed.*
    from (
        select
            {{ dated }}.*,
            count(*) over earlier as history_count,
            {{ median(dated ~ '.observed_value') }} over earlier as history_median,
            mad({{ dated }}.observed_value) over earlier as history_mad,
            min({{ dated }}.observed_value) over earlier as history_min,
            max({{ dated }}.observed_value) over earlier as history_max
        from {{ dated }}
        window earlier as (
            partition by {{ dated }}.series_kind, {{ dated }}.subject_code, {{ dated }}.measure_code, {{ dated }}.report_type
            order by {{ dated }}.cutoff_end_date
            rows between {{ var('outlier_history_periods') }} preceding and 1 preceding
        )
    ) as framed
    where framed.history_count > 0 and {{ in_affected_periods('framed.period_code') }}
{%- endmacro %}

{% macro default__outlier_history(dated) -%}
    {%- set series = ['series_kind', 'subject_code', 'measure_code', 'period_code'] -%}
    with

    positioned as (

        select  -- a value's place in its series: its history is a bounded range join
            {{ dated }}.*,
            row_number() over (
                partition by {{ dated }}.series_kind, {{ dated }}.subject_code, {{ dated }}.measure_code, {{ dated }}.report_type
                order by {{ dated }}.cutoff_end_date
            ) as series_position

        from {{ dated }}

    ),

    recent as (

        select
            {%- for column in series %}
            current_values.{{ column }},
            {%- endfor %}
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
            {%- for column in series %}
            recent.{{ column }},
            {%- endfor %}
            count(*) as history_count,
            {{ median('recent.past_value') }} as history_median,
            min(recent.past_value) as history_min,
            max(recent.past_value) as history_max

        from recent
        group by {% for column in series %}recent.{{ column }}{{ ", " if not loop.last }}{% endfor %}

    ),

    spread as (

        select
            {%- for column in series %}
            centred.{{ column }},
            {%- endfor %}
            {{ median('abs(recent.past_value - centred.history_median)') }} as history_mad

        from centred
        inner join recent
            on {% for column in series %}centred.{{ column }} = recent.{{ column }}{{ " and " if not loop.last }}{% endfor %}
        group by {% for column in series %}centred.{{ column }}{{ ", " if not loop.last }}{% endfor %}

    )

    select
        {{ dated }}.*,
        centred.history_count,
        centred.history_median,
        spread.history_mad,
        centred.history_min,
        centred.history_max

    from {{ dated }}
    inner join centred
        on {% for column in series %}{{ dated }}.{{ column }} = centred.{{ column }}{{ " and " if not loop.last }}{% endfor %}
    inner join spread
        on {% for column in series %}{{ dated }}.{{ column }} = spread.{{ column }}{{ " and " if not loop.last }}{% endfor %}
{%- endmacro %}
