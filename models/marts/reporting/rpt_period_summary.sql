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

periods as (

    select * from {{ ref('dim_periods') }}

),

summed as (

    select
        violations.period_code,
        {{ sum_stages('violations') }}

    from violations
    group by violations.period_code

),

grid as (

    select
        summed.period_code,
        periods.report_type,
        periods.previous_period_code,
        periods.same_period_last_year_code,
        summed.detected,
        summed.handled,
        {{ ratio('summed.handled', 'summed.detected') }} as handled_rate,
        summed.fined_vnd,
        summed.removed_items,
        summed.prosecuted_cases,
        compliance.reporting_rate,
        compliance.on_time_rate

    from summed
    inner join periods on summed.period_code = periods.period_code
    left join compliance on summed.period_code = compliance.period_code

),

final as (

    select
        grid.period_code,
        grid.report_type,
        grid.previous_period_code,
        grid.same_period_last_year_code,
        grid.detected,
        previous.detected as detected_previous,
        last_year.detected as detected_last_year,
        {{ ratio('grid.detected - previous.detected', 'previous.detected') }} as detected_change_rate_vs_previous,
        {{ ratio('grid.detected - last_year.detected', 'last_year.detected') }} as detected_change_rate_vs_last_year,
        grid.handled,
        previous.handled as handled_previous,
        last_year.handled as handled_last_year,
        {{ ratio('grid.handled - previous.handled', 'previous.handled') }} as handled_change_rate_vs_previous,
        {{ ratio('grid.handled - last_year.handled', 'last_year.handled') }} as handled_change_rate_vs_last_year,
        grid.handled_rate,
        previous.handled_rate as handled_rate_previous,
        last_year.handled_rate as handled_rate_last_year,
        grid.handled_rate - previous.handled_rate as handled_rate_change_vs_previous,
        grid.handled_rate - last_year.handled_rate as handled_rate_change_vs_last_year,
        grid.fined_vnd,
        previous.fined_vnd as fined_vnd_previous,
        last_year.fined_vnd as fined_vnd_last_year,
        {{ ratio('grid.fined_vnd - previous.fined_vnd', 'previous.fined_vnd') }} as fined_vnd_change_rate_vs_previous,
        {{ ratio('grid.fined_vnd - last_year.fined_vnd', 'last_year.fined_vnd') }}
            as fined_vnd_change_rate_vs_last_year,
        grid.removed_items,
        grid.prosecuted_cases,
        previous.prosecuted_cases as prosecuted_cases_previous,
        last_year.prosecuted_cases as prosecuted_cases_last_year,
        {{ ratio('grid.prosecuted_cases - previous.prosecuted_cases', 'previous.prosecuted_cases') }}
            as prosecuted_cases_change_rate_vs_previous,
        {{ ratio('grid.prosecuted_cases - last_year.prosecuted_cases', 'last_year.prosecuted_cases') }}
            as prosecuted_cases_change_rate_vs_last_year,
        grid.reporting_rate,
        previous.reporting_rate as reporting_rate_previous,
        last_year.reporting_rate as reporting_rate_last_year,
        grid.reporting_rate - previous.reporting_rate as reporting_rate_change_vs_previous,
        grid.reporting_rate - last_year.reporting_rate as reporting_rate_change_vs_last_year,
        grid.on_time_rate,
        previous.on_time_rate as on_time_rate_previous,
        last_year.on_time_rate as on_time_rate_last_year,
        grid.on_time_rate - previous.on_time_rate as on_time_rate_change_vs_previous,
        grid.on_time_rate - last_year.on_time_rate as on_time_rate_change_vs_last_year

    from grid
    {{ join_earlier_periods('grid', []) }}

)

select * from final
