with

tasks as (

    select * from {{ ref('tasks') }}

),

task_assignments as (

    select * from {{ ref('task_assignments') }}

),

legal_bases as (

    select * from {{ ref('legal_bases') }}

),

assigned_roles as (

    select
        task_assignments.task_code,
        {{ string_list('task_assignments.agency_role', '|', 'task_assignments.agency_role') }}
            as assignee_roles

    from task_assignments
    group by task_assignments.task_code

),

final as (

    select
        tasks.task_code,
        tasks.name_vi,
        tasks.name_en,
        tasks.description_vi,
        tasks.legal_basis_code,
        legal_bases.document_number as legal_basis_document_number,
        tasks.related_legal_basis_codes,
        assigned_roles.assignee_roles,
        tasks.task_number

    from tasks
    left join legal_bases on tasks.legal_basis_code = legal_bases.legal_basis_code
    left join assigned_roles on tasks.task_code = assigned_roles.task_code

)

select * from final
