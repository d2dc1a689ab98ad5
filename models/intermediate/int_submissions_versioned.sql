{#- Every received version per agency and period (grain: submission_id),
    numbered in landing order, with its fate: withdrawn by a steward, or
    re-sent (its bytes came again after a newer version). is_usable: accepted
    and not withdrawn; current_since: when it became current (landed, or was
    re-sent). Which version is in use for each report part is decided in
    int_submission_parts. received_at is the business date for on-time
    judgement only; it never decides which version is in use. -#}
with

submissions as (

    select * from {{ ref('stg_raw__submissions') }}

),

events as (

    select * from {{ ref('stg_raw__submission_events') }}

),

latest_events as (

    select
        events.submission_id,
        events.event_kind,
        events.actor,
        events.reason,
        events.landed_at,
        row_number() over (
            partition by events.submission_id order by events.landed_at desc, events.event_id desc
        ) as recency,
        max(events.landed_at) over (partition by events.submission_id) as last_event_at

    from events

),

states as (

    select
        submissions.*,
        coalesce(latest_events.event_kind = 'withdrawn', false) as is_withdrawn,
        case when latest_events.event_kind = 'withdrawn' then latest_events.landed_at end as withdrawn_at,
        case when latest_events.event_kind = 'withdrawn' then latest_events.actor end as withdrawn_by,
        case when latest_events.event_kind = 'withdrawn' then latest_events.reason end as withdrawal_reason,
        case
            when latest_events.event_kind = 'resent' then latest_events.landed_at else submissions.landed_at
        end as current_since,
        coalesce(latest_events.last_event_at, submissions.landed_at) as changed_at

    from submissions
    left join latest_events
        on submissions.submission_id = latest_events.submission_id and latest_events.recency = 1

),

versioned as (

    select
        states.*,
        states.is_accepted and not states.is_withdrawn as is_usable,
        row_number() over (
            partition by states.agency_code, states.period_code
            order by states.landed_at, states.submission_id
        ) as version_number

    from states

),

ranked as (

    select
        versioned.*,
        case
            when versioned.is_usable
                then row_number() over (
                        partition by versioned.agency_code, versioned.period_code, versioned.is_usable
                        order by versioned.landed_at, versioned.submission_id
                    )
        end as accepted_version_number

    from versioned

),

final as (

    select
        ranked.submission_id,
        ranked.agency_code,
        ranked.period_code,
        ranked.channel,
        ranked.source_file_name,
        ranked.file_sha256,
        ranked.submission_status,
        ranked.note,
        ranked.template_version,
        ranked.withdrawn_by,
        ranked.withdrawal_reason,
        ranked.row_count,
        ranked.version_number,
        ranked.accepted_version_number,
        ranked.is_accepted,
        ranked.is_withdrawn,
        ranked.is_usable,
        coalesce(ranked.accepted_version_number = 1, false) as is_first_accepted,
        ranked.received_date,
        ranked.received_at,
        ranked.landed_at,
        ranked.current_since,
        ranked.changed_at,
        ranked.withdrawn_at

    from ranked

)

select * from final
