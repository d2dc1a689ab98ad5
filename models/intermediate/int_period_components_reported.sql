{#- The period roll-up map restricted to the periods the reporting marts
    cover (grain: period × component period): which submitted periods add up
    to each reported period, and how many there are (a quarter is its own
    single component; the incident roll-up takes such a period's rows as
    they are). -#}
with

components as (

    select * from {{ ref('int_period_components') }}

),

periods_reported as (

    select * from {{ ref('int_periods_reported') }}

),

reported_components as (

    select
        components.period_code,
        components.component_period_code,
        count(*) over (partition by components.period_code) as component_count

    from components
    inner join periods_reported on components.period_code = periods_reported.period_code

)

select * from reported_components
