{#- Generic test: the listed columns identify a row: none of them is null
    and no two rows share them. One query for what not_null on each column
    and a uniqueness test would check as separate dbt nodes (each node costs
    dbt tens of milliseconds, the query itself well under one).
    Usage (model level):
      data_tests:
        - primary_key:
            arguments:
              columns: [agency_code, period_code]
-#}
{% test primary_key(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as row_count

from {{ model }}

group by {{ columns | join(', ') }}

having count(*) > 1
    {%- for column in columns %}
    or {{ column }} is null
    {%- endfor %}

{% endtest %}
