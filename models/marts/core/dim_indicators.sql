with

indicators as (

    select * from {{ ref('indicators') }}

),

tasks as (

    select * from {{ ref('dim_tasks') }}

),

final as (

    select
        indicators.indicator_code,
        indicators.task_code,
        indicators.name_vi,
        indicators.name_en,
        indicators.unit_vi,
        indicators.unit_en,
        indicators.aggregation,
        indicators.derived_from_stage,
        indicators.aggregation = 'derived' as is_derived,
        tasks.assignee_roles as reporter_roles,
        tasks.task_number,
        indicators.display_order

    from indicators
    inner join tasks on indicators.task_code = tasks.task_code

)

select * from final
