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

{#- A count next to its values in the previous period and a year earlier, and
    its rates of change against each (after join_earlier_periods). -#}
{% macro compared_count(measure, grid='grid') -%}
    {{ grid }}.{{ measure }},
        previous.{{ measure }} as {{ measure }}_previous,
        last_year.{{ measure }} as {{ measure }}_last_year,
        {{ ratio(grid ~ '.' ~ measure ~ ' - previous.' ~ measure, 'previous.' ~ measure) }}
            as {{ measure }}_change_rate_vs_previous,
        {{ ratio(grid ~ '.' ~ measure ~ ' - last_year.' ~ measure, 'last_year.' ~ measure) }}
            as {{ measure }}_change_rate_vs_last_year
{%- endmacro %}

{#- A rate next to its earlier values, and the change in points (a difference). -#}
{% macro compared_rate(measure, grid='grid') -%}
    {{ grid }}.{{ measure }},
        previous.{{ measure }} as {{ measure }}_previous,
        last_year.{{ measure }} as {{ measure }}_last_year,
        {{ grid }}.{{ measure }} - previous.{{ measure }} as {{ measure }}_change_vs_previous,
        {{ grid }}.{{ measure }} - last_year.{{ measure }} as {{ measure }}_change_vs_last_year
{%- endmacro %}

{#- The period columns every comparing grid carries, from int_periods_reported. -#}
{% macro reported_period_columns(periods_reported='periods_reported') -%}
    {{ periods_reported }}.period_code,
        {{ periods_reported }}.report_type,
        {{ periods_reported }}.previous_period_code,
        {{ periods_reported }}.same_period_last_year_code
{%- endmacro %}

{#- Left join `relation` on each of its keys, matched to the relation that
    carries that key on the other side ({key: relation}): filling a grid with
    sums, or a universe of rows with what each has. -#}
{% macro left_join_matching(relation, keys) -%}
    left join {{ relation }}
        on {% for key, source in keys.items() %}{{ source }}.{{ key }} = {{ relation }}.{{ key }}{{ " and " if not loop.last }}{% endfor %}
{%- endmacro %}
