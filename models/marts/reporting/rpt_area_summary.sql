{#- Incidents per area and period (grain: area × period), summed over
    violation types, with the rate per 100,000 people where the population is
    known (null, never zero, where it is not) and change against the previous
    period and a year earlier.

    Incremental by period (macros/incremental_periods.sql, rule
    'area_comparisons', the same as rpt_area_incidents: a period's rows here
    change exactly when its rows there do). -#}
-- the hooks read them: depends_on: {{ ref('int_submissions_versioned') }} {{ ref('int_registry_agencies') }}
-- depends_on: {{ ref('int_periods_reported') }} {{ ref('int_period_components') }} {{ ref('dim_periods') }}
-- depends_on: {{ ref('dim_areas') }} {{ ref('int_incident_counts_counted') }}
with

area_incidents as (

    select * from {{ ref('rpt_area_incidents') }}

),

summed as (

    select
        area_incidents.area_code,
        area_incidents.period_code,
        area_incidents.report_type,
        area_incidents.area_level,
        area_incidents.population,
        cast(sum(area_incidents.detected) as bigint) as detected,
        cast(sum(area_incidents.handled) as bigint) as handled,
        cast(sum(area_incidents.prosecuted_cases) as bigint) as prosecuted_cases,
        cast(sum(area_incidents.detected_previous) as bigint) as detected_previous,
        cast(sum(area_incidents.detected_last_year) as bigint) as detected_last_year

    from area_incidents
    where {{ in_affected_periods('area_incidents.period_code') }}
    group by
        area_incidents.area_code,
        area_incidents.period_code,
        area_incidents.report_type,
        area_incidents.area_level,
        area_incidents.population

),

final as (

    select
        summed.area_code,
        summed.period_code,
        summed.report_type,
        summed.area_level,
        summed.population,
        summed.population is not null and summed.population > 0 as has_population,
        summed.detected,
        summed.handled,
        summed.prosecuted_cases,
        round(cast(summed.detected as numeric(20, 6)) * 100000 / nullif(summed.population, 0), 3)
            as detected_per_100k,
        summed.detected_previous,
        summed.detected_last_year,
        {{ ratio('summed.detected - summed.detected_previous', 'summed.detected_previous') }}
            as detected_change_rate_vs_previous,
        {{ ratio('summed.detected - summed.detected_last_year', 'summed.detected_last_year') }}
            as detected_change_rate_vs_last_year

    from summed

)

select * from final
