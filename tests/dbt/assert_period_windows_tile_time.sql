-- Consecutive periods of one type leave no gap and no overlap: each starts
-- the day after the previous one ends (Decree 09/2019 cut-off windows). The
-- nine-month report is cumulative from the year's start, so it does not tile.
with

periods as (

    select * from {{ ref('dim_periods') }}

)

select
    periods.period_code,
    periods.cutoff_start_date,
    previous.cutoff_end_date as previous_cutoff_end_date

from periods
inner join periods as previous on periods.previous_period_code = previous.period_code
where periods.report_type <> 'nine_months'
    and periods.cutoff_start_date <> previous.cutoff_end_date + 1
