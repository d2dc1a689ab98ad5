"""From received files to raw landing: read, check, land (accepted or
rejected), and say what happened to each file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from netsafe.contract import SubmissionVersion
from netsafe.intake import read as read_module
from netsafe.intake.problems import Problem, join
from netsafe.intake.reference import Reference
from netsafe.intake.validate import check
from netsafe.settings import Settings
from netsafe.store import open_store


@dataclass
class Outcome:
    file_name: str
    status: str  # accepted | rejected | duplicate
    submission_id: str | None
    agency_code: str | None
    period_code: str | None
    received_at: datetime
    problems: list[Problem] = field(default_factory=list)
    earlier_status: str | None = None
    rows: int = 0
    content: bytes = b""

    @property
    def is_rejected(self) -> bool:
        return self.status == "rejected" or (self.status == "duplicate" and self.earlier_status == "rejected")


def received_moment(received_on: date | None) -> datetime:
    if received_on is None:
        return datetime.now(UTC).replace(tzinfo=None)
    return datetime.combine(received_on, datetime.min.time())


def prepare(
    name: str, content: bytes, reference: Reference, received_at: datetime, channel: str
) -> tuple[SubmissionVersion, list[Problem]]:
    """Read and check one file; return the version to land and its problems."""
    read = read_module.read(name, content)
    checked = check(read, reference)
    received = {
        "content": content,
        "source_file_name": name,
        "received_at": received_at,
        "channel": channel,
        "template_version": read.template_version,
    }
    if checked.problems:
        version = SubmissionVersion(
            **received,
            agency_code=read.agency_code if read.agency_code in reference.agencies else None,
            period_code=read.period_code if read.period_code in reference.periods else None,
            status="rejected",
            note=join(checked.problems),
        )
        return version, checked.problems
    version = SubmissionVersion(
        **received,
        agency_code=read.agency_code,
        period_code=read.period_code,
        indicator_values=tuple(checked.indicator_values),
        incident_counts=tuple(checked.incident_counts),
    )
    return version, []


def ingest(
    settings: Settings,
    files: Iterable[tuple[str, bytes]],
    reference: Reference,
    *,
    received_on: date | None = None,
    channel: str = "upload",
) -> list[Outcome]:
    """Check every file, then land them all (each in its own transaction)."""
    received_at = received_moment(received_on)
    prepared = [
        (name, content, *prepare(name, content, reference, received_at, channel)) for name, content in files
    ]
    results = open_store(settings).land([version for _, _, version, _ in prepared])
    outcomes = []
    for (name, content, version, problems), result in zip(prepared, results, strict=True):
        outcomes.append(
            Outcome(
                file_name=name,
                status="duplicate" if result.is_duplicate else version.status,
                submission_id=result.submission_id,
                agency_code=version.agency_code,
                period_code=version.period_code,
                received_at=result.received_at,
                problems=problems,
                earlier_status=result.status if result.is_duplicate else None,
                rows=version.row_count,
                content=content,
            )
        )
    return outcomes


def read_files(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in paths]


def describe(outcome: Outcome) -> str:
    """One block of text per file for the terminal."""
    who = f"{outcome.agency_code or '?'} {outcome.period_code or '?'}"
    if outcome.status == "accepted":
        head = f"✔ {outcome.file_name}: đã nhận / accepted ({who}, {outcome.rows} dòng / rows)"
    elif outcome.status == "duplicate":
        head = (
            f"= {outcome.file_name}: tệp này đã nhận trước đó ({outcome.earlier_status}), không nạp lại / "
            f"already received ({outcome.earlier_status}), not landed again"
        )
    else:
        head = f"✘ {outcome.file_name}: bị từ chối / rejected ({len(outcome.problems)} lỗi / problems)"
    lines = [head] + [f"    - {problem}" for problem in outcome.problems]
    return "\n".join(lines)
