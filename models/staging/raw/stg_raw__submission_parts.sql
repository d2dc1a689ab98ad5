with

source as (

    select * from {{ source('raw', 'submission_parts') }}

),

renamed as (

    select
        cast(source.submission_id as varchar(64)) as submission_id,
        lower(trim(source.part)) as report_part

    from source

)

select * from renamed
