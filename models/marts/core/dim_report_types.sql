with

report_types as (

    select * from {{ ref('report_types') }}

)

select * from report_types
