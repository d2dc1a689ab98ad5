{#- Maps every period of every report type to the submitted periods whose
    cut-off windows lie inside it, so quarterly submissions roll up into
    half-year, nine-month and annual figures. Only report types that some
    agency is obliged to send are components, so nothing is counted twice. -#}
with

periods as (

    select * from {{ ref('int_periods_generated') }}

),

obligations as (

    select * from {{ ref('reporting_obligations') }}

),

submitted_types as (

    select distinct obligations.report_type
    from obligations

),

components as (

    select
        periods.period_code,
        component_periods.period_code as component_period_code,
        periods.report_type,
        component_periods.cutoff_end_date as component_cutoff_end_date

    from periods
    inner join periods as component_periods
        on component_periods.cutoff_start_date >= periods.cutoff_start_date
            and component_periods.cutoff_end_date <= periods.cutoff_end_date
    inner join submitted_types on component_periods.report_type = submitted_types.report_type

)

select * from components
