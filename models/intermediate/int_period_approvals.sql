{#- Each period's approval state (grain: period_code, for periods ever
    approved): the latest event decides. An approved period's figures come
    from the versions landed up to its cut (approved_cut_at); a reopened one
    uses everything again. last_changed_at: when the state last changed, so
    incremental facts reload the period's slices. -#}
with

events as (

    select * from {{ ref('stg_raw__period_approvals') }}

),

ranked as (

    select
        events.*,
        row_number() over (
            partition by events.period_code order by events.landed_at desc, events.event_id desc
        ) as recency,
        max(case when events.event_kind = 'reopened' then events.landed_at end)
            over (partition by events.period_code) as last_reopened_at

    from events

),

final as (

    select
        ranked.period_code,
        ranked.event_kind = 'approved' as is_approved,
        case when ranked.event_kind = 'approved' then ranked.cut_at end as approved_cut_at,
        case when ranked.event_kind = 'approved' then ranked.figures_sha256 end as approved_figures_sha256,
        case when ranked.event_kind = 'approved' then ranked.actor end as approved_by,
        case when ranked.event_kind = 'approved' then ranked.landed_at end as approved_at,
        case when ranked.event_kind = 'reopened' then ranked.actor end as reopened_by,
        case when ranked.event_kind = 'reopened' then ranked.reason end as reopen_reason,
        ranked.last_reopened_at,
        ranked.landed_at as last_changed_at

    from ranked
    where ranked.recency = 1

)

select * from final
