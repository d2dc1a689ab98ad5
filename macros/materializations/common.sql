{#- What netsafe's own DuckDB materializations (table_duckdb.sql,
    incremental_duckdb.sql) share. -#}

{#- The configs they do not build: a model asking for one stops the build
    here, by name, rather than be built without it. `extra` adds a
    materialization's own refusals (already worded). -#}
{% macro netsafe_refuse_unsupported(materialization, extra=[]) %}
  {%- set unsupported = [] -%}
  {%- if config.get('contract').enforced %}{% do unsupported.append('contract') %}{% endif -%}
  {%- for name in ['grants', 'indexes', 'partitioned_by', 'sorted_by', 'sql_header'] -%}
    {%- if config.get(name) %}{% do unsupported.append(name) %}{% endif -%}
  {%- endfor -%}
  {%- if config.persist_relation_docs() or config.persist_column_docs() %}{% do unsupported.append('persist_docs') %}{% endif -%}
  {%- if model['language'] != 'sql' %}{% do unsupported.append(model['language']) %}{% endif -%}
  {%- do unsupported.extend(extra) -%}
  {%- if unsupported -%}
    {{ exceptions.raise_compiler_error(
        "netsafe's DuckDB " ~ materialization ~ " materialization (macros/materializations/"
        ~ materialization ~ "_duckdb.sql) does not build " ~ unsupported | join(', ') ~ ": " ~ model['unique_id']) }}
  {%- endif -%}
{% endmacro %}

{#- A model's build around its main SQL: the pre-hooks, a view of the same
    name dropped (a model that was one cannot become a table in its place),
    the main SQL, the post-hooks and the commit. -#}
{% macro netsafe_run_main(existing_relation, main_sql) %}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {%- if existing_relation is not none and not existing_relation.is_table -%}
    {{ adapter.drop_relation(existing_relation) }}
  {%- endif -%}

  {% call statement('main') -%}
    {{ main_sql }}
  {%- endcall %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
{% endmacro %}
