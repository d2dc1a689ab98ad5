{#- The comparison every reporting mart makes: join a period grid to itself
    as "previous" (the period before, same report type) and "last_year" (the
    same period a year earlier), on the grid's own keys. The grid must carry
    period_code, previous_period_code and same_period_last_year_code (from
    dim_periods). A macro rather than a model: each mart keeps its grain and
    its selected columns in plain sight; only the join logic lives here. -#}
{% macro join_earlier_periods(grid, keys) -%}
    left join {{ grid }} as previous
        on {{ grid }}.previous_period_code = previous.period_code
        {%- for key in keys %}
            and {{ grid }}.{{ key }} = previous.{{ key }}
        {%- endfor %}
    left join {{ grid }} as last_year
        on {{ grid }}.same_period_last_year_code = last_year.period_code
        {%- for key in keys %}
            and {{ grid }}.{{ key }} = last_year.{{ key }}
        {%- endfor %}
{%- endmacro %}
