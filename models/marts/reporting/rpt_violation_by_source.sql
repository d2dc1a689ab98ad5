{#- Who reported what (grain: violation type × period × source_kind): each
    kind of reporter's own incident counts (police, the DIC, districts,
    departments), every stage, summed over its agencies and areas, with its
    handled rate and, per stage, whether the counting rule makes that kind's
    count part of the provincial figure in rpt_violation_summary. Only
    kinds that reported in the period appear. Incremental by period (rule
    'rollups' in macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('int_periods_reported') }}
with

rolled_up as (

    select * from {{ ref('int_incident_counts_rolled_up') }}
    where {{ in_affected_periods('period_code') }}

),

agencies as (

    select * from {{ ref('dim_agencies') }}

),

rules as (

    select * from {{ ref('stg_seeds__stage_counting_rules') }}

),

summed as (

    select
        rolled_up.violation_type_code,
        rolled_up.period_code,
        agencies.agency_kind as source_kind,
        {{ sum_stages('rolled_up') }},
        count(distinct rolled_up.agency_code) as reporting_agency_count

    from rolled_up
    inner join agencies on rolled_up.agency_code = agencies.agency_code
    group by rolled_up.violation_type_code, rolled_up.period_code, agencies.agency_kind

),

kind_rules as (

    select
        rules.agency_kind,
    {%- for stage in var('incident_stages') %}
        max(case when rules.incident_stage = '{{ stage }}' and rules.counts_toward_province then 1 else 0 end) = 1
            as {{ stage }}_counts{{ "," if not loop.last }}
    {%- endfor %}

    from rules
    group by rules.agency_kind

),

final as (

    select
        summed.violation_type_code,
        summed.period_code,
        summed.source_kind,
        {{ stages_with_handled_rate('summed') }},
        summed.reporting_agency_count,
    {%- for stage in var('incident_stages') %}
        coalesce(kind_rules.{{ stage }}_counts, false) as {{ stage }}_counts{{ "," if not loop.last }}
    {%- endfor %}

    from summed
    left join kind_rules on summed.source_kind = kind_rules.agency_kind

)

select * from final
