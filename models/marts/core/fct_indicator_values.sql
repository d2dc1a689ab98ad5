{#- Indicator values from the latest accepted version of each agency's
    report for a period (grain: agency × period × indicator).

    Incremental like fct_incident_counts: slices with a submission landed
    since the last build are deleted by the pre-hook and inserted again. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="""
        {% if is_incremental() %}
        delete from {{ this }}
        where (agency_code, period_code) in (
            select agency_code, period_code
            from {{ ref('int_submissions_versioned') }}
            where landed_at > (select max(landed_at) from {{ this }})
        )
        {% endif %}
    """,
) }}

-- the pre-hook reads it: depends_on: {{ ref('int_submissions_versioned') }}

with

indicator_values as (

    select * from {{ ref('int_indicator_values_latest') }}

),

final as (

    select indicator_values.*
    from indicator_values
    {% if is_incremental() %}
        where not exists (
                select 1
                from {{ this }} as existing_rows
                where existing_rows.agency_code = indicator_values.agency_code
                    and existing_rows.period_code = indicator_values.period_code
            )
    {% endif %}

)

select * from final
