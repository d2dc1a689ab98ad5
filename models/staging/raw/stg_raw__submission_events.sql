with

source as (

    select * from {{ source('raw', 'submission_events') }}

),

renamed as (

    select
        cast(source.event_id as varchar(64)) as event_id,
        cast(source.submission_id as varchar(64)) as submission_id,
        lower(trim(source.event_kind)) as event_kind,
        {{ clean_text('source.actor') }} as actor,
        {{ clean_text('source.reason') }} as reason,
        cast(source.landed_at as timestamp) as landed_at

    from source
    -- time travel for reproducible reports: only what had happened by var('as_of')
    where {{ landed_by_as_of('source.landed_at') }}

)

select * from renamed
