"""What every store shares: the raw tables' shape, the archive by hash, and
the rows a submission version lands as."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from netsafe import dates
from netsafe.contract import (
    INCIDENT_STAGES,
    LandedParts,
    LandingResult,
    ReportInUse,
    SubmissionVersion,
    new_record_id,
)
from netsafe.files import write_atomically
from netsafe.settings import Settings

# Raw landing, append-only. {numeric} is the engine's exact decimal type.
RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.submissions (
    submission_id varchar primary key,
    agency_code varchar,
    period_code varchar,
    received_at timestamp not null,
    channel varchar not null,
    source_file_name varchar,
    file_sha256 varchar not null unique,
    row_count integer not null,
    status varchar not null,
    note varchar,
    template_version varchar,
    landed_at timestamp not null
);
create table if not exists raw.indicator_values (
    submission_id varchar not null,
    indicator_code varchar not null,
    value {numeric}(20, 2),
    note varchar
);
create table if not exists raw.generated_reports (
    report_id varchar primary key,
    document_kind varchar not null,
    period_code varchar not null,
    generated_at timestamp not null,
    as_of timestamp not null,
    figures_sha256 varchar not null,
    files_json varchar not null,
    submission_ids_json varchar not null,
    document_number varchar,
    signer varchar
);
alter table raw.generated_reports add column if not exists override_note varchar;
create table if not exists raw.submission_events (
    event_id varchar primary key,
    submission_id varchar not null,
    event_kind varchar not null,
    actor varchar,
    reason varchar,
    landed_at timestamp not null
);
create table if not exists raw.user_events (
    event_id varchar primary key,
    email varchar not null,
    event_kind varchar not null,
    role varchar,
    agency_code varchar,
    actor varchar not null,
    landed_at timestamp not null
);
create table if not exists raw.audit_log (
    event_id varchar primary key,
    acted_at timestamp not null,
    actor varchar not null,
    role varchar,
    action varchar not null,
    object varchar,
    period_code varchar,
    outcome varchar not null,
    details varchar,
    client_address varchar
);
create table if not exists raw.period_approvals (
    event_id varchar primary key,
    period_code varchar not null,
    event_kind varchar not null,
    cut_at timestamp,
    figures_sha256 varchar,
    actor varchar not null,
    reason varchar,
    landed_at timestamp not null
);
create table if not exists raw.submission_parts (
    submission_id varchar not null,
    part varchar not null
);
create table if not exists raw.registry_agencies (
    import_id varchar not null,
    agency_code varchar not null,
    name_vi varchar not null,
    name_en varchar,
    statistical_region_code varchar not null,
    valid_from date not null,
    valid_to date,
    note varchar,
    source_file_sha256 varchar not null,
    actor varchar not null,
    landed_at timestamp not null
);
create table if not exists raw.narratives (
    submission_id varchar not null,
    section varchar not null,
    task_number integer,
    body varchar not null
);
create table if not exists raw.incident_counts (
    submission_id varchar not null,
    area_code varchar not null,
    violation_type_code varchar not null,
    detected bigint,
    handled bigint,
    fined_vnd bigint,
    removed_items bigint,
    prosecuted_cases bigint
);
"""

# Versions landed before reports had parts carry the parts they hold rows
# of (every part for a filled template). Idempotent: runs after the DDL.
BACKFILL_PARTS_SQL = """
insert into raw.submission_parts
select submissions.submission_id, parts.part
from raw.submissions as submissions
cross join (values ('indicators'), ('incidents')) as parts (part)
where submissions.status = 'accepted'
  and not exists (
      select 1 from raw.submission_parts as known where known.submission_id = submissions.submission_id
  )
  and (
      submissions.template_version is not null
      or (parts.part = 'indicators' and exists (
          select 1 from raw.indicator_values as rows_ where rows_.submission_id = submissions.submission_id
      ))
      or (parts.part = 'incidents' and exists (
          select 1 from raw.incident_counts as rows_ where rows_.submission_id = submissions.submission_id
      ))
  );
"""

