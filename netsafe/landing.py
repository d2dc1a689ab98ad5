"""The one way into raw landing.

Raw landing is its own DuckDB file (landing.duckdb), append-only. Every received
file is archived by hash under archive/<sha256> before anything is written;
each submission version lands with all its rows in one transaction, so a
process killed mid-way leaves nothing partial. A file lock serialises writers
(exclusive) against build snapshots and listings (shared); a writer that finds
the landing busy waits with a message instead of failing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from netsafe import pg
from netsafe.dbfiles import connect
from netsafe.locks import file_lock
from netsafe.settings import Settings, lock_timeout_seconds

STATUSES = ("accepted", "rejected")
CHANNELS = ("email", "paper", "upload", "api")
INCIDENT_STAGES = ("detected", "handled", "fined_vnd", "removed_items", "prosecuted_cases")

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
    value decimal(20, 2),
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

PG_RAW_DDL = RAW_DDL.replace("decimal(20, 2)", "numeric(20, 2)")

INDICATOR_SCHEMA = pa.schema(
    [
        ("submission_id", pa.string()),
        ("indicator_code", pa.string()),
        ("value", pa.decimal128(20, 2)),
        ("note", pa.string()),
    ]
)
INCIDENT_SCHEMA = pa.schema(
    [
        ("submission_id", pa.string()),
        ("area_code", pa.string()),
        ("violation_type_code", pa.string()),
    ]
    + [(stage, pa.int64()) for stage in INCIDENT_STAGES]
)


@dataclass(frozen=True)
class IndicatorValue:
    indicator_code: str
    value: Decimal | int | float
    note: str | None = None


@dataclass(frozen=True)
class IncidentCount:
    area_code: str
    violation_type_code: str
    detected: int | None = None
    handled: int | None = None
    fined_vnd: int | None = None
    removed_items: int | None = None
    prosecuted_cases: int | None = None


@dataclass(frozen=True)
class SubmissionVersion:
    """One received file (or machine upload) and what it carries."""

    content: bytes
    source_file_name: str
    agency_code: str | None
    period_code: str | None
    received_at: datetime
    channel: str = "upload"
    status: str = "accepted"
    note: str | None = None
    template_version: str | None = None
    indicator_values: Sequence[IndicatorValue] = field(default_factory=tuple)
    incident_counts: Sequence[IncidentCount] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}, got {self.channel!r}")
        if self.status == "rejected" and (self.indicator_values or self.incident_counts):
            raise ValueError("a rejected submission lands no values")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def row_count(self) -> int:
        return len(self.indicator_values) + len(self.incident_counts)


@dataclass(frozen=True)
class LandingResult:
    submission_id: str
    file_sha256: str
    status: str
    is_duplicate: bool
    received_at: datetime


def _header_row(version: SubmissionVersion, submission_id: str, landed_at: datetime) -> tuple:
    """A raw.submissions row, in column order."""
    return (
        submission_id,
        version.agency_code,
        version.period_code,
        _naive_utc(version.received_at),
        version.channel,
        version.source_file_name,
        version.sha256,
        version.row_count,
        version.status,
        version.note,
        version.template_version,
        landed_at,
    )


def _indicator_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [
        {
            "submission_id": submission_id,
            "indicator_code": row.indicator_code,
            "value": Decimal(str(row.value)).quantize(Decimal("0.01")),
            "note": row.note,
        }
        for row in version.indicator_values
    ]


def _incident_rows(version: SubmissionVersion, submission_id: str) -> list[dict]:
    return [
        {
            "submission_id": submission_id,
            "area_code": row.area_code,
            "violation_type_code": row.violation_type_code,
            **{stage: getattr(row, stage) for stage in INCIDENT_STAGES},
        }
        for row in version.incident_counts
    ]


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema) -> None:
    if rows:
        con.register("incoming_rows", pa.Table.from_pylist(rows, schema=schema))
        con.execute(f"insert into raw.{table} select * from incoming_rows")
        con.unregister("incoming_rows")


def submission_id_for(sha256: str) -> str:
    return sha256[:20]


def archive_path(settings: Settings, sha256: str) -> Path:
    return settings.archive_dir / sha256


def archive(settings: Settings, content: bytes) -> Path:
    """Keep the received bytes under archive/<sha256>; idempotent."""
    sha = hashlib.sha256(content).hexdigest()
    target = archive_path(settings, sha)
    if target.exists():
        return target
    settings.archive_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{sha}.{os.getpid()}.tmp")
    tmp.write_bytes(content)
    os.replace(tmp, target)
    return target


def raw_lock(settings: Settings, *, exclusive: bool, timeout: float | None = None):
    """Hold the raw landing lock; wait (with one message) while another holds it."""
    timeout = lock_timeout_seconds() if timeout is None else timeout
    return file_lock(
        settings.raw_lock_path,
        exclusive=exclusive,
        timeout=timeout,
        waiting="Kho dữ liệu thô đang bận (đang nhập hoặc xây dựng), đang chờ... / "
        "raw landing busy (an ingest or build is running), waiting...",
        gave_up=(
            f"Kho dữ liệu thô đang bận quá {timeout:.0f} giây; hãy thử lại sau.",
            f"The raw landing stayed busy for over {timeout:.0f} s; try again later.",
        ),
    )


def ensure_raw(settings: Settings) -> None:
    """Create the raw landing file and its tables if they do not exist."""
    settings.ensure_dirs()
    if pg.is_target():
        with pg.connect() as con, con.cursor() as cur:
            cur.execute("select pg_advisory_xact_lock(2331)")
            cur.execute(PG_RAW_DDL)
        return
    with raw_lock(settings, exclusive=True):
        con = connect(settings.raw_path, read_only=False)
        try:
            con.execute(RAW_DDL)
        finally:
            con.close()


def land(
    settings: Settings, versions: Iterable[SubmissionVersion], *, bulk: bool = False
) -> list[LandingResult]:
    """Archive and land submission versions, each in its own transaction.

    A version whose bytes were landed before (same SHA-256) is not landed
    again; its result says is_duplicate and carries the earlier status.
    bulk=True lands everything in one transaction (all or nothing), for
    generated data sets into an empty landing.
    """
    versions = list(versions)
    settings.ensure_dirs()
    for version in versions:
        archive(settings, version.content)
    if pg.is_target():
        return _land_pg(settings, versions)
    results: list[LandingResult] = []
    with raw_lock(settings, exclusive=True):
        con = connect(settings.raw_path, read_only=False)
        try:
            con.execute(RAW_DDL)
            if bulk:
                return _land_bulk(con, versions)
            for version in versions:
                results.append(_land_one(con, version))
        finally:
            con.close()
    return results


def _land_bulk(con: duckdb.DuckDBPyConnection, versions: list[SubmissionVersion]) -> list[LandingResult]:
    landed_at = _naive_utc(datetime.now(UTC))
    headers, indicators, incidents, results = [], [], [], []
    for version in versions:
        submission_id = submission_id_for(version.sha256)
        headers.append(_header_row(version, submission_id, landed_at))
        indicators.extend(_indicator_rows(version, submission_id))
        incidents.extend(_incident_rows(version, submission_id))
        results.append(
            LandingResult(
                submission_id, version.sha256, version.status, False, _naive_utc(version.received_at)
            )
        )
    con.execute("begin transaction")
    try:
        con.executemany("insert into raw.submissions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", headers)
        _insert_arrow(con, "indicator_values", indicators, INDICATOR_SCHEMA)
        _insert_arrow(con, "incident_counts", incidents, INCIDENT_SCHEMA)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return results


def _land_one(con: duckdb.DuckDBPyConnection, version: SubmissionVersion) -> LandingResult:
    sha = version.sha256
    existing = con.execute(
        "select submission_id, status, received_at from raw.submissions where file_sha256 = ?",
        [sha],
    ).fetchone()
    if existing:
        return LandingResult(existing[0], sha, existing[1], True, existing[2])
    submission_id = submission_id_for(sha)
    con.execute("begin transaction")
    try:
        con.execute(
            "insert into raw.submissions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _header_row(version, submission_id, _naive_utc(datetime.now(UTC))),
        )
        _pause_for_fault_test()
        _insert_arrow(con, "indicator_values", _indicator_rows(version, submission_id), INDICATOR_SCHEMA)
        _insert_arrow(con, "incident_counts", _incident_rows(version, submission_id), INCIDENT_SCHEMA)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return LandingResult(submission_id, sha, version.status, False, _naive_utc(version.received_at))


def _land_pg(settings: Settings, versions: list[SubmissionVersion]) -> list[LandingResult]:
    """Land into PostgreSQL: one transaction per version; an advisory lock
    serialises writers (several analysts may ingest at once)."""
    from psycopg2.extras import execute_values

    ensure_raw(settings)
    results = []
    con = pg.connect()
    try:
        for version in versions:
            sha = version.sha256
            with con, con.cursor() as cur:
                cur.execute("select pg_advisory_xact_lock(2331)")
                cur.execute(
                    "select submission_id, status, received_at from raw.submissions where file_sha256 = %s",
                    [sha],
                )
                existing = cur.fetchone()
                if existing:
                    results.append(LandingResult(existing[0], sha, existing[1], True, existing[2]))
                    continue
                submission_id = submission_id_for(sha)
                cur.execute(
                    "insert into raw.submissions values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    _header_row(version, submission_id, _naive_utc(datetime.now(UTC))),
                )
                _pause_for_fault_test()
                for table, rows in (
                    ("indicator_values", _indicator_rows(version, submission_id)),
                    ("incident_counts", _incident_rows(version, submission_id)),
                ):
                    if rows:
                        execute_values(
                            cur, f"insert into raw.{table} values %s", [tuple(row.values()) for row in rows]
                        )
                received_at = _naive_utc(version.received_at)
                results.append(LandingResult(submission_id, sha, version.status, False, received_at))
    finally:
        con.close()
    return results


REPORT_COLUMNS = (
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
)


def record_report(settings: Settings, record: dict) -> None:
    """Append one generated document's record (append-only, like all of raw)."""
    settings.ensure_dirs()
    row = [record.get(column) for column in REPORT_COLUMNS]
    if pg.is_target():
        ensure_raw(settings)
        with pg.connect() as con, con.cursor() as cur:
            cur.execute(f"insert into raw.generated_reports values ({', '.join(['%s'] * len(row))})", row)
        return
    with raw_lock(settings, exclusive=True):
        con = connect(settings.raw_path, read_only=False)
        try:
            con.execute(RAW_DDL)
            con.execute(f"insert into raw.generated_reports values ({', '.join(['?'] * len(row))})", row)
        finally:
            con.close()


