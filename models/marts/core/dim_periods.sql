with

periods as (

    select * from {{ ref('int_periods_generated') }}

)

select * from periods
