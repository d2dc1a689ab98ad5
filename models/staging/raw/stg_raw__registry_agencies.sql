with

source as (

    select * from {{ source('raw', 'registry_agencies') }}

),

renamed as (

    select
        cast(source.import_id as varchar(64)) as import_id,
        upper(trim(source.agency_code)) as agency_code,
        {{ clean_text('source.name_vi') }} as name_vi,
        {{ clean_text('source.name_en') }} as name_en,
        upper(trim(source.statistical_region_code)) as statistical_region_code,
        cast(source.valid_from as date) as valid_from,
        cast(source.valid_to as date) as valid_to,
        {{ clean_text('source.note') }} as note,
        cast(source.landed_at as timestamp) as landed_at

    from source
    -- time travel for reproducible reports: only what had landed by var('as_of')
    where {{ landed_by_as_of('source.landed_at') }}

)

select * from renamed
