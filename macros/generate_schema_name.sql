{#- Layers land in schemas named as they are (staging, intermediate, marts,
    reference), not prefixed with the target schema, so readers query
    marts.<model> whatever the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
