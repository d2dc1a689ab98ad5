{#- Generic test: every non-null value of each listed column is found in
    the column it refers to (what dbt's relationships test checks, for
    several columns of a model in one dbt node). A failing row names the
    column and counts the values not found.
    Usage (model level):
      data_tests:
        - references:
            arguments:
              links:
                - {column: agency_code, to: ref('dim_agencies'), field: agency_code}
                - {column: period_code, to: ref('dim_periods'), field: period_code}
-#}
{% test references(model, links) %}

{% for link in links %}
select
    '{{ link.column }}' as column_name,
    count(*) as values_not_found
from {{ model }} as child
where child.{{ link.column }} is not null
    and not exists (
        select 1
        from {{ link.to }} as parent
        where parent.{{ link.field }} = child.{{ link.column }}
    )
having count(*) > 0
{% if not loop.last %}
union all
{% endif %}
{% endfor %}

{% endtest %}
