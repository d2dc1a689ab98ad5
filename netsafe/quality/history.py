"""The history of quality runs, in its own DuckDB file (quality.duckdb),
written only by `netsafe check` and read read-only by the dashboard."""

from __future__ import annotations

import pandas as pd

from netsafe.dbfiles import connect
from netsafe.settings import Settings

DDL = """
create table if not exists quality_runs (
    run_id varchar primary key,
    started_at timestamp not null,
    finished_at timestamp not null,
    period_code varchar,
    expectations_total integer,
    expectations_failed integer,
    rule_errors integer,
    rule_warnings integer,
    outliers integer,
    dbt_tests_total integer,
    dbt_tests_failed integer,
    status varchar not null,
    docs_path varchar
);
create table if not exists quality_results (
    run_id varchar not null,
    check_kind varchar not null,
    check_name varchar not null,
    target varchar,
    severity varchar not null,
    success boolean not null,
    failed_count bigint,
    agency_code varchar,
    subject_code varchar,
    period_code varchar,
    observed varchar,
    expected varchar,
    message_vi varchar,
    message_en varchar
);
alter table quality_runs add column if not exists contradictions integer;
"""
RUN_COLUMNS = (
    "run_id",
    "started_at",
    "finished_at",
    "period_code",
    "expectations_total",
    "expectations_failed",
    "rule_errors",
    "rule_warnings",
    "outliers",
    "contradictions",
    "dbt_tests_total",
    "dbt_tests_failed",
    "status",
    "docs_path",
)


def record(settings: Settings, run: dict, results: pd.DataFrame) -> None:
    con = connect(settings.quality_history_path, read_only=False)
    try:
        con.execute(DDL)
        con.execute("begin transaction")
        con.execute(
            f"insert into quality_runs ({', '.join(RUN_COLUMNS)}) "
            f"values ({', '.join('?' for _ in RUN_COLUMNS)})",
            [run.get(column) for column in RUN_COLUMNS],
        )
        if not results.empty:
            con.register("incoming_results", results)
            con.execute("insert into quality_results by name select * from incoming_results")
            con.unregister("incoming_results")
        con.execute("commit")
    finally:
        con.close()


def read(settings: Settings, sql: str, params: list | None = None) -> pd.DataFrame:
    """Read the history read-only and briefly; empty frame when there is none."""
    if not settings.quality_history_path.exists():
        return pd.DataFrame()
    con = connect(settings.quality_history_path, read_only=True, timeout=10.0)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()
