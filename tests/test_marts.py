"""The marts answer what users ask, on the demo data."""

from netsafe import warehouse


def q(settings, sql, params=None):
    return warehouse.query(settings, sql, params)


def test_latest_version_supersedes_and_history_stays(demo_warehouse):
    versions = q(
        demo_warehouse,
        """
        select version_number, report_parts, parts_in_use, is_latest from marts.fct_submissions
        where agency_code = 'BT_POLICE' and period_code = '2024-Q3' order by version_number
        """,
    )
    # the police send two parts, then correct the incident part: the indicator
    # part stays in use, the first incident part is history
    assert versions.version_number.tolist() == [1, 2, 3]
    assert versions.report_parts.tolist() == ["indicators", "incidents", "incidents"]
    assert versions.is_latest.tolist() == [True, False, True]
    latest = q(
        demo_warehouse,
        """
        select c.submission_id = s.submission_id as from_latest
        from marts.fct_incident_counts c join marts.fct_submissions s
          on s.agency_code = c.agency_code and s.period_code = c.period_code
          and s.parts_in_use like '%incidents%'
        where c.agency_code = 'BT_POLICE' and c.period_code = '2024-Q3'
        """,
    )
    assert len(latest) > 0 and latest.from_latest.all()


def test_on_time_and_days_late_follow_the_reporter_deadline(demo_warehouse):
    frame = q(
        demo_warehouse,
        """
        select received_date, reporter_deadline_date, is_on_time, days_late
        from marts.fct_submissions where is_accepted
        """,
    )
    late = (frame.received_date - frame.reporter_deadline_date).dt.days
    assert (frame.is_on_time == (late <= 0)).all()
    assert (frame.days_late == late.clip(lower=0)).all()
    assert frame.is_on_time.sum() > 0 and (~frame.is_on_time).sum() > 0


def test_rejected_then_resent_is_late_not_rejected(demo_warehouse):
    row = q(
        demo_warehouse,
        """
        select compliance_status, submission_count, rejected_count, days_late
        from marts.rpt_agency_compliance where agency_code = 'BT_PC_LA_GI' and period_code = '2023-Q4'
        """,
    ).iloc[0]
    assert row.compliance_status == "late"
    assert (row.submission_count, row.rejected_count) == (2, 1)
    assert row.days_late == 9


def test_agencies_that_never_report_are_missing_and_rates_add_up(demo_warehouse):
    frame = q(
        demo_warehouse,
        "select * from marts.rpt_agency_compliance where period_code = '2024-Q2' and is_expected",
    )
    statuses = dict(zip(frame.agency_code, frame.compliance_status, strict=True))
    assert statuses["BT_ETHNIC"] == "missing" and statuses["BT_DOJ"] == "missing"
    expected = len(frame)
    submitted = int(frame.has_submitted.sum())
    on_time = int((frame.compliance_status == "on_time").sum())
    assert float(frame.period_reporting_rate.iat[0]) == round(submitted / expected, 4)
    assert float(frame.period_on_time_rate.iat[0]) == round(on_time / expected, 4)
    period = q(
        demo_warehouse, "select * from marts.rpt_period_compliance where period_code = '2024-Q2'"
    ).iloc[0]
    assert period.expected_count == expected
    assert period.on_time_count + period.late_count + period.missing_count + period.rejected_count == expected


def test_only_agencies_in_force_are_expected(demo_warehouse):
    frame = q(
        demo_warehouse,
        """
        select period_code, list(agency_code order by agency_code) as agencies
        from marts.rpt_agency_compliance
        where is_expected and period_code in ('2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3')
        group by period_code
        """,
    )
    agencies = dict(zip(frame.period_code, frame.agencies, strict=True))
    # the body in force on the reporter deadline is the one expected to report:
    # the DIC until 2025-03-01, the Department of Science and Technology after
    assert "BT_DIC" in agencies["2024-Q4"] and "BT_DST" not in agencies["2024-Q4"]
    assert "BT_DST" in agencies["2025-Q1"] and "BT_DIC" not in agencies["2025-Q1"]
    assert "BT_PC_PHAN_THIET" in agencies["2025-Q2"]
    assert not any(code.startswith("BT_") for code in agencies["2025-Q3"])
    assert "LD_POLICE" in agencies["2025-Q3"]


