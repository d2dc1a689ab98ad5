"""Period codes and lookups. The period calendar itself is computed once, by
dbt (dim_periods, from the deadline-rule seed); Python only parses codes and
reads that calendar."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from netsafe import warehouse
from netsafe.errors import NetsafeError
from netsafe.settings import Settings

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})-(?P<suffix>M(0[1-9]|1[0-2])|Q[1-4]|H[12]|9M|Y)$")

REPORT_TYPE_BY_PREFIX = {"M": "monthly", "Q": "quarterly", "H": "half_year", "9": "nine_months"}


def report_type_of(period_code: str) -> str:
    match = PERIOD_CODE.match(period_code)
    if not match:
        raise NetsafeError(
            f"Mã kỳ báo cáo không hợp lệ: {period_code!r} (ví dụ 2024-Q3, 2024-M07, 2024-H1, "
            "2024-9M, 2024-Y).",
            f"Invalid period code {period_code!r} (e.g. 2024-Q3, 2024-M07, 2024-H1, 2024-9M, 2024-Y).",
        )
    suffix = match["suffix"]
    return "annual" if suffix == "Y" else REPORT_TYPE_BY_PREFIX[suffix[0]]


@dataclass(frozen=True)
class Period:
    period_code: str
    report_type: str
    label_vi: str
    label_en: str
    cutoff_start_date: date
    cutoff_end_date: date
    reporter_deadline_date: date
    dic_deadline_date: date

    @classmethod
    def from_row(cls, row) -> Period:
        """A Period from a dim_periods row selected with PERIOD_COLUMNS."""
        return cls(
            **{
                field.name: _as_date(getattr(row, field.name))
                if field.type == "date"
                else getattr(row, field.name)
                for field in fields(cls)
            }
        )


PERIOD_COLUMNS = (
    "period_code, report_type, label_vi, label_en, cutoff_start_date, "
    "cutoff_end_date, reporter_deadline_date, dic_deadline_date"
)


def all_periods(settings: Settings) -> dict[str, Period]:
    frame = warehouse.query(settings, f"select {PERIOD_COLUMNS} from marts.dim_periods")
    return {row.period_code: Period.from_row(row) for row in frame.itertuples()}


def get_period(settings: Settings, period_code: str) -> Period:
    report_type_of(period_code)
    frame = warehouse.query(
        settings, f"select {PERIOD_COLUMNS} from marts.dim_periods where period_code = ?", [period_code]
    )
    if frame.empty:
        raise NetsafeError(
            f"Kỳ {period_code} nằm ngoài lịch kỳ báo cáo của kho.",
            f"Period {period_code} is outside the warehouse's period calendar.",
        )
    return Period.from_row(next(frame.itertuples()))


def latest_complete_period(settings: Settings, report_type: str, today: date) -> str | None:
    """The latest period of a type whose cut-off window has ended before today."""
    value = warehouse.scalar(
        settings,
        """
        select period_code from marts.dim_periods
        where report_type = ? and cutoff_end_date < ?
        order by cutoff_end_date desc limit 1
        """,
        [report_type, today],
    )
    return value


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value
