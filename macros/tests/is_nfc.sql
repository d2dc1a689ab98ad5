{#- Generic test: text in the column is Unicode NFC (Vietnamese diacritics
    composed), so comparisons and sorting behave. -#}
{% test is_nfc(model, column_name) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} <> {{ nfc(column_name) }}

{% endtest %}
