{#- Incident counts rolled up, with the counting rule applied (grain: agency ×
    area × violation type × period). Several reporters count the same cases
    (a district detects a fraud and passes it to the police, who detect it
    again), so a provincial figure of a stage sums only the reporters whose
    agency kind counts toward it in the stage_counting_rules seed; a stage a
    reporter's kind does not count is null here. source_kind is the agency
    kind; the raw per-source counts stay in int_incident_counts_rolled_up.
    is_handled_rate_comparable: handled and detected are counted from the
    same agency kinds, so a provincial handled rate compares like with like
    (under the default rule they are not: the police detect, the DIC
    sanctions, and rates are stated per source in rpt_violation_by_source).
    Incremental by period (rule 'rollups' in macros/incremental_periods.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('int_periods_reported') }}
with

rolled_up as (

    select * from {{ ref('int_incident_counts_rolled_up') }}

),

agencies as (

    select * from {{ ref('int_agencies') }}

),

rules as (

    select * from {{ ref('stg_seeds__stage_counting_rules') }}

),

kind_rules as (

    select
        rules.agency_kind,
    {%- for stage in var('incident_stages') %}
        max(case when rules.incident_stage = '{{ stage }}' and rules.counts_toward_province then 1 else 0 end) = 1
            as counts_{{ stage }}{{ "," if not loop.last }}
    {%- endfor %}

    from rules
    group by rules.agency_kind

),

comparability as (

    select
        coalesce(min(case when kind_rules.counts_detected = kind_rules.counts_handled then 1 else 0 end), 1) = 1
            as is_handled_rate_comparable
    from kind_rules

),

counted as (

    select
        rolled_up.agency_code,
        agencies.agency_kind as source_kind,
        rolled_up.area_code,
        rolled_up.violation_type_code,
        rolled_up.period_code,
        comparability.is_handled_rate_comparable,
    {%- for stage in var('incident_stages') %}
        case when kind_rules.counts_{{ stage }} then rolled_up.{{ stage }} end
            as {{ stage }}{{ "," if not loop.last }}
    {%- endfor %}

    from rolled_up
    inner join agencies on rolled_up.agency_code = agencies.agency_code
    left join kind_rules on agencies.agency_kind = kind_rules.agency_kind
    cross join comparability
    where {{ in_affected_periods('rolled_up.period_code') }}

)

select * from counted
