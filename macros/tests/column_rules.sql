{#- Generic test: a model's column rules in one query, one dbt node (dbt
    spends tens of milliseconds on each node, the queries here well under
    one). Each rule is what the dbt test of the same name checks:
      not_null: [columns]                      no null
      accepted_values: {column: [values]}      every non-null value listed
      is_nfc: [columns]                        text is Unicode NFC
      references:                              every non-null value found
        - {column: c, to: ref('m'), field: f}  in the column it refers to
    A failing row names the rule and the column and counts the rows.
    Usage (model level):
      data_tests:
        - column_rules:
            arguments:
              not_null: [received_at, landed_at]
              accepted_values: {channel: [email, paper, upload, api]}
-#}
{% test column_rules(model, not_null=[], accepted_values={}, is_nfc=[], references=[]) %}

{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append(("not_null", column, column ~ " is null")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = [] -%}
    {%- for value in values -%}
        {%- do listed.append("'" ~ value ~ "'") -%}
    {%- endfor -%}
    {%- do checks.append(("accepted_values", column, column ~ " is not null and cast(" ~ column ~ " as varchar) not in (" ~ listed | join(", ") ~ ")")) -%}
{%- endfor -%}
{%- for column in is_nfc -%}
    {%- do checks.append(("is_nfc", column, column ~ " is not null and " ~ column ~ " <> " ~ nfc(column))) -%}
{%- endfor -%}
{%- for link in references -%}
    {%- do checks.append((
        "references",
        link.column,
        link.column ~ " is not null and not exists (select 1 from " ~ link.to ~ " as parent where parent."
            ~ link.field ~ " = checked." ~ link.column ~ ")"
    )) -%}
{%- endfor -%}

{% for rule, column, failing in checks %}
select
    '{{ rule }}' as rule_name,
    '{{ column }}' as column_name,
    count(*) as failing_rows
from {{ model }} as checked
where {{ failing }}
having count(*) > 0
{% if not loop.last %}
union all
{% endif %}
{% endfor %}

{% endtest %}
