with

governing_bodies as (

    select * from {{ ref('governing_bodies') }}

)

select * from governing_bodies
