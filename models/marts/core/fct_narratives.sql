{#- What agencies wrote in their template's narrative sheet, from the version
    of each report's narrative part in use (grain: agency × period ×
    narrative_section × task_number): qualitative results per task of letter
    2331, difficulties, proposals. Section V of the report quotes them. -#}
with

narratives as (

    select * from {{ ref('stg_raw__narratives') }}

),

parts as (

    select * from {{ ref('int_submission_parts') }}

),

final as (

    select
        parts.agency_code,
        parts.period_code,
        narratives.narrative_section,
        narratives.task_number,
        narratives.narrative_text,
        narratives.submission_id,
        parts.received_at

    from narratives
    inner join parts
        on narratives.submission_id = parts.submission_id
            and parts.report_part = 'narrative'
            and parts.is_current
    where narratives.narrative_text is not null

)

select * from final
