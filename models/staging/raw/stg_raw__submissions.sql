with

source as (

    select * from {{ source('raw', 'submissions') }}

),

renamed as (

    select
        cast(source.submission_id as varchar(64)) as submission_id,
        {{ clean_code('source.agency_code') }} as agency_code,
        {{ clean_code('source.period_code') }} as period_code,
        lower(trim(source.channel)) as channel,
        {{ clean_text('source.source_file_name') }} as source_file_name,
        lower(trim(source.file_sha256)) as file_sha256,
        lower(trim(source.status)) as submission_status,
        {{ clean_text('source.note') }} as note,
        {{ clean_text('source.template_version') }} as template_version,
        cast(source.row_count as integer) as row_count,
        lower(trim(source.status)) = 'accepted' as is_accepted,
        cast(cast(source.received_at as timestamp) as date) as received_date,
        cast(source.received_at as timestamp) as received_at,
        cast(source.landed_at as timestamp) as landed_at

    from source
    -- time travel for reproducible reports: only what had landed by var('as_of')
    where {{ landed_by_as_of('source.landed_at') }}

)

select * from renamed
