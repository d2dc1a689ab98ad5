with

areas as (

    select * from {{ ref('areas') }}

),

final as (

    select
        areas.area_code,
        areas.name_vi,
        areas.name_en,
        areas.area_level,
        areas.parent_area_code,
        areas.successor_area_code,
        areas.note,
        areas.population,
        areas.population_year,
        areas.administrative_until is not null as is_statistical_region,
        areas.administrative_until,
        areas.valid_from,
        areas.valid_to

    from areas

)

select * from final
