"""The audit trail: one append-only row per state change (raw.audit_log):
who (and in which role), what, on what, for which period, when, with what
outcome, and from which address for dashboard actions. Ingests (accepted or
rejected), withdrawals, approvals and reopenings, reports, reminders and user
changes are recorded here."""

from __future__ import annotations

import pandas as pd

from netsafe import dates
from netsafe.contract import new_record_id
from netsafe.formatting import printable
from netsafe.settings import Settings
from netsafe.store import open_store

ACTION_VI = {
    "ingest": "nhận báo cáo",
    "withdraw": "rút phiên bản",
    "approve": "phê duyệt kỳ",
    "reopen": "mở lại kỳ",
    "report": "lập báo cáo",
    "reminders": "lập thư đôn đốc",
    "user_add": "thêm người dùng",
    "user_remove": "xóa người dùng",
}


def record(
    settings: Settings,
    *,
    actor: str,
    role: str | None,
    action: str,
    object_: str | None = None,
    period_code: str | None = None,
    outcome: str = "ok",
    details: str | None = None,
    client_address: str | None = None,
) -> None:
    now = dates.now()
    open_store(settings).append_record(
        "audit_log",
        {
            "event_id": new_record_id(now),
            "acted_at": now,
            "actor": actor,
            "role": role,
            "action": action,
            "object": object_,
            "period_code": period_code,
            "outcome": outcome,
            "details": details,
            "client_address": client_address,
        },
    )


def read(settings: Settings, period_code: str | None = None, actor: str | None = None) -> pd.DataFrame:
    conditions, params = [], []
    if period_code:
        conditions.append("period_code = ?")
        params.append(period_code)
    if actor:
        conditions.append("actor = ?")
        params.append(actor)
    where = f"where {' and '.join(conditions)}" if conditions else ""
    sql = f"select * from raw.audit_log {where} order by acted_at, event_id"
    return open_store(settings).read_raw(sql, params)


def render(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Nhật ký trống / the audit trail is empty."
    lines = []
    for row in frame.itertuples():
        words = ACTION_VI.get(row.action, row.action)
        where = f" [{row.client_address}]" if isinstance(row.client_address, str) else ""
        period = f" [{row.period_code}]" if isinstance(row.period_code, str) else ""
        target = f" {printable(row.object)}" if isinstance(row.object, str) else ""
        details = f" — {printable(row.details)}" if isinstance(row.details, str) else ""
        lines.append(
            f"{row.acted_at:%d/%m/%Y %H:%M:%S}  {printable(row.actor)} ({row.role or '-'}){where}  "
            f"{words} / {row.action}{period}{target}: {row.outcome}{details}"
        )
    return "\n".join(lines)
