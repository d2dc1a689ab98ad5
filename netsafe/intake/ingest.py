"""From received files to raw landing: read, check, land (accepted or
rejected), and say what happened to each file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from netsafe import dates
from netsafe.contract import LandedParts, ReportInUse, SubmissionVersion, stage_sums
from netsafe.errors import NetsafeError
from netsafe.intake import read as read_module
from netsafe.intake.problems import Problem, join
from netsafe.intake.reference import Reference
from netsafe.intake.validate import check, file_parts
from netsafe.settings import Settings
from netsafe.store import open_store


@dataclass
class Outcome:
    file_name: str
    status: str  # accepted | rejected | duplicate | resent
    submission_id: str | None
    agency_code: str | None
    period_code: str | None
    received_at: datetime
    problems: list[Problem] = field(default_factory=list)
    earlier_status: str | None = None
    rows: int = 0
    content: bytes = b""
    # rows of the version in use that this correction does not carry (they will disappear)
    dropped: list[str] = field(default_factory=list)

    @property
    def is_rejected(self) -> bool:
        return self.status == "rejected" or (self.status == "duplicate" and self.earlier_status == "rejected")


def received_moment(received_on: date | None) -> datetime:
    """When a file counts as received: now, or the day an analyst gives for a
    paper or e-mail receipt (never a day still to come)."""
    now = dates.now()
    if received_on is None or received_on == now.date():
        return now
    if received_on > now.date():
        raise NetsafeError(
            f"Ngày nhận {received_on:%d/%m/%Y} ở tương lai; chỉ ghi ngày đã nhận được báo cáo.",
            f"The received date {received_on:%d/%m/%Y} is in the future; give the day the report arrived.",
        )
    return datetime.combine(received_on, datetime.min.time())


def prepare(
    name: str,
    content: bytes,
    reference: Reference,
    received_at: datetime,
    channel: str,
    landed: Callable[[str | None, str | None], LandedParts] | None = None,
    read: read_module.ReadFile | None = None,
) -> tuple[SubmissionVersion, list[Problem]]:
    """Read (unless given the file as read) and check one file; return the
    version to land and its problems. landed(agency, period) gives the
    agency's report parts already in use, which the file's parts complete
    (none when not given)."""
    read = read if read is not None else read_module.read(name, content)
    known = read.agency_code in reference.agencies and read.period_code in reference.periods
    in_use = landed(read.agency_code, read.period_code) if landed and known else None
    checked = check(read, reference, in_use)
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
        narratives=tuple(checked.narratives),
        parts=file_parts(read, reference),
    )
    return version, []


def check_files(
    settings: Settings,
    files: Iterable[tuple[str, bytes]],
    reference: Reference,
    received_at: datetime,
    channel: str,
    progress: Callable[[str, str], None] | None = None,
) -> list[tuple[str, bytes, SubmissionVersion, list[Problem], list[str]]]:
    """Read and check every file received at a moment, landing nothing:
    (name, content, version, problems, rows of the version in use it would drop).
    Files land in the order given, so each is checked against the report as
    the files before it leave it (an indicator CSV, then its incident CSV).
    progress(name, step) is told "read" once a file is read, then its status
    (accepted or rejected) once it is checked."""
    # every file read first, so raw landing is read once for all of them (not per file)
    reads = []
    for name, content in files:
        reads.append((name, content, read_module.read(name, content)))
        if progress is not None:
            progress(name, "read")
    in_use = open_store(settings).reports_in_use(
        (read.agency_code, read.period_code)
        for _, _, read in reads
        if read.agency_code in reference.agencies and read.period_code in reference.periods
    )
    pending: dict[tuple, LandedParts] = {}

    def landed(agency: str | None, period: str | None) -> LandedParts:
        key = (agency, period)
        if key in pending:
            return pending[key]
        return in_use[key].parts if key in in_use else LandedParts()

    prepared = []
    for name, content, read in reads:
        version, problems = prepare(name, content, reference, received_at, channel, landed, read)
        _received_in_window(name, version, reference, received_at)
        dropped = dropped_rows(version, in_use.get((version.agency_code, version.period_code)))
        prepared.append((name, content, version, problems, dropped))
        if progress is not None:
            progress(name, version.status)
        if version.status == "accepted":
            key = (version.agency_code, version.period_code)
            pending[key] = _after_landing(landed(*key), version)
    return prepared


def _after_landing(before: LandedParts, version: SubmissionVersion) -> LandedParts:
    """The parts in use once an accepted version replaces those it carries."""
    indicators, sums = before.indicators, before.incident_sums
    if "indicators" in version.carried_parts:
        indicators = {row.indicator_code: Decimal(str(row.value)) for row in version.indicator_values}
    if "incidents" in version.carried_parts:
        sums = stage_sums(version.incident_counts)
    return LandedParts(indicators, sums)


def _received_in_window(name: str, version: SubmissionVersion, reference: Reference, received_at) -> None:
    """A received date before the period's data starts is the analyst's slip,
    not the agency's: refuse the command (nothing lands) so the file can be
    received again with the right date."""
    period = reference.periods.get(version.period_code or "")
    # (a period that has not started is the file's problem: rejected with its own message)
    started = period is not None and period.cutoff_start_date <= dates.today()
    if started and received_at.date() < period.cutoff_start_date:
        start = period.cutoff_start_date
        raise NetsafeError(
            f"{name}: ngày nhận {received_at:%d/%m/%Y} sớm hơn ngày bắt đầu kỳ số liệu {start:%d/%m/%Y} "
            f"của {period.label_vi}; hãy kiểm tra ngày nhận. Chưa nhận tệp nào.",
            f"{name}: the received date {received_at:%d/%m/%Y} is before {period.label_en} starts "
            f"({start:%d/%m/%Y}); check the received date. No file was received.",
        )


def dropped_rows(version: SubmissionVersion, in_use: ReportInUse | None) -> list[str]:
    """What the parts in use on raw landing hold that this accepted version,
    replacing those parts, does not (parts it does not carry stay in use)."""
    if version.status != "accepted" or in_use is None:
        return []
    current = set().union(*(in_use.rows.get(part, ()) for part in version.carried_parts))
    carried = {row.indicator_code for row in version.indicator_values} | {
        f"{row.area_code} × {row.violation_type_code}" for row in version.incident_counts
    }
    return sorted(current - carried)


def ingest(
    settings: Settings,
    files: Iterable[tuple[str, bytes]],
    reference: Reference,
    *,
    received_on: date | None = None,
    channel: str = "upload",
    guard: Callable[[str, str | None], None] | None = None,
    progress: Callable[[str, str], None] | None = None,
) -> list[Outcome]:
    """Check every file, then land them all (each in its own transaction).
    guard(file name, agency code) may refuse the whole command (raising)
    before anything lands: an agency reporter sending another agency's file."""
    prepared = check_files(settings, files, reference, received_moment(received_on), channel, progress)
    if guard is not None:
        for name, _, version, _, _ in prepared:
            guard(name, version.agency_code)
    results = open_store(settings).land([version for _, _, version, _, _ in prepared])
    return [
        _outcome(name, content, version, problems, dropped, result)
        for (name, content, version, problems, dropped), result in zip(prepared, results, strict=True)
    ]


