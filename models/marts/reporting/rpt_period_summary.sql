{#- The province's headline figures per period (grain: period, for every
    period the reporting marts cover): incidents summed over violation types,
    reporting compliance, and each compared with the previous period and the
    same period a year earlier, so dashboards show comparisons, never compute
    them. -#}
with

violations as (

    select * from {{ ref('rpt_violation_summary') }}

),

compliance as (

    select * from {{ ref('rpt_period_compliance') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

summed as (

    select
        violations.period_code,
        {{ sum_stages('violations') }},
        min(case when violations.is_handled_rate_comparable then 1 else 0 end) = 1 as is_handled_rate_comparable

    from violations
    group by violations.period_code

),

grid as (

    select
        {{ reported_period_columns() }},
        {{ stages_with_handled_rate('summed', 'summed.is_handled_rate_comparable') }},
        compliance.reporting_rate,
        compliance.on_time_rate

    from summed
    inner join periods_reported on summed.period_code = periods_reported.period_code
    left join compliance on summed.period_code = compliance.period_code

),

final as (

    select
        grid.period_code,
        grid.report_type,
        grid.previous_period_code,
        grid.same_period_last_year_code,
        grid.removed_items,
        {{ compared_count('detected') }},
        {{ compared_count('handled') }},
        {{ compared_count('fined_vnd') }},
        {{ compared_count('prosecuted_cases') }},
        {{ compared_rate('handled_rate') }},
        {{ compared_rate('reporting_rate') }},
        {{ compared_rate('on_time_rate') }}

    from grid
    {{ join_earlier_periods('grid', []) }}

)

select * from final
