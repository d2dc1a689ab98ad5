with

source as (

    select * from {{ source('raw', 'incident_counts') }}

),

renamed as (

    select
        cast(source.submission_id as varchar(64)) as submission_id,
        {{ clean_code('source.area_code') }} as area_code,
        {{ clean_code('source.violation_type_code') }} as violation_type_code,
        cast(source.detected as bigint) as detected,
        cast(source.handled as bigint) as handled,
        cast(source.fined_vnd as bigint) as fined_vnd,
        cast(source.removed_items as bigint) as removed_items,
        cast(source.prosecuted_cases as bigint) as prosecuted_cases

    from source

)

select * from renamed
