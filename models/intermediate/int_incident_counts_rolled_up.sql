{#- Incident counts rolled up into every period the reporting marts cover
    (grain: agency × area × violation type × period): quarterly submissions
    summed into half-year, nine-month and annual periods. The one place the
    roll-up is written. These are each reporter's own counts; provincial
    figures sum int_incident_counts_counted, which applies the counting
    rule. A period made of one submitted period (a quarter) takes that
    period's rows as they are: fct_incident_counts has one row per agency ×
    area × violation type × period, so there is nothing to sum, and half the
    rows skip the grouping. Incremental by period (rule 'rollups' in
    macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('int_periods_reported') }}
with

incidents as (

    select * from {{ ref('fct_incident_counts') }}

),

components as (

    select * from {{ ref('int_period_components_reported') }}

),

as_submitted as (

    select
        incidents.agency_code,
        incidents.area_code,
        incidents.violation_type_code,
        components.period_code,
    {%- for stage in var('incident_stages') %}
        incidents.{{ stage }}{{ "," if not loop.last }}
    {%- endfor %}

    from incidents
    inner join components on incidents.period_code = components.component_period_code
    where components.component_count = 1 and {{ in_affected_periods('components.period_code') }}

),

summed as (

    select
        incidents.agency_code,
        incidents.area_code,
        incidents.violation_type_code,
        components.period_code,
        {{ sum_stages('incidents') }}

    from incidents
    inner join components on incidents.period_code = components.component_period_code
    where components.component_count > 1 and {{ in_affected_periods('components.period_code') }}
    group by
        incidents.agency_code,
        incidents.area_code,
        incidents.violation_type_code,
        components.period_code

),

rolled_up as (

    select * from as_submitted
    union all
    select * from summed

)

select * from rolled_up
