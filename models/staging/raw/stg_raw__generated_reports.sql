with

source as (

    select * from {{ source('raw', 'generated_reports') }}

),

renamed as (

    select
        source.report_id,
        lower(trim(source.document_kind)) as document_kind,
        {{ clean_code('source.period_code') }} as period_code,
        source.figures_sha256,
        source.files_json,
        source.submission_ids_json,
        {{ clean_text('source.document_number') }} as document_number,
        {{ clean_text('source.signer') }} as signer,
        {{ clean_text('source.override_note') }} as override_note,
        cast(source.generated_at as timestamp) as generated_at,
        cast(source.as_of as timestamp) as as_of

    from source

)

select * from renamed
