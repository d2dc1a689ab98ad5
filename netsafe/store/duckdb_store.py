"""Raw landing and the served warehouse as DuckDB files (the default).

landing.duckdb is raw landing, written only here; a file lock serialises
writers (exclusive) against build snapshots and listings (shared), and a
writer that finds it busy waits with a message instead of failing. A build
snapshots it, builds into a new file and publishes with os.replace only if
every test passes; readers open the served file read-only for one query.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from netsafe import dates
from netsafe.contract import INCIDENT_STAGES, LandingResult, SubmissionVersion
from netsafe.dbfiles import connect
from netsafe.errors import WarehouseMissing
from netsafe.locks import file_lock
from netsafe.settings import Settings, lock_timeout_seconds
from netsafe.store import base
from netsafe.store.base import BuildBasis, BuildPlan, Store

DDL = base.RAW_DDL.format(numeric="decimal")
INDICATOR_SCHEMA = pa.schema(
    [
        ("submission_id", pa.string()),
        ("indicator_code", pa.string()),
        ("value", pa.decimal128(20, 2)),
        ("note", pa.string()),
    ]
)
INCIDENT_SCHEMA = pa.schema(
    [("submission_id", pa.string()), ("area_code", pa.string()), ("violation_type_code", pa.string())]
    + [(stage, pa.int64()) for stage in INCIDENT_STAGES]
)
PART_SCHEMA = pa.schema([("submission_id", pa.string()), ("part", pa.string())])
NARRATIVE_SCHEMA = pa.schema(
    [
        ("submission_id", pa.string()),
        ("section", pa.string()),
        ("task_number", pa.int32()),
        ("body", pa.string()),
    ]
)
INSERT_SUBMISSION = "insert into raw.submissions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


_ENSURED: set[Path] = set()


class DuckDbStore(Store):
    def raw_lock(self, *, exclusive: bool, timeout: float | None = None):
        """Hold the raw landing lock; wait (with one message) while another holds it."""
        timeout = lock_timeout_seconds() if timeout is None else timeout
        return file_lock(
            self.settings.raw_lock_path,
            exclusive=exclusive,
            timeout=timeout,
            waiting="Kho dữ liệu thô đang bận (đang nhập hoặc xây dựng), đang chờ... / "
            "raw landing busy (an ingest or build is running), waiting...",
            gave_up=(
                f"Kho dữ liệu thô đang bận quá {timeout:.0f} giây; hãy thử lại sau.",
                f"The raw landing stayed busy for over {timeout:.0f} s; try again later.",
            ),
        )

    def _write(self, work):
        """Run work(con) on raw landing under the exclusive lock."""
        self.settings.ensure_dirs()
        with self.raw_lock(exclusive=True):
            con = connect(self.settings.raw_path, read_only=False)
            try:
                con.execute(DDL)
                con.execute(base.BACKFILL_PARTS_SQL)
                return work(con)
            finally:
                con.close()

    def ensure_raw(self) -> None:
        self._write(lambda con: None)

    def _land(self, versions: list[SubmissionVersion], *, bulk: bool) -> list[LandingResult]:
        if bulk:
            return self._write(lambda con: _land_bulk(con, versions))
        return self._write(lambda con: [_land_one(con, version) for version in versions])

    def _append(self, table: str, rows: list[list]) -> None:
        placeholders = ", ".join(["?"] * len(rows[0]))
        columns = ", ".join(base.RECORD_TABLES[table])
        sql = f"insert into raw.{table} ({columns}) values ({placeholders})"
        self._write(lambda con: _in_transaction(con, lambda: con.executemany(sql, rows)))

    def _ensure_raw_once(self) -> None:
        """A landing created by an older netsafe gains its new tables once per
        process (a build worker's life included), not on every read or build."""
        if not self.settings.raw_path.exists() or self.settings.raw_path not in _ENSURED:
            self.ensure_raw()
            _ENSURED.add(self.settings.raw_path)

    def read_raw(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        self._ensure_raw_once()
        with self.raw_lock(exclusive=False):
            con = connect(self.settings.raw_path, read_only=True)
            try:
                return con.execute(sql, params or []).df()
            finally:
                con.close()

    def snapshot_raw(self, destination: Path) -> None:
        """Copy raw landing (with any WAL) for a build to attach, so a build
        never holds landing.duckdb open while intake writes."""
        self._ensure_raw_once()
        destination.parent.mkdir(parents=True, exist_ok=True)
        with self.raw_lock(exclusive=False):
            remove_db(destination)
            shutil.copyfile(self.settings.raw_path, destination)
            wal = Path(str(self.settings.raw_path) + ".wal")
            if wal.exists():
                shutil.copyfile(wal, Path(str(destination) + ".wal"))

    # -- served warehouse --------------------------------------------------
    def query(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        path = self.settings.warehouse_path
        if not path.exists():
            raise WarehouseMissing(
                f"Chưa có kho dữ liệu tại {path}; hãy chạy `netsafe build`.",
                f"No warehouse at {path}; run `netsafe build` first.",
            )
        con = connect(path, read_only=True, timeout=10.0)
        try:
            return con.execute(sql, list(params or [])).df()
        finally:
            con.close()

    @contextlib.contextmanager
    def reading(self):
        path = self.settings.warehouse_path
        if not path.exists():
            self.query("select 1")  # the clear "no warehouse yet" error
        # one read-only connection: the file it opened stays that build's file
        # even if a newer build is published (os.replace) meanwhile
        con = connect(path, read_only=True, timeout=10.0)
        try:
            yield lambda sql, params=None: con.execute(sql, list(params or [])).df()
        finally:
            con.close()

    def warehouse_exists(self) -> bool:
        return self.settings.warehouse_path.exists()

    def warehouse_version(self) -> tuple | None:
        """A build publishes a new file (os.replace: a new inode)."""
        path = self.settings.warehouse_path
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        return (str(path), stat.st_ino, stat.st_mtime_ns)

    # -- builds ------------------------------------------------------------
    def _snapshot_for_build(self) -> Path:
        snapshot = self.settings.build_dir / "raw_snapshot.duckdb"
        self.snapshot_raw(snapshot)
        return snapshot

    def plan_build(self, *, full_refresh: bool, fingerprint: str, previous: BuildBasis) -> BuildPlan:
        """Build into a new file; it starts as a copy of the served one (so the
        large facts build incrementally) unless the project changed."""
        snapshot = self._snapshot_for_build()
        counts = _raw_counts(snapshot)
        new_path = build_output_path(self.settings)
        remove_db(new_path)
        incremental = not full_refresh and self.warehouse_exists() and previous.fingerprint == fingerprint
        args: list[str] = []
        if incremental:
            shutil.copyfile(self.settings.warehouse_path, new_path)
            args = _incremental_selection(counts, previous)
        return BuildPlan(
            env=_build_env(new_path, snapshot),
            args=args,
            publish=lambda: os.replace(new_path, self.settings.warehouse_path),
            discard=lambda: remove_db(new_path),
            incremental=incremental,
            raw_counts=counts,
            inspect=lambda sql: _inspect(new_path, snapshot, sql),
        )

    def plan_as_of(self, as_of: datetime) -> tuple[BuildPlan, Settings]:
        snapshot = self._snapshot_for_build()
        past = self.settings.as_of_settings(as_of)
        past.data_dir.mkdir(parents=True, exist_ok=True)
        new_path = past.warehouse_path
        remove_db(new_path)
        plan = BuildPlan(
            env=_build_env(new_path, snapshot),
            args=[
                "--vars",
                json.dumps({"as_of": as_of.isoformat(sep=" ")}),
                "--exclude",
                "resource_type:test",
            ],
            publish=lambda: None,
            discard=lambda: remove_db(new_path),
            inspect=lambda sql: _inspect(new_path, snapshot, sql),
        )
        return plan, past


def build_output_path(settings: Settings) -> Path:
    """The file a build writes before it is published: always the same path,
    so dbt's profile (and its partial parse) is the same from build to build."""
    return settings.build_dir / "warehouse.new.duckdb"


def _raw_counts(snapshot: Path) -> dict[str, int]:
    """Rows per raw table in the snapshot a build reads."""
    con = connect(snapshot, read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
            ).fetchall()
        ]
        return {table: con.execute(f'select count(*) from raw."{table}"').fetchone()[0] for table in tables}
    finally:
        con.close()


def _incremental_selection(counts: dict[str, int], previous: BuildBasis) -> list[str]:
    """dbt's selection for a build that starts from a copy of the served file.

    Seeds, the SQL under unit test, every model fed by seeds alone (and their
    tests) and every view (its definition) are unchanged (same fingerprint)
    and already in the copied file; only the tables fed by raw tables that
    gained rows are rebuilt, and every test below those tables runs, those on
    views included. On a new day every raw-fed table is rebuilt: lateness is
    judged on the build's day. (No --exclude of seeds: dbt would drop with
    them every test that also reads a seed, such as a relationship.)"""
    # raw tables dbt does not read (the audit trail) feed nothing
    changed = sorted(
        table for table in previous.sources if previous.raw_counts.get(table) != counts.get(table)
    )
    same_day = previous.built_on == dates.today().isoformat()
    roots = [f"source:raw.{table}+" for table in changed] if same_day and changed else ["source:raw+"]
    kinds = ("resource_type:test", "config.materialized:table", "config.materialized:incremental")
    return ["--select", *(f"{root},{kind}" for root in roots for kind in kinds)]


def _inspect(built: Path, snapshot: Path, sql: str) -> list[tuple]:
    """A query on a build's output as dbt saw it (raw landing attached)."""
    con = connect(built, read_only=True)
    try:
        con.execute(f"attach '{snapshot}' as raw_landing (read_only)")
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _build_env(new_path: Path, snapshot: Path) -> dict[str, str]:
    return {
        "NETSAFE_TARGET": "duckdb",
        "NETSAFE_BUILD_PATH": str(new_path),
        "NETSAFE_RAW_PATH": str(snapshot),
    }


def remove_db(path: Path) -> None:
    """A DuckDB file and its write-ahead log, if there."""
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], schema: pa.Schema) -> None:
    if rows:
        con.register("incoming_rows", pa.Table.from_pylist(rows, schema=schema))
        con.execute(f"insert into raw.{table} select * from incoming_rows")
        con.unregister("incoming_rows")


