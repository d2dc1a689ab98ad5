{#- Validation rules as data (grain: rule_code), codes cleaned; the reporting
    marts reach the seed only through this model. -#}
with

source as (

    select * from {{ ref('validation_rules') }}

),

renamed as (

    select
        {{ clean_code('source.rule_code') }} as rule_code,
        source.name_vi,
        source.name_en,
        source.left_side,
        source.operator,
        source.right_side,
        {{ clean_text('source.when_side') }} as when_side,
        source.severity,
        source.description_vi

    from source

)

select * from renamed
