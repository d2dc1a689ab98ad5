"""Submission versions for tests, written in one line each: who, when, what."""

from __future__ import annotations

from datetime import datetime

from netsafe.contract import IncidentCount, IndicatorValue, SubmissionVersion


def accepted_version(
    agency: str,
    period: str,
    received_at: datetime,
    *rows: IndicatorValue | IncidentCount,
    channel: str = "upload",
    tag: str = "",
    parts: tuple[str, ...] | None = None,
) -> SubmissionVersion:
    """An accepted version with its rows; its bytes (and so its id) follow
    from everything given, so two different versions never collide. It
    carries the parts it holds rows of (like a CSV) unless parts are given
    (PARTS: a whole report, like a filled template)."""
    indicators = tuple(row for row in rows if isinstance(row, IndicatorValue))
    incidents = tuple(row for row in rows if isinstance(row, IncidentCount))
    content = f"{agency}|{period}|{received_at.isoformat()}|{tag}|{rows}".encode()
    name = f"{agency}_{period}{'_' + tag if tag else ''}.csv"
    return SubmissionVersion(
        content,
        name,
        agency,
        period,
        received_at,
        channel,
        indicator_values=indicators,
        incident_counts=incidents,
        parts=parts,
    )


def period_changes() -> list[SubmissionVersion]:
    """What an incremental build must carry through: a new period's report
    (the police, 2026-Q4), and the police correcting an old quarter
    (2024-Q3), which reaches its roll-ups, the periods compared with it (the
    next quarter, the same quarter a year later) and the outlier history
    after it."""
    return [
        accepted_version(
            "LD_POLICE",
            "2026-Q4",
            datetime(2026, 12, 16),
            IncidentCount("PHAN_THIET", "FRAUD", 6, 4, None, None, 1),
        ),
        accepted_version(
            "BT_POLICE",
            "2024-Q3",
            datetime(2024, 10, 20),
            IncidentCount("PHAN_THIET", "FRAUD", 90, 0, None, None, 30),
        ),
    ]
