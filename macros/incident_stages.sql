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

{#- Incident stages summed by the given keys: a whole CTE body
    (select keys, stage sums from relation group by keys). -#}
{% macro sum_stages_by(relation, keys) -%}
    select
        {%- for key in keys %}
        {{ relation }}.{{ key }},
        {%- endfor %}
        {{ sum_stages(relation) }}

    from {{ relation }}
    group by {% for key in keys %}{{ relation }}.{{ key }}{{ ", " if not loop.last }}{% endfor %}
{%- endmacro %}

{#- The stages of a relation with the handled rate beside them, in the order
    reporting marts show them. comparable: a boolean expression; where it is
    false the rate is null (provincial figures whose handled and detected
    counts come from different reporters under the counting rule). -#}
{% macro stages_with_handled_rate(relation, comparable=none) -%}
    {{ relation }}.detected,
        {{ relation }}.handled,
        {%- if comparable %}
        case when {{ comparable }} then {{ ratio(relation ~ '.handled', relation ~ '.detected') }} end
            as handled_rate,
        {%- else %}
        {{ ratio(relation ~ '.handled', relation ~ '.detected') }} as handled_rate,
        {%- endif %}
        {{ relation }}.fined_vnd,
        {{ relation }}.removed_items,
        {{ relation }}.prosecuted_cases
{%- endmacro %}
