{#- The handling stages of incident counts (var incident_stages, the same list
    as netsafe.contract.INCIDENT_STAGES), summed or zero-filled in one place
    for every model that rolls incident rows up. Each emits the stage columns
    separated by commas, with no trailing comma. -#}
{% macro sum_stages(relation) -%}
    {%- for stage in var('incident_stages') %}
        cast(sum({{ relation }}.{{ stage }}) as bigint) as {{ stage }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro coalesce_stages(relation) -%}
    {%- for stage in var('incident_stages') %}
        coalesce({{ relation }}.{{ stage }}, 0) as {{ stage }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
