"""Raw landing and the served warehouse in PostgreSQL (NETSAFE_TARGET=postgres).

Connection settings come from the same NETSAFE_PG_* variables profiles.yml
reads. Least privilege: with NETSAFE_PG_READER_USER set, the marts are read
with a role that can only read them (the dashboard's queries); with
NETSAFE_PG_INTAKE_USER set, raw landing is read and appended to with a role
that can only select and insert there. The owner (NETSAFE_PG_USER) keeps the
schema (DDL) and runs dbt; `netsafe grant-roles` grants the two roles.
Writers take an advisory lock (several analysts may ingest at once);
dbt builds in place, each table swapped in by a rename inside a transaction,
so readers never see a half-built table.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import psycopg2

from netsafe.contract import LandingResult, SubmissionVersion
from netsafe.errors import NetsafeError
from netsafe.settings import Settings
from netsafe.store import base
from netsafe.store.base import BuildBasis, BuildPlan, Store

DDL = base.RAW_DDL.format(numeric="numeric")
WRITER_LOCK = 2331  # the letter's number


# purpose -> the variables naming its restricted role (the owner's otherwise)
ROLE_VARIABLES = {
    "reader": ("NETSAFE_PG_READER_USER", "NETSAFE_PG_READER_PASSWORD"),
    "intake": ("NETSAFE_PG_INTAKE_USER", "NETSAFE_PG_INTAKE_PASSWORD"),
}


def connection_params(purpose: str = "owner") -> dict:
    params = {
        "host": os.environ.get("NETSAFE_PG_HOST", "127.0.0.1"),
        "port": int(os.environ.get("NETSAFE_PG_PORT", "5432")),
        "user": os.environ.get("NETSAFE_PG_USER", "netsafe"),
        "password": os.environ.get("NETSAFE_PG_PASSWORD", ""),
        "dbname": os.environ.get("NETSAFE_PG_DATABASE", "netsafe"),
    }
    if is_restricted(purpose):
        user_variable, password_variable = ROLE_VARIABLES[purpose]
        params["user"] = os.environ[user_variable]
        params["password"] = os.environ.get(password_variable, "")
    return params


def is_restricted(purpose: str) -> bool:
    return purpose in ROLE_VARIABLES and bool(os.environ.get(ROLE_VARIABLES[purpose][0]))


def grant_statements(reader: str, intake: str) -> list[str]:
    """Least privilege for the two restricted roles, run by the owner: the
    reader may only read the marts; intake may only read and append to raw
    (no update, no delete, nothing else). Default privileges carry the grants
    to the tables every dbt build creates."""
    for name in (reader, intake):
        if not name.replace("_", "").isalnum():
            raise NetsafeError(f"Tên vai trò không hợp lệ: {name!r}.", f"Invalid role name: {name!r}.")
    return [
        "create schema if not exists marts",
        f"grant usage on schema marts to {reader}",
        f"grant select on all tables in schema marts to {reader}",
        f"alter default privileges in schema marts grant select on tables to {reader}",
        f"grant usage on schema raw to {intake}",
        f"grant select, insert on all tables in schema raw to {intake}",
        f"alter default privileges in schema raw grant select, insert on tables to {intake}",
    ]


class PostgresStore(Store):
    def _connect(self, purpose: str = "owner"):
        return psycopg2.connect(**connection_params(purpose))

    def grant_roles(self, reader: str, intake: str) -> None:
        """Create raw landing if needed, then grant the restricted roles (as owner)."""
        self.ensure_raw()
        con = self._connect()
        try:
            with con, con.cursor() as cur:
                for statement in grant_statements(reader, intake):
                    cur.execute(statement)
        finally:
            con.close()

    def _read(self, sql: str, params: Sequence | None, purpose: str = "reader") -> pd.DataFrame:
        """One read query (DuckDB-style ? placeholders accepted)."""
        con = self._connect(purpose)
        try:
            return _frame(con, sql, params)
        finally:
            con.close()

    @contextlib.contextmanager
    def reading(self):
        """One read-only, repeatable-read transaction: every query sees the
        warehouse as it was when the first one ran."""
        con = self._connect("reader")
        try:
            con.set_session(isolation_level="REPEATABLE READ", readonly=True)
            yield lambda sql, params=None: _frame(con, sql, params)
        finally:
            con.rollback()
            con.close()

    def _write(self, work, purpose: str = "intake") -> None:
        """Run work(cursor) in one transaction holding the writers' lock. The
        restricted intake role only appends: the owner keeps the schema."""
        con = self._connect(purpose)
        try:
            with con, con.cursor() as cur:
                cur.execute("select pg_advisory_xact_lock(%s)", [WRITER_LOCK])
                if not is_restricted(purpose):
                    cur.execute(DDL)
                    cur.execute(base.BACKFILL_PARTS_SQL)
                work(cur)
        finally:
            con.close()

    def ensure_raw(self) -> None:
        self._write(lambda cur: None, purpose="owner")

    def _land(self, versions: list[SubmissionVersion], *, bulk: bool) -> list[LandingResult]:
        results: list[LandingResult] = []
        for version in versions:
            self._write(lambda cur, version=version: results.append(_land_one(cur, version, bulk=bulk)))
        return results

    def _append(self, table: str, rows: list[list]) -> None:
        placeholders = ", ".join(["%s"] * len(rows[0]))
        columns = ", ".join(base.RECORD_TABLES[table])
        # one transaction (_write): all rows land, or none
        self._write(
            lambda cur: cur.executemany(f"insert into raw.{table} ({columns}) values ({placeholders})", rows)
        )

    def read_raw(self, sql: str, params: Sequence | None = None) -> pd.DataFrame:
        if not is_restricted("intake"):
            self.ensure_raw()
        return self._read(sql, params, purpose="intake")

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

    def plan_build(self, *, full_refresh: bool, fingerprint: str, previous: BuildBasis) -> BuildPlan:
        """Build in place; the incremental models (facts by slice, roll-ups and
        marts by period) start again from nothing when asked to or when the
        project changed since the last build, as on DuckDB."""
        self.ensure_raw()
        restart = full_refresh or previous.fingerprint != fingerprint
        return BuildPlan(
            env={"NETSAFE_TARGET": "postgres"},
            args=["--target", "postgres", *(["--full-refresh"] if restart else [])],
            incremental=not restart,
            publish=lambda: None,
            discard=lambda: None,
            inspect=self._rows,
        )

    def _rows(self, sql: str) -> list[tuple]:
        con = self._connect()
        try:
            with con.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        finally:
            con.close()

    def plan_as_of(self, as_of: datetime) -> tuple[BuildPlan, Settings]:
        raise NetsafeError(
            "Văn bản mang một ngày đã qua (hoặc --as-of) cần dựng lại kho như đã biết vào ngày đó; việc "
            "này hiện chỉ có trên kho DuckDB. Trên PostgreSQL, hãy lập văn bản mang ngày hôm nay.",
            "A document dated in the past (or --as-of) needs the warehouse rebuilt as known that day, "
            "available on the DuckDB target only. On PostgreSQL, date the document today.",
        )


NUMERIC_OID, DATE_OID = 1700, 1082


def _frame(con, sql: str, params: Sequence | None) -> pd.DataFrame:
    with con.cursor() as cur:
        cur.execute(sql.replace("?", "%s"), list(params or []))
        frame = pd.DataFrame(cur.fetchall(), columns=[column.name for column in cur.description])
        return _typed_like_duckdb(frame, [column.type_code for column in cur.description])


def _typed_like_duckdb(frame: pd.DataFrame, type_codes: list[int]) -> pd.DataFrame:
    """Numeric columns as floats and dates as datetimes, as DuckDB hands them
    over: psycopg2 gives Decimal and date objects, which charts take for
    categories ("I don't know how to infer vegalite type from 'decimal'")."""
    for column, type_code in zip(list(frame.columns), type_codes, strict=True):
        if type_code == NUMERIC_OID:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif type_code == DATE_OID:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def _land_one(cur, version: SubmissionVersion, *, bulk: bool = False) -> LandingResult:
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
        base.header_row(version, submission_id, base.landing_moment(version, bulk=bulk)),
    )
    base.pause_for_fault_test()
    for table, rows in (
        ("submission_parts", base.part_rows(version, submission_id)),
        ("indicator_values", base.indicator_rows(version, submission_id)),
        ("incident_counts", base.incident_rows(version, submission_id)),
        ("narratives", base.narrative_rows(version, submission_id)),
    ):
        if rows:
            execute_values(cur, f"insert into raw.{table} values %s", [tuple(row.values()) for row in rows])
    return base.landed(version)