def _pause_for_fault_test() -> None:
    """Fault injection for the kill-mid-ingest test: sleep inside the open
    transaction when NETSAFE_FAULT_PAUSE_SECONDS is set."""
    pause = os.environ.get("NETSAFE_FAULT_PAUSE_SECONDS")
    if pause:
        print("landing: paused inside a transaction", file=sys.stderr, flush=True)
        time.sleep(float(pause))


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def snapshot_raw(settings: Settings, destination: Path) -> None:
    """Copy the raw landing (with any WAL) for a build to attach, so a build
    never holds landing.duckdb open while intake writes."""
    ensure_raw(settings)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with raw_lock(settings, exclusive=False):
        for suffix in ("", ".wal"):
            stale = Path(str(destination) + suffix)
            if stale.exists():
                stale.unlink()
        shutil.copyfile(settings.raw_path, destination)
        wal = Path(str(settings.raw_path) + ".wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(destination) + ".wal"))


def read_raw(settings: Settings, sql: str, params: Sequence | None = None):
    """Run a read-only query on raw landing (briefly, under the shared lock);
    returns a pandas DataFrame."""
    if pg.is_target() or not settings.raw_path.exists():
        ensure_raw(settings)
    if pg.is_target():
        return pg.read(sql, params)
    with raw_lock(settings, exclusive=False):
        con = connect(settings.raw_path, read_only=True)
        try:
            return con.execute(sql, params or []).df()
        finally:
            con.close()
