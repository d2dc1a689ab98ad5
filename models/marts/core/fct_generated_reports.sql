{#- Every generated consolidated report and reminder letter (grain:
    report_id), with the data cut it used (as_of) and the hash of its
    figures, so `netsafe report --as-of` can reproduce and prove it. -#}
with

reports as (

    select * from {{ ref('stg_raw__generated_reports') }}

)

select * from reports
