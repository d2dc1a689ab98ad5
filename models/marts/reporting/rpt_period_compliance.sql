{#- Reporting compliance per period (grain: period), summed from
    rpt_agency_compliance over expected reports. -#}
with

compliance as (

    select * from {{ ref('rpt_agency_compliance') }}

),

summed as (

    select
        compliance.period_code,
        compliance.report_type,
        cast(sum(case when compliance.is_expected then 1 else 0 end) as bigint) as expected_count,
        cast(sum(case when compliance.is_expected and compliance.has_submitted then 1 else 0 end) as bigint)
            as submitted_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'on_time' then 1 else 0 end) as bigint)
            as on_time_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'late' then 1 else 0 end) as bigint)
            as late_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'missing' then 1 else 0 end) as bigint)
            as missing_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'rejected' then 1 else 0 end) as bigint)
            as rejected_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'not_due' then 1 else 0 end) as bigint)
            as not_due_count,
        cast(sum(case when compliance.is_expected and compliance.compliance_status = 'partial' then 1 else 0 end) as bigint)
            as partial_count,
        max(compliance.period_reporting_rate) as reporting_rate,
        max(compliance.period_on_time_rate) as on_time_rate,
        max(compliance.reporter_deadline_date) as reporter_deadline_date

    from compliance
    group by compliance.period_code, compliance.report_type

)

select * from summed
