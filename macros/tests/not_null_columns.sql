{#- Generic test: none of the listed columns holds a null. One scan, one dbt
    node for what a not_null test per column would check; a failing row
    counts the nulls of each column, so the failure names the column.
    Usage (model level):
      data_tests:
        - not_null_columns:
            arguments:
              columns: [received_at, landed_at]
-#}
{% test not_null_columns(model, columns) %}

with

null_counts as (

    select
        {%- for column in columns %}
        count(*) filter (where {{ column }} is null) as {{ column }}_nulls{{ "," if not loop.last }}
        {%- endfor %}

    from {{ model }}

)

select * from null_counts
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}{{ column }}_nulls > 0
    {%- endfor %}

{% endtest %}
