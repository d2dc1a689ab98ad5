{#- Who must report for which period: an agency is expected for a period of
    the report type its kind is obliged to send when both the agency and the
    obligation are in force on the period's reporter deadline. -#}
with

agencies as (

    select * from {{ ref('int_agencies') }}

),

obligations as (

    select * from {{ ref('reporting_obligations') }}

),

periods as (

    select * from {{ ref('int_periods_generated') }}

),

expected as (

    select
        agencies.agency_code,
        periods.period_code,
        obligations.report_type,
        obligations.incident_area_scope,
        agencies.area_code as agency_area_code,
        obligations.reports_indicators,
        obligations.reports_incidents,
        obligations.reports_prosecutions,
        periods.reporter_deadline_date

    from agencies
    inner join obligations on agencies.agency_kind = obligations.agency_kind
    inner join periods
        on obligations.report_type = periods.report_type
            and periods.reporter_deadline_date >= obligations.valid_from
            and (obligations.valid_to is null or periods.reporter_deadline_date < obligations.valid_to)
            and periods.reporter_deadline_date >= agencies.valid_from
            and (agencies.valid_to is null or periods.reporter_deadline_date < agencies.valid_to)

)

select * from expected
