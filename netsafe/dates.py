"""The reporting clock, and dates and moments typed by a user.

Every moment netsafe stamps or reads (received, landed, built, checked,
generated) is the reporting time zone's wall-clock time, stored without a
zone: Vietnam's (Asia/Ho_Chi_Minh, UTC+7, no daylight saving) unless
NETSAFE_TIMEZONE names another. Deadlines are calendar days there, so a
report sent at 06:00 on 18/09 in Đà Lạt is late for a 17/09 deadline
whatever clock the server keeps; dbt judges them on the same day
(macros/cross_database.sql: reference_date() reads the same variable).

Options typed on the command line are parsed here too: a bad value is a
bilingual error naming the option, never a traceback."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from netsafe.errors import NetsafeError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def zone() -> ZoneInfo:
    name = os.environ.get("NETSAFE_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise NetsafeError(
            f"NETSAFE_TIMEZONE={name!r} không phải múi giờ (ví dụ {DEFAULT_TIMEZONE}).",
            f"NETSAFE_TIMEZONE={name!r} is not a time zone (e.g. {DEFAULT_TIMEZONE}).",
        ) from None


def zone_name() -> str:
    """The zone's name, checked: builds hand it to dbt's SQL."""
    return zone().key


def now() -> datetime:
    """Now, on the reporting time zone's clock (no zone attached)."""
    return datetime.now(zone()).replace(tzinfo=None)


def today() -> date:
    """Today's date in the reporting time zone: the day deadlines are judged on."""
    return now().date()


def stamp() -> str:
    """Now as ISO 8601 with its offset (2026-09-17T08:30:00+07:00), for records read back later."""
    return datetime.now(zone()).isoformat(timespec="seconds")


def from_stamp(text: str) -> datetime:
    """A stamp() read back, on the reporting clock (one written with another
    offset, such as UTC, is converted)."""
    return local(datetime.fromisoformat(text))


def local(moment: datetime) -> datetime:
    """A moment on the reporting clock: one with a zone is converted; one
    without is taken as already on it."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone()).replace(tzinfo=None)


def parse_day(text: str, option: str) -> date:
    """YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise NetsafeError(
            f"{option}: {text!r} không phải ngày hợp lệ dạng YYYY-MM-DD (ví dụ 2024-09-20).",
            f"{option}: {text!r} is not a valid YYYY-MM-DD date (e.g. 2024-09-20).",
        ) from None


def parse_moment(text: str, option: str) -> datetime:
    """YYYY-MM-DD (the end of that day) or an ISO timestamp, on the
    reporting clock (a timestamp with an offset is converted to it)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NetsafeError(
            f"{option}: {text!r} không phải thời điểm hợp lệ (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM:SS).",
            f"{option}: {text!r} is not a valid moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS).",
        ) from None
    moment = local(moment)
    if len(text) == 10:
        moment = datetime.combine(moment.date(), datetime.max.time()).replace(microsecond=0)
    return moment
