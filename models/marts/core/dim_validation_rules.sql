{#- Validation rules (grain: rule_code), as the stewards, intake and the
    quality view read them: sides, operator, severity and wording. -#}
with

rules as (

    select * from {{ ref('stg_seeds__validation_rules') }}

),

final as (

    select
        rules.rule_code,
        rules.name_vi,
        rules.name_en,
        rules.left_side,
        rules.operator,
        rules.right_side,
        rules.when_side,
        rules.severity,
        rules.description_vi

    from rules

)

select * from final
