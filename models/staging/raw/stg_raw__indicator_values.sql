with

source as (

    select * from {{ source('raw', 'indicator_values') }}

),

renamed as (

    select
        cast(source.submission_id as varchar(64)) as submission_id,
        {{ clean_code('source.indicator_code') }} as indicator_code,
        {{ clean_text('source.note') }} as note,
        cast(source.value as numeric(20, 2)) as indicator_value

    from source

)

select * from renamed
