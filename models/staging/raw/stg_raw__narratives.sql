with

source as (

    select * from {{ source('raw', 'narratives') }}

),

renamed as (

    select
        cast(source.submission_id as varchar(64)) as submission_id,
        lower(trim(source.section)) as narrative_section,
        cast(source.task_number as integer) as task_number,
        {{ clean_text('source.body') }} as narrative_text

    from source

)

select * from renamed