# Tables that take appended records (not submission versions), with their columns.
RECORD_TABLES: dict[str, tuple[str, ...]] = {
    "generated_reports": (
        "report_id",
        "document_kind",
        "period_code",
        "generated_at",
        "as_of",
        "figures_sha256",
        "files_json",
        "submission_ids_json",
        "document_number",
        "signer",
        # why a report was written although its figures contradict each other
        "override_note",
    ),
    # withdrawn: a steward voids a version; resent: its exact bytes came again
    # after a newer version, making it current again. Nothing is deleted.
    "submission_events": ("event_id", "submission_id", "event_kind", "actor", "reason", "landed_at"),
    # who may do what: granted (a role, and an agency for reporters) or revoked
    "user_events": ("event_id", "email", "event_kind", "role", "agency_code", "actor", "landed_at"),
    # every state change: who (and in which role), what, on what, when, outcome
    "audit_log": (
        "event_id",
        "acted_at",
        "actor",
        "role",
        "action",
        "object",
        "period_code",
        "outcome",
        "details",
        "client_address",
    ),
    # registry rows imported from the province's official list (netsafe
    # registry import): the latest import of an agency_code is in force
    "registry_agencies": (
        "import_id",
        "agency_code",
        "name_vi",
        "name_en",
        "statistical_region_code",
        "valid_from",
        "valid_to",
        "note",
        "source_file_sha256",
        "actor",
        "landed_at",
    ),
    # a leader approves a period (pinning its data cut) or reopens it
    "period_approvals": (
        "event_id",
        "period_code",
        "event_kind",
        "cut_at",
        "figures_sha256",
        "actor",
        "reason",
        "landed_at",
    ),
}

# The version in use for each part of each agency × period report, on raw
# landing: of the accepted, not withdrawn versions carrying that part, the
# one that became current last (landed, or was re-sent, last).
# int_submission_parts applies the same rule for the marts; a test proves
# the two agree.
CURRENT_PARTS_SQL = """
with latest_event as (
    select submission_id, event_kind, landed_at,
           row_number() over (partition by submission_id order by landed_at desc, event_id desc) as recency
    from raw.submission_events
),
states as (
    select submissions.submission_id, submissions.agency_code, submissions.period_code, parts.part,
           coalesce(latest_event.event_kind = 'withdrawn', false) as is_withdrawn,
           case when latest_event.event_kind = 'resent' then latest_event.landed_at
                else submissions.landed_at end as current_since
    from raw.submissions as submissions
    inner join raw.submission_parts as parts on submissions.submission_id = parts.submission_id
    left join latest_event
        on submissions.submission_id = latest_event.submission_id and latest_event.recency = 1
    where submissions.status = 'accepted'
),
ranked as (
    select states.*,
           row_number() over (
               partition by agency_code, period_code, part order by current_since desc, submission_id desc
           ) as rank_in_use
    from states
    where not is_withdrawn
)
select submission_id, agency_code, period_code, part, current_since from ranked where rank_in_use = 1
"""


@dataclass
class BuildPlan:
    """How one dbt build runs on a target: the environment and arguments for
    dbt, and what to do with its output when it passes or fails."""

    env: dict[str, str]
    args: list[str]
    publish: Callable[[], None]
    discard: Callable[[], None]
    incremental: bool = False
    extra: dict = field(default_factory=dict)
    # rows per raw table in what this build reads (raw landing is append-only:
    # a table whose count is unchanged is unchanged)
    raw_counts: dict[str, int] = field(default_factory=dict)
    # runs a query on the build's unpublished output (what a failing check found)
    inspect: Callable[[str], list[tuple]] | None = None


@dataclass
class BuildBasis:
    """What the served warehouse was built from: the project's fingerprint,
    the rows per raw table it read, the day it judged deadlines on, and the
    raw tables dbt declares as sources."""

    fingerprint: str | None = None
    raw_counts: dict[str, int] = field(default_factory=dict)
    built_on: str | None = None
    sources: frozenset[str] = frozenset()


