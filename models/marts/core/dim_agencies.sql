with

agencies as (

    select * from {{ ref('int_agencies') }}

),

agency_kinds as (

    select * from {{ ref('agency_kinds') }}

),

governing_bodies as (

    select * from {{ ref('governing_bodies') }}

),

issuer_contacts as (

    select * from {{ ref('issuer_contacts') }}

),

final as (

    select
        agencies.agency_code,
        agencies.name_vi,
        agencies.name_en,
        agencies.short_name_vi,
        agencies.doc_symbol,
        agencies.agency_kind,
        agency_kinds.name_vi as agency_kind_name_vi,
        agency_kinds.name_en as agency_kind_name_en,
        agencies.agency_role,
        agencies.parent_agency_code,
        governing_bodies.name_vi as parent_name_vi,
        governing_bodies.header_name_vi as parent_header_name_vi,
        agencies.area_code,
        agencies.reporting_area_code,
        agencies.successor_agency_code,
        agencies.note,
        agency_kinds.display_order as agency_kind_order,
        -- an issuing body's signer and contact (reports and reminder letters)
        issuer_contacts.sign_authority_vi,
        issuer_contacts.signer_title_vi,
        issuer_contacts.signer_name_vi,
        issuer_contacts.contact_name_vi,
        issuer_contacts.contact_unit_vi,
        issuer_contacts.contact_phone,
        issuer_contacts.contact_email,
        coalesce(issuer_contacts.is_example, false) as is_contact_example,
        agencies.valid_from,
        agencies.valid_to

    from agencies
    inner join agency_kinds on agencies.agency_kind = agency_kinds.agency_kind
    left join governing_bodies on agencies.parent_agency_code = governing_bodies.body_code
    left join issuer_contacts on agencies.agency_code = issuer_contacts.agency_code

)

select * from final
