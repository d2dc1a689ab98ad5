-- Half-year, nine-month and annual figures are exactly the sum of the
-- quarters inside them: nothing counted twice, nothing dropped.
with

summary as (

    select * from {{ ref('rpt_violation_summary') }}

),

components as (

    select * from {{ ref('int_period_components') }}

),

from_quarters as (

    select
        components.period_code,
        summary.violation_type_code,
        sum(summary.detected) as detected,
        sum(summary.handled) as handled

    from components
    inner join summary on components.component_period_code = summary.period_code
    group by components.period_code, summary.violation_type_code

)

select
    summary.period_code,
    summary.violation_type_code,
    summary.detected,
    from_quarters.detected as detected_from_quarters

from summary
inner join from_quarters
    on summary.period_code = from_quarters.period_code
        and summary.violation_type_code = from_quarters.violation_type_code
where summary.report_type <> 'quarterly'
    and (summary.detected <> from_quarters.detected or summary.handled <> from_quarters.handled)
