{#- Which submitted periods make up each period (grain: period ×
    component period), e.g. 2024-H1 = 2024-Q1 + 2024-Q2. -#}
with

components as (

    select * from {{ ref('int_period_components') }}

)

select
    components.period_code,
    components.component_period_code

from components
