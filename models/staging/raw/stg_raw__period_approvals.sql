with

source as (

    select * from {{ source('raw', 'period_approvals') }}

),

renamed as (

    select
        cast(source.event_id as varchar(64)) as event_id,
        {{ clean_code('source.period_code') }} as period_code,
        lower(trim(source.event_kind)) as event_kind,
        cast(source.cut_at as timestamp) as cut_at,
        lower(trim(source.figures_sha256)) as figures_sha256,
        {{ clean_text('source.actor') }} as actor,
        {{ clean_text('source.reason') }} as reason,
        cast(source.landed_at as timestamp) as landed_at

    from source
    -- time travel for reproducible reports: only what had happened by var('as_of')
    where {{ landed_by_as_of('source.landed_at') }}

)

select * from renamed
