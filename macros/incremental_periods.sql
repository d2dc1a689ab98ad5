{#- Models replaced by period (the two roll-ups, the counted incidents and
    six reporting marts: those configured with `*period_incremental` in
    dbt_project.yml). Adding a quarter should cost what the quarter adds,
    not a rebuild of every period's grid and outlier history.

    Each such mart keeps, in schema build_state (<mart>__state), the newest change to the
    submissions it was built from (int_submissions_versioned.changed_at: a new
    version, a withdrawal or re-send, an approval or reopening) and the state
    of the imported registry. On the next build its pre-hook works out, once,
    the periods whose rows can differ (build_state.<mart>__affected), deletes
    their rows, and the model inserts them again; a post-hook records the new
    state. A registry import, or a mart with no recorded state, rebuilds every
    period. tests/test_build.py proves that an incremental build equals a
    full rebuild.

    Which periods a change reaches is the model's own rule:
      rollups      a changed submitted period, every roll-up containing it,
                   and each period entering or leaving the marts' coverage;
      comparisons  those, and the periods compared with any of them (the
                   next period and the same period a year later);
      area_comparisons
                   those, and every period when the grid's set of areas
                   changes (a grid by area: a new area is a row in each);
      history      every period ending on or after the earliest changed one
                   (an outlier is judged against the values before it).
-#}

{#- In the warehouse's own database (unqualified: the same SQL on DuckDB and
    PostgreSQL). -#}
{% macro build_state_relation(suffix) -%}
    build_state.{{ suffix }}
{%- endmacro %}

{#- on-run-start: the schema, made once before any model runs (two marts
    creating it at once would conflict). Each mart has its own state table. -#}
{% macro create_build_state_schema() -%}
    create schema if not exists build_state
{%- endmacro %}

{#- The changed submitted periods (or, with columns, agency × period slices)
    since the model's recorded state (every one submitted when nothing is
    recorded or the registry changed). -#}
{% macro changed_submissions_sql(columns=['period_code']) -%}
    select distinct {% for column in columns %}versions.{{ column }}{{ ", " if not loop.last }}{% endfor %}
    from {{ ref('int_submissions_versioned') }} as versions
    where versions.changed_at > coalesce(
        (
            select max(recorded.changed_until)
            from {{ build_state_relation(this.identifier ~ '__state') }} as recorded
            where recorded.registry_state = ({{ registry_state_sql() }})
        ),
        cast('1900-01-01' as timestamp)
    )
{%- endmacro %}

{% macro registry_state_sql() -%}
    select cast(count(*) as varchar(40)) || '/' || coalesce(cast(max(landed_at) as varchar(40)), '')
    from {{ ref('int_registry_agencies') }}
{%- endmacro %}

