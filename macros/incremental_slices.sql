{#- Incremental facts replaced by agency × period slice (fct_incident_counts,
    fct_indicator_values). Before the insert, delete the slices that received
    a submission (or a withdrawal or re-send) since the last build; then insert every slice the table
    lacks. A slice whose newest version has no rows in this fact stays empty,
    as a full rebuild would leave it. -#}

{% macro delete_changed_slices() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where (agency_code, period_code) in (
            select agency_code, period_code
            from {{ ref('int_submissions_versioned') }}
            -- a new version, a withdrawal or a re-send since the facts were built
            where changed_at > (select max(landed_at) from {{ this }})
        )
    {%- endif -%}
{%- endmacro %}

{% macro missing_slices_only(relation_alias) -%}
    {%- if is_incremental() -%}
        not exists (
            select 1
            from {{ this }} as existing_rows
            where existing_rows.agency_code = {{ relation_alias }}.agency_code
                and existing_rows.period_code = {{ relation_alias }}.period_code
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The whole body of a slice-incremental fact: the latest rows of every
    agency × period slice the table lacks (all of them on a full build). -#}
{% macro slices_not_yet_loaded(latest_rows_relation) -%}
with

latest_rows as (

    select * from {{ latest_rows_relation }}

),

final as (

    select latest_rows.*
    from latest_rows
    where {{ missing_slices_only('latest_rows') }}

)

select * from final
{%- endmacro %}

{#- Models replaced by agency × period slice with a recorded state
    (int_quality_measures, rpt_validation_violations: `*slice_replaced` in
    dbt_project.yml), for models whose rows carry no landing time: each row
    is computed from one agency's report for one period alone. Like the
    marts replaced by period (macros/incremental_periods.sql), each keeps in
    build_state.<model>__state the newest change to the submissions it was
    built from and the state of the imported registry; its pre-hook lists
    the slices changed since (every slice when nothing is recorded or the
    registry changed: an agency's kind or role feeds its measures) in
    build_state.<model>__affected, and deletes their rows; the model computes
    those slices again; the post-hook, record_period_state(), records the new
    state. tests/test_build.py proves that an incremental build equals a full
    rebuild. -#}
{% macro replace_changed_slices() -%}
    {%- set keys = ['agency_code', 'period_code'] -%}
    {{ replace_affected_rows(changed_submissions_sql(keys), keys) }}
{%- endmacro %}

{#- In the model: restrict a relation with agency_code and period_code to the
    slices being replaced (every slice on a full build). -#}
{% macro in_changed_slices(relation_alias) -%}
    {{ in_affected_rows([relation_alias ~ '.agency_code', relation_alias ~ '.period_code'], ['agency_code', 'period_code']) }}
{%- endmacro %}
