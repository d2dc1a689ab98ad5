"""Listing received submission versions with their fate."""

from __future__ import annotations

import pandas as pd

from netsafe import warehouse
from netsafe.formatting import printable
from netsafe.settings import Settings

STATUS_VI = {"accepted": "hợp lệ / accepted", "rejected": "bị từ chối / rejected"}


def list_versions(settings: Settings, period: str | None = None, agency: str | None = None) -> pd.DataFrame:
    conditions, params = [], []
    if period:
        conditions.append("submissions.period_code = ?")
        params.append(period)
    if agency:
        conditions.append("submissions.agency_code = ?")
        params.append(agency)
    where = f"where {' and '.join(conditions)}" if conditions else ""
    return warehouse.query(
        settings,
        f"""
        select submissions.*, agencies.name_vi, agencies.name_en
        from marts.fct_submissions as submissions
        left join marts.dim_agencies as agencies on submissions.agency_code = agencies.agency_code
        {where}
        order by submissions.period_code, submissions.agency_code, submissions.version_number
        """,
        params,
    )


def render(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Không có báo cáo nào / no submissions."
    lines = []
    for row in frame.itertuples():
        if pd.isna(row.is_on_time):  # a rejected file whose period could not be read
            timing = "kỳ không rõ / unknown period"
        elif row.is_on_time:
            timing = "đúng hạn / on time"
        else:
            timing = f"trễ {row.days_late} ngày / {row.days_late} days late"
        latest = " [đang dùng / in use]" if row.is_latest else ""
        withdrawn = getattr(row, "is_withdrawn", False)  # a warehouse built before withdrawals existed
        if pd.notna(withdrawn) and bool(withdrawn):
            latest = (
                f" [đã rút / withdrawn {row.withdrawn_at:%d/%m/%Y %H:%M} · {row.withdrawn_by}: "
                f"{row.withdrawal_reason}]"
            )
        lines.append(
            f"{row.period_code}  {row.agency_code or '?':<20} v{row.version_number}  "
            f"{STATUS_VI.get(row.submission_status, row.submission_status)}{latest}  "
            f"{row.received_at:%d/%m/%Y %H:%M}  {timing}  {row.channel}  "
            f"{printable(row.source_file_name or '')}  [{row.submission_id}]"
        )
        if row.submission_status == "rejected" and isinstance(row.note, str):
            lines.extend(f"      - {printable(reason)}" for reason in row.note.splitlines())
    return "\n".join(lines)
