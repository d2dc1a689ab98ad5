{#- The counting rule as data (grain: incident_stage × agency_kind): whether a kind of
    reporter's count of a stage makes the provincial figure. Marts and
    intermediate models reach the seed only through this model. -#}
with

source as (

    select * from {{ ref('stage_counting_rules') }}

),

renamed as (

    select
        lower(trim(source.stage)) as incident_stage,
        lower(trim(source.agency_kind)) as agency_kind,
        cast(source.counts_toward_province as boolean) as counts_toward_province,
        {{ clean_text('source.note_vi') }} as note_vi

    from source

)

select * from renamed
