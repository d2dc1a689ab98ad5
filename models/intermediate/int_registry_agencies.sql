{#- Reporters from the province's official list (grain: agency_code): the
    latest import of each code is in force (an import corrects the earlier
    one). Commune-level People's Committees report from 1/7/2025, each on the
    statistical region (a former district) it lies in. -#}
with

registry as (

    select * from {{ ref('stg_raw__registry_agencies') }}

),

ranked as (

    select
        registry.*,
        row_number() over (
            partition by registry.agency_code order by registry.landed_at desc, registry.import_id desc
        ) as recency

    from registry

),

final as (

    select
        ranked.agency_code,
        ranked.name_vi,
        ranked.name_en,
        ranked.statistical_region_code,
        ranked.valid_from,
        ranked.valid_to,
        ranked.note,
        ranked.import_id,
        ranked.landed_at

    from ranked
    where ranked.recency = 1

)

select * from final
