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
