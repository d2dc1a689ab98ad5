with

legal_bases as (

    select * from {{ ref('legal_bases') }}

)

select * from legal_bases
