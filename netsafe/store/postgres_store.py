"""Raw landing and the served warehouse in PostgreSQL (NETSAFE_TARGET=postgres).

Connection settings come from the same NETSAFE_PG_* variables profiles.yml
reads. Writers take an advisory lock (several analysts may ingest at once);
dbt builds in place, each table swapped in by a rename inside a transaction,
so readers never see a half-built table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import psycopg2

from netsafe.contract import LandingResult, SubmissionVersion
from netsafe.errors import NetsafeError
from netsafe.settings import Settings
from netsafe.store import base
from netsafe.store.base import BuildPlan, Store

DDL = base.RAW_DDL.format(numeric="numeric")
WRITER_LOCK = 2331  # the letter's number


def connection_params() -> dict:
    return {
        "host": os.environ.get("NETSAFE_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("NETSAFE_PG_PORT", "5432")),
        "user": os.environ.get("NETSAFE_PG_USER", "netsafe"),
        "password": os.environ.get("NETSAFE_PG_PASSWORD", ""),
        "dbname": os.environ.get("NETSAFE_PG_DATABASE", "netsafe"),
    }


class PostgresStore(Store):
    def _connect(self):
        return psycopg2.connect(**connection_params())

    def _read(self, sql: str, params: Sequence | None) -> pd.DataFrame:
        """One read query (DuckDB-style ? placeholders accepted)."""
        con = self._connect()
        try:
            with con.cursor() as cur:
                cur.execute(sql.replace("?", "%s"), list(params or []))
                columns = [column.name for column in cur.description]
                return pd.DataFrame(cur.fetchall(), columns=columns)
        finally:
            con.close()

    def _write(self, work) -> None:
        """Run work(cursor) in one transaction holding the writers' lock."""
        con = self._connect()
        try:
            with con, con.cursor() as cur:
                cur.execute("select pg_advisory_xact_lock(%s)", [WRITER_LOCK])
                cur.execute(DDL)
                cur.execute(base.BACKFILL_PARTS_SQL)
                work(cur)
        finally:
            con.close()

    def ensure_raw(self) -> None:
        self._write(lambda cur: None)

    def _land(self, versions: list[SubmissionVersion], *, bulk: bool) -> list[LandingResult]:
        results: list[LandingResult] = []
        for version in versions:
            self._write(lambda cur, version=version: results.append(_land_one(cur, version)))
        return results

    def _append(self, table: str, row: list) -> None:
        placeholders = ", ".join(["%s"] * len(row))
        columns = ", ".join(base.RECORD_TABLES[table])
        self._write(
            lambda cur: cur.execute(f"insert into raw.{table} ({columns}) values ({placeholders})", row)
        )

    def read_raw(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        self.ensure_raw()
        return self._read(sql, params)

    def query(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        return self._read(sql, params)

    def warehouse_exists(self) -> bool:
        return not self._read(
            "select 1 from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'dim_periods'",
            None,
        ).empty

    def warehouse_version(self) -> tuple | None:
        """Tables change in place: readers refresh by their cache's TTL."""
        return ("postgres", 0, 0)

    def plan_build(
        self, *, full_refresh: bool, fingerprint: str, previous_fingerprint: str | None
    ) -> BuildPlan:
        self.ensure_raw()
        return BuildPlan(
            env={"NETSAFE_TARGET": "postgres"},
            args=["--target", "postgres"],
            publish=lambda: None,
            discard=lambda: None,
        )

    def plan_as_of(self, as_of: datetime) -> tuple[BuildPlan, Settings]:
        raise NetsafeError(
            "Tái tạo theo thời điểm (--as-of) chỉ có trên kho DuckDB.",
            "Rebuilding as of a moment (--as-of) is available on the DuckDB target only.",
        )


def _land_one(cur, version: SubmissionVersion) -> LandingResult:
    from psycopg2.extras import execute_values

    sha = version.sha256
    cur.execute(base.FIND_BY_HASH_SQL.replace("?", "%s"), [sha])
    existing = cur.fetchone()
    if existing:

        def run(sql, params):
            cur.execute(sql.replace("?", "%s"), params)
            return cur.fetchone() if cur.description else None

        return base.land_again(run, sha, existing)
    submission_id = version.submission_id
    cur.execute(
        "insert into raw.submissions values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        base.header_row(version, submission_id, base.now_utc()),
    )
    base.pause_for_fault_test()
    for table, rows in (
        ("submission_parts", base.part_rows(version, submission_id)),
        ("indicator_values", base.indicator_rows(version, submission_id)),
        ("incident_counts", base.incident_rows(version, submission_id)),
    ):
        if rows:
            execute_values(cur, f"insert into raw.{table} values %s", [tuple(row.values()) for row in rows])
    return base.landed(version)
