"""Dates and moments typed by a user (command line options), parsed in one
place: a bad value is a bilingual error naming the option, never a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime

from netsafe.errors import NetsafeError


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
    """YYYY-MM-DD (the end of that day) or an ISO timestamp; naive UTC."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NetsafeError(
            f"{option}: {text!r} không phải thời điểm hợp lệ (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM:SS).",
            f"{option}: {text!r} is not a valid moment (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS).",
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if len(text) == 10:
        moment = datetime.combine(moment.date(), datetime.max.time()).replace(microsecond=0)
    return moment
