{#- Periods (of every report type) the reporting marts cover, with the
    periods each is compared with: at least one
    component period was due from some agency, and every component period's
    cut-off has ended no later than the latest period anyone submitted for.
    So half-year and annual figures appear only once complete. -#}
with

components as (

    select * from {{ ref('int_period_components') }}

),

expected as (

    select * from {{ ref('int_reports_expected') }}

),

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

periods as (

    select * from {{ ref('int_periods_generated') }}

),

latest_submitted as (

    select max(periods.cutoff_end_date) as latest_cutoff_end_date

    from submissions
    inner join periods on submissions.period_code = periods.period_code
    where submissions.is_accepted

),

expected_periods as (

    select distinct expected.period_code
    from expected

),

coverage as (

    select
        components.period_code,
        count(*) as component_count,
        count(expected_periods.period_code) as expected_component_count,
        max(components.component_cutoff_end_date) as last_component_cutoff_end_date

    from components
    left join expected_periods on components.component_period_code = expected_periods.period_code
    group by components.period_code

),

final as (

    select
        coverage.period_code,
        periods.report_type,
        periods.previous_period_code,
        periods.same_period_last_year_code,
        coverage.component_count,
        coverage.expected_component_count

    from coverage
    inner join periods on coverage.period_code = periods.period_code
    cross join latest_submitted
    where coverage.expected_component_count > 0
        and coverage.last_component_cutoff_end_date <= latest_submitted.latest_cutoff_end_date

)

select * from final
