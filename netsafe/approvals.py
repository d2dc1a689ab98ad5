"""Period approval and lock, as DHIS2 does it. A leader approves a period
once its figures are final: the approval pins the period's data cut (the
last landing the served figures include) and the hash of the report's
figures. From then on the marts compute the period's figures from the
versions landed up to the cut; later files for it are still received,
archived and listed ("nhận sau khi phê duyệt / received after approval")
but change nothing until the period is reopened (with a reason). Approving
again pins a new cut. Every approval and reopening is audited.

A roll-up period (half-year, nine months, year) is approved only when every
quarter it sums is approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from netsafe import audit, build, dates, warehouse
from netsafe.contract import new_record_id
from netsafe.errors import NetsafeError
from netsafe.periods import get_period
from netsafe.settings import Settings
from netsafe.store import open_store

STATE_SQL = """
select period_code, event_kind, cut_at, figures_sha256, actor, reason, landed_at
from (
    select *, row_number() over (partition by period_code order by landed_at desc, event_id desc) as recency
    from raw.period_approvals
) as ranked
where recency = 1
"""


@dataclass(frozen=True)
class Approval:
    period_code: str
    cut_at: datetime
    figures_sha256: str
    actor: str
    approved_at: datetime


def states(settings: Settings) -> pd.DataFrame:
    """The latest approval event of every period ever approved."""
    return open_store(settings).read_raw(STATE_SQL)


def current(settings: Settings, period_code: str) -> Approval | None:
    """The period's approval in force; None when open (never approved, or reopened)."""
    frame = states(settings)
    frame = frame[(frame.period_code == period_code) & (frame.event_kind == "approved")]
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Approval(row.period_code, row.cut_at, row.figures_sha256, row.actor, row.landed_at)


def approve(
    settings: Settings, period_code: str, *, actor: str, role: str = "cli", client: str | None = None
):
    """Approve a period: pin its data cut and figures hash, then rebuild."""
    from netsafe.report import figures as report_figures
    from netsafe.report.generate import ensure_fresh

    period = get_period(settings, period_code)
    refusal = _refusal(settings, period, period_code)
    if refusal:
        audit.record(
            settings,
            actor=actor,
            role=role,
            action="approve",
            period_code=period_code,
            outcome="refused",
            details=refusal[1],
            client_address=client,
        )
        raise NetsafeError(*refusal)
    ensure_fresh(settings)
    figures = report_figures.load(settings, period_code)
    cut = warehouse.scalar(settings, "select max(landed_at) from marts.fct_submissions")
    _append(settings, period_code, "approved", cut, figures.sha256, actor, None)
    audit.record(
        settings,
        actor=actor,
        role=role,
        action="approve",
        period_code=period_code,
        details=f"cut={pd.Timestamp(cut):%Y-%m-%d %H:%M:%S} figures_sha256={figures.sha256}",
        client_address=client,
    )
    build.build(settings, quiet=True)
    return current(settings, period_code)


def reopen(
    settings: Settings,
    period_code: str,
    reason: str,
    *,
    actor: str,
    role: str = "cli",
    client: str | None = None,
) -> None:
    """Release an approved period (with a reason), then rebuild: files
    received since the approval now count."""
    get_period(settings, period_code)
    reason = (reason or "").strip()
    if current(settings, period_code) is None:
        raise NetsafeError(
            f"Kỳ {period_code} chưa được phê duyệt; không có gì để mở lại.",
            f"Period {period_code} is not approved; there is nothing to reopen.",
        )
    if len(reason) < 5:
        raise NetsafeError(
            "Hãy ghi lý do mở lại kỳ (--reason), ít nhất 5 ký tự.",
            "Give the reason for reopening (--reason), at least 5 characters.",
        )
    for rollup in _approved_rollups_containing(settings, period_code):
        raise NetsafeError(
            f"Kỳ {rollup} (gồm {period_code}) đang được phê duyệt; hãy mở lại kỳ {rollup} trước.",
            f"Period {rollup}, which includes {period_code}, is approved; reopen {rollup} first.",
        )
    _append(settings, period_code, "reopened", None, None, actor, reason)
    audit.record(
        settings,
        actor=actor,
        role=role,
        action="reopen",
        period_code=period_code,
        details=reason,
        client_address=client,
    )
    build.build(settings, quiet=True)


def _refusal(settings: Settings, period, period_code: str) -> tuple[str, str] | None:
    if period.cutoff_end_date >= dates.today():
        return (
            f"Kỳ {period_code} chưa kết thúc (số liệu đến ngày {period.cutoff_end_date:%d/%m/%Y}); "
            "chưa thể phê duyệt.",
            f"Period {period_code} is not over (its data runs to {period.cutoff_end_date:%d/%m/%Y}); "
            "it cannot be approved yet.",
        )
    if current(settings, period_code) is not None:
        return (
            f"Kỳ {period_code} đã được phê duyệt; hãy mở lại (netsafe reopen) trước khi phê duyệt lại.",
            f"Period {period_code} is already approved; reopen it (netsafe reopen) before approving again.",
        )
    if period.report_type != "quarterly":
        open_quarters = [q for q in _components(settings, period_code) if current(settings, q) is None]
        if open_quarters:
            listed = ", ".join(open_quarters)
            return (
                f"Kỳ {period_code} chỉ được phê duyệt khi mọi quý của nó đã được phê duyệt; "
                f"còn mở: {listed}.",
                f"Period {period_code} is approved only when all its quarters are; still open: {listed}.",
            )
    return None


def _components(settings: Settings, period_code: str) -> list[str]:
    frame = warehouse.query(
        settings,
        "select component_period_code from marts.dim_period_components where period_code = ? "
        "and component_period_code <> period_code order by 1",
        [period_code],
    )
    return frame.component_period_code.tolist()


def _approved_rollups_containing(settings: Settings, period_code: str) -> list[str]:
    frame = warehouse.query(
        settings,
        "select period_code from marts.dim_period_components where component_period_code = ? "
        "and period_code <> component_period_code",
        [period_code],
    )
    return [code for code in frame.period_code if current(settings, code) is not None]


def render(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Chưa kỳ nào được phê duyệt / no period approved yet."
    lines = []
    for row in frame.sort_values("period_code").itertuples():
        if row.event_kind == "approved":
            lines.append(
                f"{row.period_code}  đã phê duyệt / approved  {row.landed_at:%d/%m/%Y %H:%M} ({row.actor}); "
                f"số liệu đến / data cut {row.cut_at:%d/%m/%Y %H:%M:%S}"
            )
        else:
            lines.append(
                f"{row.period_code}  đã mở lại / reopened  {row.landed_at:%d/%m/%Y %H:%M} "
                f"({row.actor}): {row.reason}"
            )
    return "\n".join(lines)


def _append(settings, period_code, kind, cut, figures_sha256, actor, reason) -> None:
    now = dates.now()
    open_store(settings).append_record(
        "period_approvals",
        {
            "event_id": new_record_id(now),
            "period_code": period_code,
            "event_kind": kind,
            "cut_at": None if cut is None else pd.Timestamp(cut).to_pydatetime(),
            "figures_sha256": figures_sha256,
            "actor": actor,
            "reason": reason,
            "landed_at": now,
        },
    )
