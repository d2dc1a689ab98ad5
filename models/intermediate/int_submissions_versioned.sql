{#- Numbers every received version per agency and period and marks the latest
    accepted one, which is the version the marts use. Older versions and
    rejected files stay queryable. -#}
with

submissions as (

    select * from {{ ref('stg_raw__submissions') }}

),

versioned as (

    select
        submissions.*,
        row_number() over (
            partition by submissions.agency_code, submissions.period_code
            order by submissions.received_at, submissions.landed_at, submissions.submission_id
        ) as version_number,
        case
            when submissions.is_accepted
                then row_number() over (
                        partition by submissions.agency_code, submissions.period_code, submissions.is_accepted
                        order by
                            submissions.received_at desc, submissions.landed_at desc,
                            submissions.submission_id desc
                    )
        end as accepted_recency_rank,
        case
            when submissions.is_accepted
                then row_number() over (
                        partition by submissions.agency_code, submissions.period_code, submissions.is_accepted
                        order by submissions.received_at, submissions.landed_at, submissions.submission_id
                    )
        end as accepted_version_number

    from submissions

),

final as (

    select
        versioned.submission_id,
        versioned.agency_code,
        versioned.period_code,
        versioned.channel,
        versioned.source_file_name,
        versioned.file_sha256,
        versioned.submission_status,
        versioned.note,
        versioned.template_version,
        versioned.row_count,
        versioned.version_number,
        versioned.accepted_version_number,
        versioned.is_accepted,
        coalesce(versioned.accepted_recency_rank = 1, false) as is_latest,
        coalesce(versioned.accepted_version_number = 1, false) as is_first_accepted,
        versioned.received_date,
        versioned.received_at,
        versioned.landed_at

    from versioned

)

select * from final
