{#- Every received version per agency and period (grain: submission_id),
    numbered in landing order, with its fate: withdrawn by a steward, or
    re-sent (its bytes came again after a newer version). An approved period
    is locked at its cut (int_period_approvals): versions landed later are
    is_after_approval, and withdrawals or re-sends after the cut wait for a
    reopening. is_usable: accepted, not withdrawn, not after approval;
    current_since: when it became current (landed, or was re-sent). Which version is in use for each report part is decided in
    int_submission_parts. received_at is the business date for on-time
    judgement only; it never decides which version is in use. -#}
with

submissions as (

    select * from {{ ref('stg_raw__submissions') }}

),

all_events as (

    select * from {{ ref('stg_raw__submission_events') }}

),

approvals as (

    select * from {{ ref('int_period_approvals') }}

),

locked as (

    select
        submissions.submission_id,
        approvals.approved_cut_at,
        approvals.last_changed_at as approval_changed_at
    from submissions
    inner join approvals on submissions.period_code = approvals.period_code

),

events as (

    select all_events.*
    from all_events
    left join locked on all_events.submission_id = locked.submission_id
    where locked.approved_cut_at is null or all_events.landed_at <= locked.approved_cut_at

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
        coalesce(submissions.landed_at > locked.approved_cut_at, false) as is_after_approval,
        locked.approved_cut_at,
        -- an approval or reopening changes which versions count: their slices reload
        greatest(
            coalesce(latest_events.last_event_at, submissions.landed_at),
            coalesce(locked.approval_changed_at, submissions.landed_at)
        ) as changed_at

    from submissions
    left join latest_events
        on submissions.submission_id = latest_events.submission_id and latest_events.recency = 1
    left join locked on submissions.submission_id = locked.submission_id

),

versioned as (

    select
        states.*,
        states.is_accepted and not states.is_withdrawn and not states.is_after_approval as is_usable,
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
        ranked.is_after_approval,
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
