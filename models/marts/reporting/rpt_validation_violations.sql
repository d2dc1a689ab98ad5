{#- Validation-rule violations (grain: rule × agency × period): every
    latest accepted report is checked against every rule of the
    validation_rules seed; a row is a failure, with both sides' values. A rule
    is skipped where either side is missing, and where its when_side is given
    but not > 0. Incremental by agency × period slice, like the measures it
    reads (macros/incremental_slices.sql). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
with

rules as (

    select * from {{ ref('stg_seeds__validation_rules') }}

),

measures as (

    select * from {{ ref('int_quality_measures') }} as quality_measures
    where {{ in_changed_slices('quality_measures') }}

),

reports as (

    select distinct
        measures.agency_code,
        measures.period_code
    from measures

),

evaluated as (

    select
        rules.rule_code,
        rules.name_vi as rule_name_vi,
        rules.name_en as rule_name_en,
        rules.severity,
        reports.agency_code,
        reports.period_code,
        rules.left_side,
        rules.operator,
        rules.right_side,
        coalesce(left_measures.measure_value, {{ to_number_or_null('rules.left_side') }}) as left_value,
        coalesce(right_measures.measure_value, {{ to_number_or_null('rules.right_side') }}) as right_value,
        rules.when_side,
        when_measures.measure_value as when_value

    from rules
    cross join reports
    left join measures as left_measures
        on reports.agency_code = left_measures.agency_code
            and reports.period_code = left_measures.period_code
            and rules.left_side = left_measures.measure_name
    left join measures as right_measures
        on reports.agency_code = right_measures.agency_code
            and reports.period_code = right_measures.period_code
            and rules.right_side = right_measures.measure_name
    left join measures as when_measures
        on reports.agency_code = when_measures.agency_code
            and reports.period_code = when_measures.period_code
            and rules.when_side = when_measures.measure_name

),

failures as (

    select evaluated.*
    from evaluated
    where evaluated.left_value is not null
        and evaluated.right_value is not null
        and (evaluated.when_side is null or evaluated.when_value > 0)
        and not case evaluated.operator
            when '==' then evaluated.left_value = evaluated.right_value
            when '!=' then evaluated.left_value <> evaluated.right_value
            when '<' then evaluated.left_value < evaluated.right_value
            when '<=' then evaluated.left_value <= evaluated.right_value
            when '>' then evaluated.left_value > evaluated.right_value
            when '>=' then evaluated.left_value >= evaluated.right_value
        end

)

select * from failures
