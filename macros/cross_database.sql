{#- Helpers where DuckDB and PostgreSQL differ. Models call these, never an
    engine-specific function, so the same SQL builds on both targets. -#}

{% macro nfc(expression) -%}
    {{ return(adapter.dispatch('nfc', 'netsafe')(expression)) }}
{%- endmacro %}

{% macro default__nfc(expression) -%}
    normalize({{ expression }}, NFC)
{%- endmacro %}

{% macro duckdb__nfc(expression) -%}
    nfc_normalize({{ expression }})
{%- endmacro %}

{#- Clean code: NFC, trimmed, upper-case; empty becomes null. -#}
{% macro clean_code(expression) -%}
    nullif(upper(trim({{ nfc(expression) }})), '')
{%- endmacro %}

{#- Clean free text: NFC and trimmed; empty becomes null. -#}
{% macro clean_text(expression) -%}
    nullif(trim({{ nfc(expression) }}), '')
{%- endmacro %}

{% macro add_months(date_expression, months) -%}
    cast({{ dbt.dateadd('month', months, date_expression) }} as date)
{%- endmacro %}

{% macro days_between(start_date, end_date) -%}
    {{ dbt.datediff(start_date, end_date, 'day') }}
{%- endmacro %}

{% macro integer_series(upper_bound) -%}
    {{ dbt.generate_series(upper_bound) }}
{%- endmacro %}

{#- Integer-valued division result as a rounded ratio (null when the
    denominator is zero or null). -#}
{% macro ratio(numerator, denominator, scale=4) -%}
    round(cast({{ numerator }} as numeric(20, 6)) / nullif({{ denominator }}, 0), {{ scale }})
{%- endmacro %}

{% macro string_list(expression, delimiter, order_by) -%}
    {{ dbt.listagg(expression, "'" ~ delimiter ~ "'", 'order by ' ~ order_by) }}
{%- endmacro %}

{#- Text to numeric, null when it is not a number (a rule side that names a
    measure rather than a constant). -#}
{% macro to_number_or_null(expression) -%}
    {{ return(adapter.dispatch('to_number_or_null', 'netsafe')(expression)) }}
{%- endmacro %}

{% macro default__to_number_or_null(expression) -%}
    case
        when {{ expression }} ~ '^-?[0-9]+(\.[0-9]+)?$' then cast({{ expression }} as numeric(20, 2))
    end
{%- endmacro %}

{% macro duckdb__to_number_or_null(expression) -%}
    try_cast({{ expression }} as numeric(20, 2))
{%- endmacro %}

{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'netsafe')(expression)) }}
{%- endmacro %}

{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{#- "Today" for deadline logic: today in the reporting time zone (netsafe's
    builds pass NETSAFE_TIMEZONE, netsafe/dates.py; Vietnam's by default), not
    the server's, so a report received after midnight there is judged on
    that day; the as_of date when rebuilding the past, so a regenerated
    report sees the same not-yet-due reports it saw then. timezone(zone,
    timestamptz) is the same function in DuckDB and PostgreSQL. -#}
{% macro reference_date() -%}
    {%- if var('as_of', none) -%}
        cast(cast('{{ var("as_of") }}' as timestamp) as date)
    {%- else -%}
        cast(timezone('{{ env_var("NETSAFE_TIMEZONE", "") or "Asia/Ho_Chi_Minh" }}', current_timestamp) as date)
    {%- endif -%}
{%- endmacro %}

{#- Condition keeping rows landed by var('as_of'); always true without it. -#}
{% macro landed_by_as_of(column) -%}
    {%- if var('as_of', none) -%}
        {{ column }} <= cast('{{ var("as_of") }}' as timestamp)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
