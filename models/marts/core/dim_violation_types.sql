with

violation_types as (

    select * from {{ ref('violation_types') }}

)

select * from violation_types