def _in_transaction(con: duckdb.DuckDBPyConnection, work) -> None:
    con.execute("begin transaction")
    try:
        work()
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _land_bulk(con: duckdb.DuckDBPyConnection, versions: list[SubmissionVersion]) -> list[LandingResult]:
    start = dates.now()
    headers, parts, indicators, incidents, narratives = [], [], [], [], []
    for position, version in enumerate(versions):
        # landing order is list order, as if each had landed on its own; a
        # simulated history (the demo) brings its own moments, never later than now
        landed_at = base.landing_moment(version, bulk=True, now=start) + timedelta(microseconds=position)
        headers.append(base.header_row(version, version.submission_id, landed_at))
        parts.extend(base.part_rows(version, version.submission_id))
        indicators.extend(base.indicator_rows(version, version.submission_id))
        incidents.extend(base.incident_rows(version, version.submission_id))
        narratives.extend(base.narrative_rows(version, version.submission_id))

    def work() -> None:
        con.executemany(INSERT_SUBMISSION, headers)
        _insert_arrow(con, "submission_parts", parts, PART_SCHEMA)
        _insert_arrow(con, "indicator_values", indicators, INDICATOR_SCHEMA)
        _insert_arrow(con, "incident_counts", incidents, INCIDENT_SCHEMA)
        _insert_arrow(con, "narratives", narratives, NARRATIVE_SCHEMA)

    _in_transaction(con, work)
    return [base.landed(version) for version in versions]


def _land_one(con: duckdb.DuckDBPyConnection, version: SubmissionVersion) -> LandingResult:
    sha = version.sha256
    existing = con.execute(base.FIND_BY_HASH_SQL, [sha]).fetchone()
    if existing:
        return base.land_again(lambda sql, params: con.execute(sql, params).fetchone(), sha, existing)
    submission_id = version.submission_id

    def work() -> None:
        con.execute(INSERT_SUBMISSION, base.header_row(version, submission_id, dates.now()))
        base.pause_for_fault_test()
        _insert_arrow(con, "submission_parts", base.part_rows(version, submission_id), PART_SCHEMA)
        _insert_arrow(con, "indicator_values", base.indicator_rows(version, submission_id), INDICATOR_SCHEMA)
        _insert_arrow(con, "incident_counts", base.incident_rows(version, submission_id), INCIDENT_SCHEMA)
        _insert_arrow(con, "narratives", base.narrative_rows(version, submission_id), NARRATIVE_SCHEMA)

    _in_transaction(con, work)
    return base.landed(version)