def test_violation_summary_equals_the_facts_and_rolls_up(demo_warehouse):
    check = q(
        demo_warehouse,
        """
        -- provincial figures follow the counting rule: detected from the police,
        -- handled from the DIC (seeds/stage_counting_rules.csv)
        with facts as (
            select c.period_code, c.violation_type_code,
                   sum(case when a.agency_kind = 'police' then c.detected else 0 end) as detected,
                   sum(case when a.agency_kind = 'dic' then c.handled else 0 end) as handled
            from marts.fct_incident_counts c join marts.dim_agencies a using (agency_code)
            group by all
        )
        select count(*) as mismatches from marts.rpt_violation_summary s
        join facts f using (period_code, violation_type_code)
        where s.detected <> f.detected or s.handled <> f.handled
        """,
    )
    assert check.mismatches.iat[0] == 0
    halves = q(
        demo_warehouse,
        """
        select
            (select sum(detected) from marts.rpt_violation_summary where period_code = '2024-H1') as h1,
            (select sum(detected) from marts.rpt_violation_summary
                where period_code in ('2024-Q1', '2024-Q2')) as q1_q2,
            (select sum(detected) from marts.rpt_violation_summary where period_code = '2024-Y') as y,
            (select sum(detected) from marts.rpt_violation_summary
                where period_code in ('2024-H1', '2024-H2')) as h1_h2
        """,
    ).iloc[0]
    assert halves.h1 == halves.q1_q2 and halves.y == halves.h1_h2


def test_changes_against_previous_period_and_last_year(demo_warehouse):
    frame = q(
        demo_warehouse,
        """
        select s.detected, s.detected_previous, s.detected_last_year,
               prev.detected as prev_detected, ly.detected as ly_detected
        from marts.rpt_violation_summary s
        join marts.rpt_violation_summary prev
          on prev.period_code = '2024-Q2' and prev.violation_type_code = s.violation_type_code
        join marts.rpt_violation_summary ly
          on ly.period_code = '2023-Q3' and ly.violation_type_code = s.violation_type_code
        where s.period_code = '2024-Q3'
        """,
    )
    assert (frame.detected_previous == frame.prev_detected).all()
    assert (frame.detected_last_year == frame.ly_detected).all()


def test_area_rates_use_population(demo_warehouse):
    frame = q(
        demo_warehouse,
        """
        select area_code, detected, population, detected_per_100k from marts.rpt_area_incidents
        where period_code = '2024-Y' and violation_type_code = 'FRAUD'
        """,
    )
    known = frame[frame.population.notna()]
    assert not known.empty
    for row in known.itertuples():
        assert abs(float(row.detected_per_100k) - row.detected * 100000 / row.population) < 0.001
    assert frame[frame.population.isna()].detected_per_100k.isna().all()


def test_indicator_summary_counts_reporting_agencies(demo_warehouse):
    frame = q(
        demo_warehouse,
        """
        select s.total_value, s.reporting_agency_count,
               (select sum(indicator_value) from marts.fct_indicator_values
                where period_code = '2024-Q3' and indicator_code = 'PROPAGANDA_SESSIONS') as fact_total,
               (select count(*) from marts.fct_indicator_values
                where period_code = '2024-Q3' and indicator_code = 'PROPAGANDA_SESSIONS') as fact_agencies
        from marts.rpt_indicator_summary s
        where s.period_code = '2024-Q3' and s.indicator_code = 'PROPAGANDA_SESSIONS'
        """,
    ).iloc[0]
    assert frame.total_value == frame.fact_total
    assert frame.reporting_agency_count == frame.fact_agencies > 20
