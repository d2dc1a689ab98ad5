with

obligations as (

    select * from {{ ref('reporting_obligations') }}

)

select * from obligations
