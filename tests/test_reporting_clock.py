"""The reporting clock (netsafe/dates.py): every moment is Vietnam's wall
clock whatever the server keeps, so deadlines are judged on the day it was
there, and "today" is today there, in Python and in dbt alike."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import duckdb
import pytest

from netsafe import build, dates, warehouse
from netsafe.contract import IncidentCount, IndicatorValue
from netsafe.errors import NetsafeError
from netsafe.settings import PROJECT_DIR
from netsafe.store import open_store
from tests.conftest import make_settings
from tests.factories import accepted_version

PERIOD = "2024-Q3"


def test_a_moment_with_a_zone_is_read_on_the_vietnamese_clock():
    late_evening_utc = datetime(2024, 9, 17, 23, 30, tzinfo=UTC)
    assert dates.local(late_evening_utc) == datetime(2024, 9, 18, 6, 30)
    assert dates.local(datetime(2024, 9, 17, 23, 30)) == datetime(2024, 9, 17, 23, 30)  # already on it
    assert dates.parse_moment("2024-09-17T23:30:00+00:00", "--as-of") == datetime(2024, 9, 18, 6, 30)
    assert dates.parse_moment("2024-09-17", "--as-of") == datetime(2024, 9, 17, 23, 59, 59)
    assert dates.stamp().endswith("+07:00")
    assert abs(dates.now() - (datetime.now(UTC) + timedelta(hours=7)).replace(tzinfo=None)) < timedelta(
        minutes=1
    )


def test_today_is_the_reporting_zones_and_a_wrong_zone_is_refused(monkeypatch, tmp_path):
    # 26 hours apart: their dates differ at every moment of the day
    monkeypatch.setenv("NETSAFE_TIMEZONE", "Etc/GMT+12")
    behind = dates.today()
    monkeypatch.setenv("NETSAFE_TIMEZONE", "Etc/GMT-14")
    assert dates.today() > behind
    monkeypatch.setenv("NETSAFE_TIMEZONE", "Asia/Hanoi_Typo")
    with pytest.raises(NetsafeError) as refused:
        dates.now()
    assert "múi giờ" in refused.value.vi and "Asia/Ho_Chi_Minh" in refused.value.en
    # nor does a name reach dbt's SQL unchecked
    monkeypatch.setenv("NETSAFE_TIMEZONE", "Asia/Ho_Chi_Minh', current_timestamp) --")
    with pytest.raises(NetsafeError):
        build.dbt_env(make_settings(tmp_path / "any"))


def test_dbt_judges_deadlines_on_the_same_day_python_does():
    # the macro's default zone is netsafe's, and DuckDB reads it as Python does
    macro = (PROJECT_DIR / "macros" / "cross_database.sql").read_text(encoding="utf-8")
    assert f'or "{dates.DEFAULT_TIMEZONE}"' in macro
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")  # a server on UTC
    [(day,)] = con.execute(
        f"select cast(timezone('{dates.DEFAULT_TIMEZONE}', current_timestamp) as date)"
    ).fetchall()
    assert day == dates.today() or dates.now().time() < time(0, 0, 5)  # unless midnight passed in between


def test_a_report_sent_after_midnight_in_vietnam_is_late_on_a_utc_server(tmp_path):
    settings = make_settings(tmp_path / "clock")
    build.build(settings, quiet=True)
    deadline = warehouse.scalar(
        settings, "select reporter_deadline_date from marts.dim_periods where period_code = ?", [PERIOD]
    )
    deadline_utc = datetime.combine(deadline, time()).replace(tzinfo=UTC)
    open_store(settings).land(
        [
            # 23:30 on the deadline day in Vietnam (16:30 UTC): on time
            accepted_version(
                "BT_DIC",
                PERIOD,
                deadline_utc + timedelta(hours=16, minutes=30),
                IndicatorValue("INSPECTIONS_CONDUCTED", 3),
            ),
            # 06:30 the next morning in Vietnam, still the deadline day in UTC: late
            accepted_version(
                "BT_PC_LA_GI",
                PERIOD,
                deadline_utc + timedelta(hours=23, minutes=30),
                IncidentCount("LA_GI", "FRAUD", 2, 1),
            ),
        ]
    )
    build.build(settings, quiet=True)
    judged = warehouse.query(
        settings,
        "select agency_code, received_at, is_on_time, days_late from marts.fct_submissions "
        "where period_code = ? order by agency_code",
        [PERIOD],
    )
    on_time, late = judged.set_index("agency_code").loc[["BT_DIC", "BT_PC_LA_GI"]].itertuples()
    assert on_time.received_at == datetime.combine(deadline, time(23, 30))
    assert (bool(on_time.is_on_time), on_time.days_late) == (True, 0)
    assert late.received_at == datetime.combine(deadline + timedelta(days=1), time(6, 30))
    assert (bool(late.is_on_time), late.days_late) == (False, 1)
