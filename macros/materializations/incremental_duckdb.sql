{#-
    The incremental materialization on DuckDB, cut to what this project uses:
    the append strategy, whose pre-hook first deletes the rows a build
    replaces (macros/incremental_periods.sql, incremental_slices.sql).

    dbt-duckdb's own builds the new rows into a temporary table, reads the
    columns of both tables back to compare them, widens column types, asks
    for the strategy's SQL and inserts from the temporary table: each step a
    macro call or a query with dbt's Python around it (about 200 ms a model
    in a worker build at province scale, where the SQL took 10 to 90 ms).
    Here the same is two statements in one call:
      - the columns the model's SQL yields are compared with the table's
        (DuckDB plans the query to describe it, without running it), and any
        difference stops the build, naming the columns: on_schema_change
        fail, the only setting accepted;
      - the rows are inserted by column name.
    A first build, a full refresh, or a view of the same name is replaced by
    one `create or replace table`, as in table_duckdb.sql.

    A model asking for what this does not build (another strategy, a unique
    key, incremental predicates, or what table_duckdb.sql refuses) stops the
    build by name (common.sql). PostgreSQL builds use dbt's own.
-#}
{% materialization incremental, adapter="duckdb" %}
  {%- set refused = [] -%}
  {%- set strategy = config.get('incremental_strategy') -%}
  {%- if strategy != 'append' %}{% do refused.append('incremental_strategy ' ~ strategy) %}{% endif -%}
  {%- if config.get('unique_key') %}{% do refused.append('unique_key') %}{% endif -%}
  {%- if config.get('incremental_predicates') or config.get('predicates') %}{% do refused.append('incremental_predicates') %}{% endif -%}
  {%- set on_schema_change = config.get('on_schema_change') -%}
  {%- if on_schema_change != 'fail' %}{% do refused.append('on_schema_change ' ~ on_schema_change) %}{% endif -%}
  {{ netsafe_refuse_unsupported('incremental', refused) }}

  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set rebuild = existing_relation is none or not existing_relation.is_table or should_full_refresh() -%}

  {%- set main_sql -%}
    {%- if rebuild -%}
    create or replace table {{ target_relation }} as (
      {{ compiled_code }}
    )
    {%- else -%}
    select error(
        'the columns of {{ model["unique_id"] }} differ from its table {{ target_relation }} '
        || '(on_schema_change: fail; rebuild it with --full-refresh): '
        || string_agg(column_name, ', ' order by column_name)
    )
    from (describe (
      {{ compiled_code }}
    )) as built
    full outer join (describe {{ target_relation }}) as kept using (column_name)
    where built.column_type is distinct from kept.column_type
    having count(*) > 0;

    insert into {{ target_relation }} by name (
      {{ compiled_code }}
    )
    {%- endif %}
  {%- endset -%}
  {{ netsafe_run_main(existing_relation, main_sql) }}

  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
