{#- Incremental facts replaced by agency × period slice (fct_incident_counts,
    fct_indicator_values). Before the insert, delete the slices that received
    a submission since the last build; then insert every slice the table
    lacks. A slice whose newest version has no rows in this fact stays empty,
    as a full rebuild would leave it. -#}

{% macro delete_changed_slices() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where (agency_code, period_code) in (
            select agency_code, period_code
            from {{ ref('int_submissions_versioned') }}
            where landed_at > (select max(landed_at) from {{ this }})
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
