"""Decree 09/2019 period boundaries as built in dim_periods."""

from datetime import date

import pytest

from netsafe import periods, warehouse
from netsafe.errors import NetsafeError


def period(settings, code):
    return periods.get_period(settings, code)


@pytest.mark.parametrize(
    ("code", "start", "end", "deadline", "label"),
    [
        ("2025-Q1", date(2024, 12, 15), date(2025, 3, 14), date(2025, 3, 17), "Quý I/2025"),
        ("2024-Q3", date(2024, 6, 15), date(2024, 9, 14), date(2024, 9, 17), "Quý III/2024"),
        ("2024-H1", date(2023, 12, 15), date(2024, 6, 14), date(2024, 6, 17), "6 tháng đầu năm 2024"),
        ("2024-H2", date(2024, 6, 15), date(2024, 12, 14), date(2024, 12, 17), "6 tháng cuối năm 2024"),
        ("2024-9M", date(2023, 12, 15), date(2024, 9, 14), date(2024, 9, 17), "9 tháng đầu năm 2024"),
        ("2024-Y", date(2023, 12, 15), date(2024, 12, 14), date(2024, 12, 17), "Năm 2024"),
        ("2024-M01", date(2023, 12, 15), date(2024, 1, 14), date(2024, 1, 17), "Tháng 1/2024"),
        ("2024-M07", date(2024, 6, 15), date(2024, 7, 14), date(2024, 7, 17), "Tháng 7/2024"),
    ],
)
def test_cutoff_windows_and_deadlines(empty_warehouse, code, start, end, deadline, label):
    found = period(empty_warehouse, code)
    assert (found.cutoff_start_date, found.cutoff_end_date) == (start, end)
    assert found.reporter_deadline_date == deadline
    assert found.dic_deadline_date == date(end.year, end.month, 20)
    assert found.label_vi == label


def test_calendar_covers_2019_to_2030_without_gaps(empty_warehouse):
    frame = warehouse.query(
        empty_warehouse,
        """
        select report_type, count(*) as n, min(period_year) as first_year, max(period_year) as last_year
        from marts.dim_periods group by report_type order by report_type
        """,
    )
    counts = dict(zip(frame.report_type, frame.n, strict=True))
    assert counts == {"monthly": 144, "quarterly": 48, "half_year": 24, "nine_months": 12, "annual": 12}
    assert set(frame.first_year) == {2019} and set(frame.last_year) == {2030}
    # consecutive periods of one type tile time: each starts the day after the previous ends
    gaps = warehouse.query(
        empty_warehouse,
        """
        select count(*) as n from marts.dim_periods as p
        inner join marts.dim_periods as prev on p.previous_period_code = prev.period_code
        where p.report_type in ('monthly', 'quarterly', 'half_year')
          and p.cutoff_start_date <> prev.cutoff_end_date + 1
        """,
    )
    assert gaps.n.iat[0] == 0


def test_bad_period_code_is_explained():
    with pytest.raises(NetsafeError) as error:
        periods.report_type_of("2024-Q5")
    assert "Mã kỳ báo cáo không hợp lệ" in error.value.vi
    assert periods.report_type_of("2024-9M") == "nine_months"
    assert periods.report_type_of("2024-M12") == "monthly"


def test_latest_complete_quarter(empty_warehouse):
    assert periods.latest_complete_period(empty_warehouse, "quarterly", date(2026, 11, 28)) == "2026-Q3"
    assert periods.latest_complete_period(empty_warehouse, "quarterly", date(2026, 9, 15)) == "2026-Q3"
    assert periods.latest_complete_period(empty_warehouse, "quarterly", date(2026, 9, 14)) == "2026-Q2"
