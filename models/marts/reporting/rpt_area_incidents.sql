{#- Incidents per area, violation type and period (grain: area × violation
    type × period, for every district-level area and any other area that
    was reported), counted by the counting rule like rpt_violation_summary, with rates per 100,000 people where the population is
    known and change against the previous period and a year earlier.

    Incremental by period (macros/incremental_periods.sql, rule
    'comparisons'): a build replaces only the periods a change reaches. -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_period_components') }} {{ ref('dim_periods') }}
with

counted as (

    select * from {{ ref('int_incident_counts_counted') }}

),

areas as (

    select * from {{ ref('dim_areas') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

violation_types as (

    select * from {{ ref('dim_violation_types') }}

),

compared_periods as (

    -- the periods rebuilt (all of them on a full build) and those they are compared with
    {{ affected_and_compared_periods('periods_reported') }}

),

reported_areas as (

    select areas.area_code
    from areas
    where areas.area_level = 'district'

    union

    select counted.area_code
    from counted

),

summed as (

    select
        counted.period_code,
        counted.area_code,
        counted.violation_type_code,
        {{ sum_stages('counted') }},
        min(case when counted.is_handled_rate_comparable then 1 else 0 end) = 1 as is_handled_rate_comparable

    from counted
    where counted.period_code in (select compared_periods.period_code from compared_periods)
    group by counted.period_code, counted.area_code, counted.violation_type_code

),

grid as (

    select
        reported_areas.area_code,
        violation_types.violation_type_code,
        {{ reported_period_columns() }},
        {{ coalesce_stages('summed') }},
        coalesce(summed.is_handled_rate_comparable, true) as is_handled_rate_comparable

    from reported_areas
    cross join violation_types
    cross join periods_reported
    {{ left_join_matching('summed', {
        'area_code': 'reported_areas',
        'violation_type_code': 'violation_types',
        'period_code': 'periods_reported',
    }) }}
    where periods_reported.period_code in (select compared_periods.period_code from compared_periods)

),

final as (

    select
        grid.area_code,
        grid.violation_type_code,
        grid.period_code,
        grid.report_type,
        areas.area_level,
        {{ stages_with_handled_rate('grid', 'grid.is_handled_rate_comparable') }},
        areas.population,
        round(cast(grid.detected as numeric(20, 6)) * 100000 / nullif(areas.population, 0), 3)
            as detected_per_100k,
        previous.detected as detected_previous,
        grid.detected - previous.detected as detected_change_vs_previous,
        last_year.detected as detected_last_year,
        grid.detected - last_year.detected as detected_change_vs_last_year

    from grid
    left join areas on grid.area_code = areas.area_code
    {{ join_earlier_periods('grid', ['area_code', 'violation_type_code']) }}
    where {{ in_affected_periods('grid.period_code') }}

)

select * from final
