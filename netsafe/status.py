"""The summary `make run` prints: what the warehouse holds and how the last
build went."""

from __future__ import annotations

from dataclasses import dataclass

from netsafe import build, dates, warehouse
from netsafe.formatting import moment
from netsafe.formatting import number as n
from netsafe.settings import Settings


@dataclass(frozen=True)
class WarehouseStatus:
    first_period: str | None
    last_period: str | None
    period_count: int
    agency_count: int
    expected_reports: int
    submissions: int
    accepted: int
    rejected: int
    incident_rows: int
    incidents_detected: int
    indicator_values: int
    tests_passed: int
    tests_total: int
    built_at: str | None


def collect(settings: Settings) -> WarehouseStatus:
    row = warehouse.query(
        settings,
        """
        with accepted_periods as (
            select distinct period_code from marts.fct_submissions where is_accepted
        )
        select
            (select min(period_code) from accepted_periods) as first_period,
            (select max(period_code) from accepted_periods) as last_period,
            (select count(*) from accepted_periods) as period_count,
            (select count(distinct agency_code) from marts.rpt_agency_compliance
                where is_expected and period_code in (select period_code from accepted_periods))
                as agency_count,
            (select count(*) from marts.rpt_agency_compliance
                where is_expected and period_code in (select period_code from accepted_periods))
                as expected_reports,
            (select count(*) from marts.fct_submissions) as submissions,
            (select count(*) from marts.fct_submissions where is_accepted) as accepted,
            (select count(*) from marts.fct_submissions where not is_accepted) as rejected,
            (select count(*) from marts.fct_incident_counts) as incident_rows,
            (select coalesce(sum(detected), 0) from marts.fct_incident_counts) as incidents_detected,
            (select count(*) from marts.fct_indicator_values) as indicator_values
        """,
    ).iloc[0]
    last = build.last_build(settings)
    return WarehouseStatus(
        first_period=row.first_period,
        last_period=row.last_period,
        period_count=int(row.period_count),
        agency_count=int(row.agency_count),
        expected_reports=int(row.expected_reports),
        submissions=int(row.submissions),
        accepted=int(row.accepted),
        rejected=int(row.rejected),
        incident_rows=int(row.incident_rows),
        incidents_detected=int(row.incidents_detected),
        indicator_values=int(row.indicator_values),
        tests_passed=last.tests_passed if last else 0,
        tests_total=last.tests_total if last else 0,
        built_at=last.built_at if last else None,
    )


def render(status: WarehouseStatus, settings: Settings) -> str:
    if status.first_period:
        periods = f"{status.first_period} → {status.last_period} ({status.period_count} kỳ / periods)"
    else:
        periods = "chưa có báo cáo nào / no submissions yet"
    built_at = moment(dates.from_stamp(status.built_at)) if status.built_at else "-"
    lines = [
        f"Kho dữ liệu / warehouse: {settings.warehouse_path}",
        f"  Kỳ báo cáo / periods:            {periods}",
        f"  Đơn vị phải báo cáo / agencies:  {n(status.agency_count)}"
        f" ({n(status.expected_reports)} báo cáo phải nộp / expected reports)",
        f"  Báo cáo đã nhận / submissions:   {n(status.submissions)}"
        f" ({n(status.accepted)} hợp lệ / accepted, {n(status.rejected)} bị từ chối / rejected)",
        f"  Vụ việc phát hiện / incidents:   {n(status.incidents_detected)}"
        f" trong {n(status.incident_rows)} dòng số liệu / in {n(status.incident_rows)} rows",
        f"  Giá trị chỉ tiêu / indicators:   {n(status.indicator_values)}",
        f"  Kiểm thử dbt / dbt tests:        {n(status.tests_passed)}/{n(status.tests_total)} đạt"
        f" / passed (xây dựng lúc / built at {built_at})",
    ]
    return "\n".join(lines)
