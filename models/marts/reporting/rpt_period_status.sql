{#- Each period's approval state (grain: period, for every period the
    reporting marts cover): open or approved (by whom, when, the data cut it
    pins and the figures hash it approved), the last reopening and its reason,
    and the files received for it since the approval, which wait for a
    reopening before they count. -#}
with

periods as (

    select * from {{ ref('int_periods_reported') }}

),

approvals as (

    select * from {{ ref('int_period_approvals') }}

),

submissions as (

    select * from {{ ref('int_submissions_versioned') }}

),

pending as (

    select
        submissions.period_code,
        cast(count(*) as bigint) as received_after_approval_count

    from submissions
    where submissions.is_after_approval
    group by submissions.period_code

),

final as (

    select
        periods.period_code,
        periods.report_type,
        case when coalesce(approvals.is_approved, false) then 'approved' else 'open' end as approval_state,
        approvals.approved_by,
        approvals.approved_at,
        approvals.approved_cut_at,
        approvals.approved_figures_sha256,
        approvals.reopened_by,
        approvals.reopen_reason,
        approvals.last_reopened_at,
        coalesce(pending.received_after_approval_count, 0) as received_after_approval_count

    from periods
    left join approvals on periods.period_code = approvals.period_code
    left join pending on periods.period_code = pending.period_code

)

select * from final