{% macro affected_periods_sql(rule) -%}
    {%- if rule not in ('rollups', 'comparisons', 'area_comparisons', 'history') -%}
        {{ exceptions.raise_compiler_error("replace_affected_periods: unknown rule '" ~ rule ~ "'") }}
    {%- endif -%}
    {%- if rule == 'history' -%}
        select periods.period_code
        from {{ ref('dim_periods') }} as periods
        where periods.cutoff_end_date >= (
            select min(changed.cutoff_end_date)
            from {{ ref('dim_periods') }} as changed
            where changed.period_code in ({{ changed_submissions_sql() }})
        )
    {%- else -%}
        with

        reported as (

            select * from {{ ref('int_periods_reported') }}

        ),

        changed as (

            {{ changed_submissions_sql() }}

        ),

        touched as (

            select components.period_code
            from {{ ref('int_period_components') }} as components
            where components.component_period_code in (select changed.period_code from changed)

            union

            select changed.period_code from changed

            union

            -- entering the marts' coverage
            select reported.period_code
            from reported
            where reported.period_code not in (select built.period_code from {{ this }} as built)

            union

            -- leaving it
            select built.period_code
            from {{ this }} as built
            where built.period_code not in (select reported.period_code from reported)

        )
        {%- if rule == 'rollups' %}

        select touched.period_code from touched
        {%- else %},

        compared as (

            select touched.period_code from touched

            union

            select reported.period_code
            from reported
            inner join touched
                on reported.previous_period_code = touched.period_code
                    or reported.same_period_last_year_code = touched.period_code

        )
        {%- if rule == 'comparisons' %}

        select compared.period_code from compared
        {%- else %},

        grid_areas as (

            -- the grid's areas: every district, and any other area reported
            select areas.area_code from {{ ref('dim_areas') }} as areas where areas.area_level = 'district'

            union

            select counted.area_code from {{ ref('int_incident_counts_counted') }} as counted

        ),

        areas_changed as (

            select count(*) as changed_count
            from (
                (select grid_areas.area_code from grid_areas except select built.area_code from {{ this }} as built)
                union all
                (select built.area_code from {{ this }} as built except select grid_areas.area_code from grid_areas)
            ) as differing

        )

        select compared.period_code
        from compared
        cross join areas_changed
        where areas_changed.changed_count = 0

        union

        select periods.period_code
        from {{ ref('dim_periods') }} as periods
        cross join areas_changed
        where areas_changed.changed_count > 0
        {%- endif %}
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook both rules share (by period here, by agency × period slice
    in macros/incremental_slices.sql): the rows to replace, keyed by `keys`
    (the columns of affected_sql), listed once in build_state.<model>__affected,
    and the old rows with those keys deleted. -#}
{% macro replace_affected_rows(affected_sql, keys) -%}
    {%- if is_incremental() -%}
        {%- set affected = build_state_relation(this.identifier ~ '__affected') -%}
        create table if not exists {{ build_state_relation(this.identifier ~ '__state') }} (
            changed_until timestamp, registry_state varchar(100)
        );
        drop table if exists {{ affected }};
        create table {{ affected }} as {{ affected_sql }};
        delete from {{ this }} where {{ in_affected_rows(keys, keys) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- In the model (and the pre-hook's delete): the rows whose `columns` match
    the keys of a row being replaced (every row on a full build). -#}
{% macro in_affected_rows(columns, keys) -%}
    {%- if is_incremental() -%}
        ({{ columns | join(', ') }}) in (
            select {% for key in keys %}affected.{{ key }}{{ ", " if not loop.last }}{% endfor %}
            from {{ build_state_relation(this.identifier ~ '__affected') }} as affected
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- pre-hook: which periods to replace, and their old rows deleted. -#}
{% macro replace_affected_periods(rule) -%}
    {{ replace_affected_rows(affected_periods_sql(rule), ['period_code']) }}
{%- endmacro %}

{#- post-hook: the state this build of the model reflects (the list of
    affected periods, or of changed slices for the models replaced by slice,
    was for this build only). -#}
{% macro record_period_state() -%}
    drop table if exists {{ build_state_relation(this.identifier ~ '__affected') }};
    drop table if exists {{ build_state_relation(this.identifier ~ '__state') }};
    create table {{ build_state_relation(this.identifier ~ '__state') }} as
    select
        (select max(versions.changed_at) from {{ ref('int_submissions_versioned') }} as versions) as changed_until,
        ({{ registry_state_sql() }}) as registry_state
{%- endmacro %}

{#- In the model: restrict a period column to the affected periods (every
    period on a full build). -#}
{% macro in_affected_periods(column) -%}
    {{ in_affected_rows([column], ['period_code']) }}
{%- endmacro %}

{#- In a comparing grid: the affected periods and those each is compared with
    (the previous period, the same period a year earlier), from a relation
    carrying int_periods_reported's columns. -#}
{% macro affected_and_compared_periods(periods_reported) -%}
    {%- for column in ['period_code', 'previous_period_code', 'same_period_last_year_code'] %}
    select {{ periods_reported }}.{{ column }} as period_code
    from {{ periods_reported }}
    where {{ in_affected_periods(periods_reported ~ '.period_code') }}
    {%- if not loop.last %}

    union
    {% endif %}
    {%- endfor %}
{%- endmacro %}
