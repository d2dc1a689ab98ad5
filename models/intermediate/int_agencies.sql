{#- Every reporting agency (grain: agency_code): the seeded registry (agencies
    of letter 2331, versioned through the 2025 reorganisation) and the
    reporters imported from the province's official list (commune People's
    Committees from 1/7/2025, `netsafe registry import`), in one shape.
    Everything downstream reaches agencies through here or dim_agencies. -#}
with

agencies as (

    select * from {{ ref('agencies') }}

),

governing_bodies as (

    select * from {{ ref('governing_bodies') }}

),

registry as (

    select * from {{ ref('int_registry_agencies') }}

),

areas as (

    select * from {{ ref('areas') }}

),

-- commune People's Committees from the province's list: reporters on the
-- statistical region they lie in, under the People's Committee in force
imported as (

    select
        registry.agency_code,
        registry.name_vi,
        coalesce(registry.name_en, registry.name_vi) as name_en,
        registry.name_vi as short_name_vi,
        cast(null as varchar(16)) as doc_symbol,
        'commune' as agency_kind,
        'district' as agency_role,
        bodies.body_code as parent_agency_code,
        registry.statistical_region_code as area_code,
        regions.parent_area_code as reporting_area_code,
        registry.valid_from,
        registry.valid_to,
        cast(null as varchar(64)) as successor_agency_code,
        registry.note

    from registry
    inner join areas as regions on registry.statistical_region_code = regions.area_code
    left join governing_bodies as bodies
        on
            bodies.body_type = 'people_committee'
            and bodies.valid_from <= registry.valid_from
            and (bodies.valid_to is null or bodies.valid_to > registry.valid_from)

),

seeded as (

    select
        agencies.agency_code,
        agencies.name_vi,
        agencies.name_en,
        agencies.short_name_vi,
        agencies.doc_symbol,
        agencies.agency_kind,
        agencies.agency_role,
        agencies.parent_agency_code,
        agencies.area_code,
        agencies.reporting_area_code,
        agencies.valid_from,
        agencies.valid_to,
        agencies.successor_agency_code,
        agencies.note

    from agencies

),

all_agencies as (

    select * from seeded
    union all
    select * from imported

)

select * from all_agencies
