"""Listing received submission versions with their fate."""

from __future__ import annotations

import pandas as pd

from netsafe import warehouse
from netsafe.contract import PART_LABELS, PARTS
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
        select submissions.*, agencies.name_vi, agencies.name_en,
               compliance.compliance_status, compliance.complete_at, compliance.missing_parts,
               compliance.first_accepted_at, compliance.days_late as report_days_late
        from marts.fct_submissions as submissions
        left join marts.dim_agencies as agencies on submissions.agency_code = agencies.agency_code
        left join marts.rpt_agency_compliance as compliance
            on submissions.agency_code = compliance.agency_code
            and submissions.period_code = compliance.period_code
        {where}
        order by submissions.period_code, submissions.agency_code, submissions.version_number
        """,
        params,
    )


def parts_text(parts, lang: str = "vi") -> str:
    """'incidents,indicators' → 'giá trị chỉ tiêu + số vụ việc' (in PARTS order)."""
    if not isinstance(parts, str) or not parts:
        return ""
    index = 0 if lang == "vi" else 1
    return " + ".join(PART_LABELS[part][index] for part in PARTS if part in parts.split(","))


def judgement_text(row) -> str:
    """How the report (all its parts) is judged, and why."""
    status = getattr(row, "compliance_status", None)
    if not isinstance(status, str):
        return ""
    if status in ("on_time", "late"):
        when = f"{row.complete_at:%d/%m/%Y}"
        verdict = (
            "đúng hạn / on time"
            if status == "on_time"
            else (f"trễ {row.report_days_late} ngày / {row.report_days_late} days late")
        )
        first = f"{row.first_accepted_at:%d/%m/%Y}"
        since = "" if first == when else f"; phần đầu nhận ngày {first} / first part received {first}"
        return (
            f"→ đủ các phần ngày {when}: {verdict} (xét theo ngày nhận đủ báo cáo{since}) / "
            f"complete on {when}: judged on the day the whole report was in"
        )
    if status == "partial":
        return (
            f"→ chưa đủ: thiếu phần {parts_text(row.missing_parts)} / "
            f"incomplete: missing {parts_text(row.missing_parts, 'en')}"
        )
    return ""


def render(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Không có báo cáo nào / no submissions."
    lines = []
    rows = list(frame.itertuples())
    for position, row in enumerate(rows):
        if pd.isna(row.is_on_time):  # a rejected file whose period could not be read
            timing = "kỳ không rõ / unknown period"
        elif row.is_on_time:
            timing = "đúng hạn / on time"
        else:
            timing = f"trễ {row.days_late} ngày / {row.days_late} days late"
        carried = parts_text(getattr(row, "report_parts", None))
        carried = f"  phần / parts: {carried}" if carried else ""
        latest = ""
        if row.is_latest:
            in_use = getattr(row, "parts_in_use", None)
            latest = " [đang dùng / in use]"
            if isinstance(in_use, str) and in_use != getattr(row, "report_parts", in_use):
                latest = f" [đang dùng phần / in use for: {parts_text(in_use)}]"
        if bool(getattr(row, "is_after_approval", False)):
            latest = " [nhận sau khi phê duyệt, chưa dùng / received after approval, not used]"
        withdrawn = getattr(row, "is_withdrawn", False)  # a warehouse built before withdrawals existed
        if pd.notna(withdrawn) and bool(withdrawn):
            latest = (
                f" [đã rút / withdrawn {row.withdrawn_at:%d/%m/%Y %H:%M} · {row.withdrawn_by}: "
                f"{row.withdrawal_reason}]"
            )
        lines.append(
            f"{row.period_code}  {row.agency_code or '?':<20} v{row.version_number}  "
            f"{STATUS_VI.get(row.submission_status, row.submission_status)}{latest}{carried}  "
            f"{row.received_at:%d/%m/%Y %H:%M}  {timing}  {row.channel}  "
            f"{printable(row.source_file_name or '')}  [{row.submission_id}]"
        )
        if row.submission_status == "rejected" and isinstance(row.note, str):
            lines.extend(f"      - {printable(reason)}" for reason in row.note.splitlines())
        following = rows[position + 1] if position + 1 < len(rows) else None
        report_ends = following is None or (following.agency_code, following.period_code) != (
            row.agency_code,
            row.period_code,
        )
        judgement = judgement_text(row) if report_ends else ""
        if judgement:
            lines.append(f"      {judgement}")
    return "\n".join(lines)
