{#-
    The test materialization on DuckDB: dbt's own, less the transaction.

    A data test only reads, yet dbt's runs its query inside a transaction
    it opens for it (BEGIN) and rolls back when it lets the connection go:
    two more statements per test, each with dbt's Python around it. Here
    the query runs as it is, in DuckDB's autocommit. Failures are not
    stored (the project never asks for that); a test that asks stops the
    build by name. PostgreSQL builds use dbt's own.
-#}
{% materialization test, adapter="duckdb" %}
  {%- if should_store_failures() -%}
    {{ exceptions.raise_compiler_error(
        "netsafe's DuckDB test materialization (macros/materializations/test_duckdb.sql) "
        ~ "does not store failures: " ~ model['unique_id']) }}
  {%- endif -%}
  {%- set sql_header = config.get('sql_header') if flags.REQUIRE_SQL_HEADER_IN_TEST_CONFIGS else none -%}

  {% call statement('main', fetch_result=True, auto_begin=False) -%}
    {% if sql_header %}{{ sql_header }}{% endif %}
    {{ get_test_sql(
        get_limit_subquery_sql(sql, config.get('limit')),
        config.get('fail_calc'),
        config.get('warn_if'),
        config.get('error_if'),
        limit=none
    ) }}
  {%- endcall %}

  {{ return({'relations': []}) }}
{% endmaterialization %}
