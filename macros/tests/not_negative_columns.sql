{#- Generic test: no listed column holds a negative number (not_negative for
    several columns of a model in one dbt node); a failing row counts the
    negative values of each column.
    Usage (model level):
      data_tests:
        - not_negative_columns:
            arguments:
              columns: [detected, handled]
-#}
{% test not_negative_columns(model, columns) %}

with

negative_counts as (

    select
        {%- for column in columns %}
        count(*) filter (where {{ column }} < 0) as {{ column }}_negative{{ "," if not loop.last }}
        {%- endfor %}

    from {{ model }}

)

select * from negative_counts
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}{{ column }}_negative > 0
    {%- endfor %}

{% endtest %}
