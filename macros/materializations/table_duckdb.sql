{#-
    The table materialization on DuckDB, cut to what this project uses.

    dbt-duckdb's own builds each table under a temporary name, then renames
    the old one away, renames the new one in and drops the old one: an atomic
    swap for readers of a live database, and every step a macro call with its
    own context (about a third of dbt's Python time per table, measured with
    py-spy). netsafe builds into a file that no one reads until it is
    published whole (netsafe/store/duckdb_store.py), and DuckDB replaces a
    table in one statement, so one `create or replace table` does the same.

    Not for models that need what dbt-duckdb's version adds (contracts,
    grants, persisted docs, indexes, partitioning or sorting, SQL headers,
    Python): such a model stops the build by name rather than be built
    without it (common.sql). PostgreSQL builds use dbt's own
    table materialization.
-#}
{% materialization table, adapter="duckdb" %}
  {{ netsafe_refuse_unsupported('table') }}

  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}

  {%- set main_sql -%}
    create or replace table {{ target_relation }} as (
      {{ compiled_code }}
    )
  {%- endset -%}
  {{ netsafe_run_main(existing_relation, main_sql) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
