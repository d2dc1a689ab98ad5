{#- Generic test: a model's rules in one query, one dbt node (dbt spends
    tens of milliseconds of Python on each node, most of these queries well
    under one). Each rule is what the dbt test of the same name checks:
      primary_key: [columns]                   the columns identify a row:
                                               never null, no two rows share them
      unique: [[columns], ...]                 each combination identifies a row
                                               (nulls allowed)
      not_null: [columns]                      no null
      accepted_values: {column: [values]}      every non-null value listed
      is_nfc: [columns]                        text is Unicode NFC
      not_negative: [columns]                  no negative number
      references:                              every non-null value found
        - {column: c, to: ref('m'), field: f}  in the column it refers to
          (optional where: a condition on     (of the rows the condition
           the model's rows)                   selects)
    A failing row names the rule and the column(s) and counts the failing
    rows (for a key: the duplicated or null key values). Rules of another
    severity go in a second column_rules test with config {severity: warn}.
    Usage (model level):
      data_tests:
        - column_rules:
            arguments:
              primary_key: [submission_id]
              not_null: [received_at, landed_at]
              accepted_values: {channel: [email, paper, upload, api]}
-#}
{% test column_rules(
    model,
    primary_key=[],
    unique=[],
    not_null=[],
    accepted_values={},
    is_nfc=[],
    not_negative=[],
    references=[]
) %}

{%- set checks = [] -%}
{%- set keys = [] -%}
{%- if primary_key -%}
    {%- do keys.append(("primary_key", primary_key)) -%}
{%- endif -%}
{%- for columns in unique -%}
    {%- do keys.append(("unique", columns)) -%}
{%- endfor -%}
{%- for rule, columns in keys -%}
    {%- set having = ["count(*) > 1"] -%}
    {%- if rule == "primary_key" -%}
        {%- for column in columns -%}
            {%- do having.append(column ~ " is null") -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do checks.append((
        rule,
        columns | join(", "),
        "(select 1 as failing from " ~ model ~ " group by " ~ columns | join(", ")
            ~ " having " ~ having | join(" or ") ~ ") as checked",
        "true"
    )) -%}
{%- endfor -%}
{%- for column in not_null -%}
    {%- do checks.append(("not_null", column, model ~ " as checked", column ~ " is null")) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = [] -%}
    {%- for value in values -%}
        {%- do listed.append("'" ~ value ~ "'") -%}
    {%- endfor -%}
    {%- do checks.append((
        "accepted_values",
        column,
        model ~ " as checked",
        column ~ " is not null and cast(" ~ column ~ " as varchar) not in (" ~ listed | join(", ") ~ ")"
    )) -%}
{%- endfor -%}
{%- for column in is_nfc -%}
    {%- do checks.append((
        "is_nfc", column, model ~ " as checked", column ~ " is not null and " ~ column ~ " <> " ~ nfc(column)
    )) -%}
{%- endfor -%}
{%- for column in not_negative -%}
    {%- do checks.append(("not_negative", column, model ~ " as checked", column ~ " < 0")) -%}
{%- endfor -%}
{%- for link in references -%}
    {%- do checks.append((
        "references",
        link.column,
        model ~ " as checked",
        link.column ~ " is not null and not exists (select 1 from " ~ link.to ~ " as parent where parent."
            ~ link.field ~ " = checked." ~ link.column ~ ")"
            ~ (" and (" ~ link.where ~ ")" if link.where else "")
    )) -%}
{%- endfor -%}

{% for rule, column, checked, failing in checks %}
select
    '{{ rule }}' as rule_name,
    '{{ column }}' as column_name,
    count(*) as failing_rows
from {{ checked }}
where {{ failing }}
having count(*) > 0
{% if not loop.last %}
union all
{% endif %}
{% endfor %}

{% endtest %}
