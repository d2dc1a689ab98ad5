{#- Generic test: the listed columns together identify a row.
    Usage (model level):
      data_tests:
        - unique_combination:
            arguments:
              columns: [agency_code, period_code]
-#}
{% test unique_combination(model, columns) %}

with

grouped as (

    select
        {{ columns | join(', ') }},
        count(*) as row_count

    from {{ model }}

    group by {{ columns | join(', ') }}

)

select * from grouped
where row_count > 1

{% endtest %}