class Store(ABC):
    """Raw landing and the served warehouse on one target."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    # -- raw landing -------------------------------------------------------
    @abstractmethod
    def ensure_raw(self) -> None:
        """Create raw landing and its tables if they do not exist."""

    def land(self, versions: Iterable[SubmissionVersion], *, bulk: bool = False) -> list[LandingResult]:
        """Archive and land submission versions, each in its own transaction.

        A version whose bytes were landed before (same SHA-256) is not landed
        again; its result says is_duplicate and carries the earlier status.
        bulk=True lands everything in one transaction (all or nothing), for
        generated data sets into an empty landing.
        """
        versions = list(versions)
        self.settings.ensure_dirs()
        for version in versions:
            archive(self.settings, version.content)
        return self._land(versions, bulk=bulk)

    @abstractmethod
    def _land(self, versions: list[SubmissionVersion], *, bulk: bool) -> list[LandingResult]: ...

    def append_record(self, table: str, record: dict) -> None:
        """Append one record (a generated document, …) to raw; append-only."""
        self.append_records(table, [record])

    def append_records(self, table: str, records: list[dict]) -> None:
        """Append records to raw in one transaction: all of them, or none."""
        if not records:
            return
        columns = RECORD_TABLES[table]
        self.settings.ensure_dirs()
        self._append(table, [[record.get(column) for column in columns] for record in records])

    @abstractmethod
    def _append(self, table: str, rows: list[list]) -> None: ...

    @abstractmethod
    def read_raw(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        """One read-only query on raw landing, as a DataFrame."""

    def reports_in_use(self, reports: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ReportInUse]:
        """The agency × period reports (a report with no part in use is left
        out) as in use on raw landing, in four queries however many reports:
        an intake batch of hundreds of files reads raw landing once, not per file."""
        wanted = sorted(set(reports))
        if not wanted:
            return {}
        pairs = ", ".join(["(?, ?)"] * len(wanted))
        current = self.read_raw(
            "select current_parts.agency_code, current_parts.period_code, current_parts.part, "
            f"current_parts.submission_id from ({CURRENT_PARTS_SQL}) as current_parts "
            f"inner join (values {pairs}) as wanted (agency_code, period_code) "
            "on current_parts.agency_code = wanted.agency_code "
            "and current_parts.period_code = wanted.period_code",
            [code for pair in wanted for code in pair],
        )
        if current.empty:
            return {}
        ids = sorted(set(current.submission_id))
        in_ids = f"submission_id in ({', '.join(['?'] * len(ids))})"
        indicators = self.read_raw(
            f"select submission_id, indicator_code, value from raw.indicator_values where {in_ids}", ids
        )
        incidents = self.read_raw(
            "select submission_id, area_code || ' × ' || violation_type_code as row_key "
            f"from raw.incident_counts where {in_ids}",
            ids,
        )
        totals = ", ".join(f"coalesce(sum({stage}), 0) as {stage}" for stage in INCIDENT_STAGES)
        sums = self.read_raw(
            f"select submission_id, {totals} from raw.incident_counts where {in_ids} group by submission_id",
            ids,
        ).set_index("submission_id")
        values_of = {
            sid: dict(zip(found.indicator_code, found.value, strict=True))
            for sid, found in indicators.groupby("submission_id")
        }
        keys_of = {sid: frozenset(found.row_key) for sid, found in incidents.groupby("submission_id")}
        reports = {}
        for key, report in current.groupby(["agency_code", "period_code"]):
            by_part = dict(zip(report.part, report.submission_id, strict=True))
            parts, rows = {}, {}
            if "indicators" in by_part:
                values = values_of.get(by_part["indicators"], {})
                parts["indicators"] = {code: Decimal(str(value)) for code, value in values.items()}
                rows["indicators"] = frozenset(values)
            if "incidents" in by_part:
                submission_id = by_part["incidents"]
                rows["incidents"] = keys_of.get(submission_id, frozenset())
                parts["incident_sums"] = {
                    stage: Decimal(int(sums.at[submission_id, stage]) if submission_id in sums.index else 0)
                    for stage in INCIDENT_STAGES
                }
            reports[key] = ReportInUse(LandedParts(**parts), rows)
        return reports

    def grant_roles(self, reader: str, intake: str) -> None:
        """Least-privilege database roles: a server database's concern."""
        from netsafe.errors import NetsafeError

        raise NetsafeError(
            "Phân quyền vai trò cơ sở dữ liệu chỉ có trên PostgreSQL (NETSAFE_TARGET=postgres); "
            "kho DuckDB là tệp của tài khoản dịch vụ.",
            "Database roles are for the PostgreSQL target (NETSAFE_TARGET=postgres); the DuckDB "
            "warehouse is a file owned by the service account.",
        )

    def submission_count(self) -> int:
        """How many submission versions raw landing holds (accepted or not)."""
        return int(self.read_raw("select count(*) as n from raw.submissions").iat[0, 0])

    # -- served warehouse --------------------------------------------------
    @abstractmethod
    def query(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        """One read-only query on the served warehouse, as a DataFrame."""

    @abstractmethod
    def reading(self) -> contextlib.AbstractContextManager[Callable[[str, Sequence | None], pd.DataFrame]]:
        """A query function on one read-only connection that sees one version
        of the served warehouse until the block ends."""

    @abstractmethod
    def warehouse_exists(self) -> bool: ...

    @abstractmethod
    def warehouse_version(self) -> tuple | None:
        """Changes whenever a build publishes; None when there is no warehouse."""

    # -- builds ------------------------------------------------------------
    @abstractmethod
    def plan_build(self, *, full_refresh: bool, fingerprint: str, previous: BuildBasis) -> BuildPlan:
        """Prepare a build that publishes only if dbt passes."""

    @abstractmethod
    def plan_as_of(self, as_of: datetime) -> tuple[BuildPlan, Settings]:
        """Prepare a private, never published rebuild as of a moment."""


def landing_moment(version: SubmissionVersion, *, bulk: bool, now: datetime | None = None) -> datetime:
    """Now; for a simulated history landed in bulk (the demo), its own moment,
    never later than now."""
    now = now or dates.now()
    return min(version.landed_at, now) if bulk and version.landed_at else now


def header_row(version: SubmissionVersion, submission_id: str, landed_at: datetime) -> tuple:
    """A raw.submissions row, in column order."""
    return (
        submission_id,
        version.agency_code,
        version.period_code,
        dates.local(version.received_at),
        version.channel,
        version.source_file_name,
        version.sha256,
        version.row_count,
        version.status,
        version.note,
        version.template_version,
        landed_at,
    )


def part_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [{"submission_id": submission_id, "part": part} for part in version.carried_parts]


def indicator_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [
        {
            "submission_id": submission_id,
            "indicator_code": row.indicator_code,
            "value": Decimal(str(row.value)).quantize(Decimal("0.01")),
            "note": row.note,
        }
        for row in version.indicator_values
    ]


def narrative_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [
        {
            "submission_id": submission_id,
            "section": entry.section,
            "task_number": entry.task_number,
            "body": entry.text,
        }
        for entry in version.narratives
    ]


def incident_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [
        {
            "submission_id": submission_id,
            "area_code": row.area_code,
            "violation_type_code": row.violation_type_code,
            **{stage: getattr(row, stage) for stage in INCIDENT_STAGES},
        }
        for row in version.incident_counts
    ]


FIND_BY_HASH_SQL = (
    "select submission_id, status, received_at, agency_code, period_code from raw.submissions "
    "where file_sha256 = ?"
)


def submission_event(submission_id: str, kind: str, actor: str | None, reason: str | None) -> dict:
    """A raw.submission_events row (withdrawn or resent), stamped now."""
    now = dates.now()
    return {
        "event_id": new_record_id(now),
        "submission_id": submission_id,
        "event_kind": kind,
        "actor": actor,
        "reason": reason,
        "landed_at": now,
    }


def land_again(run, sha: str, existing: tuple) -> LandingResult:
    """Bytes landed before: nothing to do if that version is in use (or was
    rejected); if a newer version superseded it, it becomes current again (a
    'resent' event). `run(sql, params)` executes in the writer's transaction
    (? placeholders) and returns the first row."""
    submission_id, status, received_at, agency, period = existing
    # parts of this version that another version now supplies
    superseded = run(
        f"select count(*) from raw.submission_parts as mine "
        f"inner join ({CURRENT_PARTS_SQL}) as current_parts on mine.part = current_parts.part "
        "and current_parts.agency_code = ? and current_parts.period_code = ? "
        "where mine.submission_id = ? and current_parts.submission_id <> ?",
        [agency, period, submission_id, submission_id],
    )
    if status != "accepted" or not superseded or not superseded[0]:
        return LandingResult(submission_id, sha, status, True, received_at)
    event = submission_event(submission_id, "resent", None, "Gửi lại tệp của phiên bản này")
    columns = RECORD_TABLES["submission_events"]
    run(
        f"insert into raw.submission_events values ({', '.join('?' for _ in columns)})",
        [event[column] for column in columns],
    )
    return LandingResult(submission_id, sha, status, True, received_at, resent=True)


def landed(version: SubmissionVersion) -> LandingResult:
    return LandingResult(
        version.submission_id, version.sha256, version.status, False, dates.local(version.received_at)
    )


def archive_path(settings: Settings, sha256: str) -> Path:
    return settings.archive_dir / sha256


def archive(settings: Settings, content: bytes) -> Path:
    """Keep the received bytes under archive/<sha256>; idempotent."""
    sha = hashlib.sha256(content).hexdigest()
    target = archive_path(settings, sha)
    if target.exists():
        return target
    return write_atomically(target, content)  # a full disk leaves no 0-byte or partial file


def pause_for_fault_test() -> None:
    """Fault injection for the kill-mid-ingest test: sleep inside the open
    transaction when NETSAFE_FAULT_PAUSE_SECONDS is set."""
    pause = os.environ.get("NETSAFE_FAULT_PAUSE_SECONDS")
    if pause:
        print("landing: paused inside a transaction", file=sys.stderr, flush=True)
        time.sleep(float(pause))
