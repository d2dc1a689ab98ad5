{#- Reporting periods of Decree 09/2019/NĐ-CP for every report type and year
    of the calendar. A period is a data cut-off window (15th of the month
    before to the 14th of its last month); its rules and deadlines come from
    the report_deadline_rules seed, valid on the first day of the period's
    last month, so a change of regime is a new seed row, never code. -#}
{%- set year_count = (var('calendar_last_year') | int) - (var('calendar_first_year') | int) + 1 -%}

with

report_types as (

    select * from {{ ref('report_types') }}

),

deadline_rules as (

    select * from {{ ref('report_deadline_rules') }}

),

year_series as (

    {{ integer_series(year_count) }}

),

month_series as (

    {{ integer_series(12) }}

),

month_names as (

    select *
    from (
        values
        (1, 'January'), (2, 'February'), (3, 'March'), (4, 'April'),
        (5, 'May'), (6, 'June'), (7, 'July'), (8, 'August'),
        (9, 'September'), (10, 'October'), (11, 'November'), (12, 'December')
    ) as month_names (month_number, month_name_en)

),

roman_numerals as (

    select *
    from (values (1, 'I'), (2, 'II'), (3, 'III'), (4, 'IV')) as roman_numerals (number_value, numeral)

),

years as (

    select cast(year_series.generated_number + {{ var('calendar_first_year') }} - 1 as integer) as period_year
    from year_series

),

sequences as (

    select cast(month_series.generated_number as integer) as period_sequence
    from month_series

),

slots as (

    select
        report_types.report_type,
        report_types.period_months,
        years.period_year,
        sequences.period_sequence,
        sequences.period_sequence * report_types.period_months as end_month,
        cast(
            cast(years.period_year as varchar) || '-'
            || lpad(cast(sequences.period_sequence * report_types.period_months as varchar), 2, '0')
            || '-01' as date
        ) as end_month_start_date

    from report_types
    cross join years
    inner join sequences on sequences.period_sequence <= report_types.periods_per_year

),

slot_rules as (

    select
        slots.*,
        agency_rules.cutoff_start_day,
        agency_rules.cutoff_end_day,
        agency_rules.deadline_day as reporter_deadline_day,
        dic_rules.deadline_day as dic_deadline_day,
        agency_rules.deadline_rule_code as reporter_deadline_rule_code,
        dic_rules.deadline_rule_code as dic_deadline_rule_code

    from slots
    inner join deadline_rules as agency_rules
        on slots.report_type = agency_rules.report_type
            and agency_rules.reporting_level = 'agency_to_dic'
            and slots.end_month_start_date >= agency_rules.valid_from
            and (agency_rules.valid_to is null or slots.end_month_start_date < agency_rules.valid_to)
    inner join deadline_rules as dic_rules
        on slots.report_type = dic_rules.report_type
            and dic_rules.reporting_level = 'dic_to_ministry'
            and slots.end_month_start_date >= dic_rules.valid_from
            and (dic_rules.valid_to is null or slots.end_month_start_date < dic_rules.valid_to)

),

dated as (

    select
        slot_rules.*,
        case slot_rules.report_type
            when 'monthly' then 'M' || lpad(cast(slot_rules.period_sequence as varchar), 2, '0')
            when 'quarterly' then 'Q' || cast(slot_rules.period_sequence as varchar)
            when 'half_year' then 'H' || cast(slot_rules.period_sequence as varchar)
            when 'nine_months' then '9M'
            when 'annual' then 'Y'
        end as period_suffix,
        {{ add_months(
            "slot_rules.end_month_start_date + (slot_rules.cutoff_start_day - 1)",
            "-1 * slot_rules.period_months"
        ) }} as cutoff_start_date,
        slot_rules.end_month_start_date + (slot_rules.cutoff_end_day - 1) as cutoff_end_date,
        slot_rules.end_month_start_date + (slot_rules.reporter_deadline_day - 1)
            as reporter_deadline_date,
        slot_rules.end_month_start_date + (slot_rules.dic_deadline_day - 1) as dic_deadline_date

    from slot_rules

),

labelled as (

    select
        cast(dated.period_year as varchar) || '-' || dated.period_suffix as period_code,
        dated.report_type,
        case dated.report_type
            when 'monthly'
                then 'Tháng ' || cast(dated.period_sequence as varchar) || '/'
                    || cast(dated.period_year as varchar)
            when 'quarterly'
                then 'Quý ' || roman_numerals.numeral || '/' || cast(dated.period_year as varchar)
            when 'half_year'
                then case dated.period_sequence when 1 then '6 tháng đầu năm ' else '6 tháng cuối năm ' end
                    || cast(dated.period_year as varchar)
            when 'nine_months' then '9 tháng đầu năm ' || cast(dated.period_year as varchar)
            when 'annual' then 'Năm ' || cast(dated.period_year as varchar)
        end as label_vi,
        case dated.report_type
            when 'monthly' then month_names.month_name_en || ' ' || cast(dated.period_year as varchar)
            when 'quarterly'
                then 'Q' || cast(dated.period_sequence as varchar) || ' ' || cast(dated.period_year as varchar)
            when 'half_year'
                then 'H' || cast(dated.period_sequence as varchar) || ' ' || cast(dated.period_year as varchar)
            when 'nine_months' then 'First nine months of ' || cast(dated.period_year as varchar)
            when 'annual' then 'Year ' || cast(dated.period_year as varchar)
        end as label_en,
        dated.reporter_deadline_rule_code,
        dated.dic_deadline_rule_code,
        dated.period_year,
        dated.period_sequence,
        dated.period_months,
        dated.end_month as period_end_month,
        dated.cutoff_start_date,
        dated.cutoff_end_date,
        dated.reporter_deadline_date,
        dated.dic_deadline_date

    from dated
    left join month_names on dated.end_month = month_names.month_number
    left join roman_numerals on dated.period_sequence = roman_numerals.number_value

),

sequenced as (

    select
        labelled.*,
        lag(labelled.period_code) over (
            partition by labelled.report_type order by labelled.cutoff_end_date
        ) as previous_period_code,
        cast(labelled.period_year - 1 as varchar) || substr(labelled.period_code, 5)
            as same_period_last_year_code

    from labelled

),

final as (

    select
        sequenced.period_code,
        sequenced.report_type,
        sequenced.label_vi,
        sequenced.label_en,
        sequenced.previous_period_code,
        case
            when sequenced.period_year > {{ var('calendar_first_year') }}
                then sequenced.same_period_last_year_code
        end as same_period_last_year_code,
        sequenced.reporter_deadline_rule_code,
        sequenced.dic_deadline_rule_code,
        sequenced.period_year,
        sequenced.period_sequence,
        sequenced.period_months,
        sequenced.period_end_month,
        sequenced.cutoff_start_date,
        sequenced.cutoff_end_date,
        sequenced.reporter_deadline_date,
        sequenced.dic_deadline_date

    from sequenced

)

select * from final