def _outcome(name, content, version, problems, dropped, result) -> Outcome:
    if result.resent:
        status = "resent"
    elif result.is_duplicate:
        status = "duplicate"
    else:
        status = version.status
    return Outcome(
        file_name=name,
        status=status,
        submission_id=result.submission_id,
        agency_code=version.agency_code,
        period_code=version.period_code,
        received_at=result.received_at,
        problems=problems,
        earlier_status=result.status if result.is_duplicate else None,
        rows=version.row_count,
        content=content,
        dropped=dropped if status == "accepted" else [],
    )


def read_files(paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in paths]


def describe(outcome: Outcome) -> str:
    """One block of text per file for the terminal."""
    who = f"{outcome.agency_code or '?'} {outcome.period_code or '?'}"
    if outcome.status == "accepted":
        head = f"✔ {outcome.file_name}: đã nhận / accepted ({who}, {outcome.rows} dòng / rows)"
    elif outcome.status == "resent":
        head = (
            f"↺ {outcome.file_name}: trùng tệp của một phiên bản cũ ({who}); phiên bản đó được dùng lại "
            "làm phiên bản hiện hành / the bytes of an earlier version: it is the version in use again"
        )
    elif outcome.status == "duplicate":
        head = (
            f"= {outcome.file_name}: tệp này đã nhận trước đó ({outcome.earlier_status}), không nạp lại / "
            f"already received ({outcome.earlier_status}), not landed again"
        )
    else:
        head = f"✘ {outcome.file_name}: bị từ chối / rejected ({len(outcome.problems)} lỗi / problems)"
    lines = [head] + [f"    - {problem}" for problem in outcome.problems]
    if outcome.dropped:
        lines.append(
            f"    ! Bản sửa này không có {len(outcome.dropped)} dòng của phiên bản đang dùng; "
            "các dòng này sẽ không còn trong số liệu / "
            f"this correction lacks {len(outcome.dropped)} rows of the version "
            f"in use, which will disappear: {', '.join(outcome.dropped[:20])}"
            + (" …" if len(outcome.dropped) > 20 else "")
        )
    return "\n".join(lines)
