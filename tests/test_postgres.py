"""The same models on PostgreSQL: a throwaway cluster on a local port, raw
landing written into it by the landing module, `dbt build --target postgres`
with every test, and the marts agreeing with DuckDB's."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from netsafe import build, demo, warehouse
from netsafe.settings import Settings
from netsafe.store import open_store
from tests.conftest import dbt_unit_tests

INITDB = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
pytestmark = pytest.mark.skipif(not INITDB, reason="Debian postgresql is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    bin_dir = Path(INITDB[-1]).parent
    root = tmp_path_factory.mktemp("pg")
    data, log = root / "data", root / "pg.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        os.chmod(root, 0o755)
        for parent in root.parents:
            if str(parent).startswith(tempfile_root()):
                os.chmod(parent, os.stat(parent).st_mode | 0o755)
    port = free_port()
    subprocess.run(
        _as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {root}",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    try:
        env = {
            "NETSAFE_PG_HOST": "127.0.0.1",
            "NETSAFE_PG_PORT": str(port),
            "NETSAFE_PG_USER": "postgres",
            "NETSAFE_PG_PASSWORD": "",
            "NETSAFE_PG_DATABASE": "postgres",
        }
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if (
                subprocess.run(
                    ["pg_isready", "-h", "127.0.0.1", "-p", str(port)], capture_output=True
                ).returncode
                == 0
            ):
                break
            time.sleep(0.3)
        yield env
    finally:
        subprocess.run(
            _as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"), capture_output=True
        )


def tempfile_root() -> str:
    import tempfile

    return tempfile.gettempdir()


def test_models_build_and_pass_their_tests_on_postgres(postgres, demo_warehouse, tmp_path, monkeypatch):
    versions = demo.build_versions(demo_warehouse, date_until())
    # what an intake batch checks its files against, from a DuckDB landing of these versions
    on_duckdb = Settings(data_dir=tmp_path / "duckdb-data")
    open_store(on_duckdb).land(versions)
    reports = sorted({(v.agency_code, v.period_code) for v in versions if v.status == "accepted"})
    in_use_on_duckdb = open_store(on_duckdb).reports_in_use(reports)
    assert len(in_use_on_duckdb) == len(reports)
    for key, value in postgres.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NETSAFE_TARGET", "postgres")
    settings = Settings(data_dir=tmp_path / "pg-data")
    # Intake lands into PostgreSQL when that target is chosen: the same demo versions.
    results = open_store(settings).land(versions)
    assert len(results) == len(versions) and not any(r.is_duplicate for r in results)
    again = open_store(settings).land(versions[:3])
    assert all(r.is_duplicate for r in again)
    # ... and from PostgreSQL landing, the same versions: the same answer
    assert open_store(settings).reports_in_use(reports) == in_use_on_duckdb
    outcome = build.build(settings, quiet=True)
    # every test of the project ran (a full build on PostgreSQL), and passed
    manifest = json.loads((settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert outcome.tests_total == len(tests) > 70
    assert outcome.tests_passed + outcome.counts.get("test:warn", 0) == outcome.tests_total
    # the unit tests, which builds leave out, pass on PostgreSQL's SQL too (its date arithmetic)
    code, results = dbt_unit_tests(settings)
    unit = [item["status"] for item in results if item["unique_id"].startswith("unit_test.")]
    assert code == 0 and len(unit) >= 2 and set(unit) == {"pass"}
    pg_summary = warehouse.query(
        settings,
        "select period_code, violation_type_code, detected, handled from marts.rpt_violation_summary "
        "order by period_code, violation_type_code",
    )
    # rpt_outliers' history statistics are computed two ways (macros/outlier_history.sql):
    # the same flagged values, ranges and statistics on both engines
    pg_outliers = outlier_rows(settings)
    # the dashboard reads whichever target is configured
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(
        str(Path(__file__).resolve().parent.parent / "dashboards" / "streamlit_app.py"), default_timeout=60
    )
    app.run()
    assert not app.exception
    app.selectbox(key="period_code").set_value("2024-Q3").run()
    shown = next(m.value for m in app.metric if m.label == "Vụ phát hiện")
    expected = pg_summary[pg_summary.period_code == "2024-Q3"].detected.sum()
    assert shown == f"{int(expected):,}".replace(",", ".")
    # the report reads its figures in one repeatable-read snapshot of PostgreSQL
    from netsafe.report import generate

    report = generate.generate(settings, "2024-Q3", generate.default_options())
    assert report.docx_path.exists() and report.xlsx_path.exists()
    assert report.figures.violations.detected.sum() == expected

    # incremental by slice and by period on PostgreSQL too: a new period and a police correction
    # of an old quarter, built in place, equal a rebuild from nothing
    from tests.factories import period_changes

    open_store(settings).land(period_changes())
    marts = ["fct_incident_counts", "rpt_area_incidents", "rpt_outliers", "rpt_violation_summary"]

    def read_marts():
        def rows(name):
            frame = warehouse.query(settings, f"select * from marts.{name}").astype(str)
            return frame.sort_values(list(frame.columns)).reset_index(drop=True)

        return {name: rows(name) for name in marts}

    assert build.build(settings, quiet=True).incremental
    incremental = read_marts()
    assert not build.build(settings, quiet=True, full_refresh=True).incremental
    for name, frame in read_marts().items():
        assert frame.equals(incremental[name]), name
    assert "2026-Q4" in set(incremental["rpt_area_incidents"].period_code)
    monkeypatch.setenv("NETSAFE_TARGET", "duckdb")
    duck_summary = warehouse.query(
        demo_warehouse,
        "select period_code, violation_type_code, detected, handled from marts.rpt_violation_summary "
        "order by period_code, violation_type_code",
    )
    assert len(pg_summary) == len(duck_summary) > 100
    assert pg_summary.astype(str).values.tolist() == duck_summary.astype(str).values.tolist()
    duck_outliers = outlier_rows(demo_warehouse)
    assert len(duck_outliers) > 10
    assert pg_outliers == duck_outliers


def outlier_rows(settings: Settings) -> list[tuple]:
    """rpt_outliers in one order, its numbers as floats to 4 places (PostgreSQL's
    median is a double precision, DuckDB's a decimal)."""
    frame = warehouse.query(
        settings,
        "select series_kind, subject_code, measure_code, period_code, method, direction, "
        "observed_value, expected_low, expected_high, history_count, history_median, history_mad, score "
        "from marts.rpt_outliers order by series_kind, subject_code, measure_code, period_code",
    )

    def number(value):
        return None if value is None or value != value else round(float(value), 4)

    return [
        tuple(row[:6]) + tuple(number(value) for value in row[6:])
        for row in frame.astype(object).itertuples(index=False, name=None)
    ]


def date_until():
    from tests.conftest import DEMO_UNTIL

    return DEMO_UNTIL


def test_least_privilege_roles_on_postgres(postgres, demo_warehouse, tmp_path, monkeypatch):
    """The dashboard reads the marts with a role that can only read them;
    intake appends to raw with a role that can do nothing else."""
    import psycopg2

    from netsafe import services
    from netsafe.store.postgres_store import connection_params

    # the demo versions, read from the DuckDB demo warehouse before switching target
    versions = [v for v in demo.build_versions(demo_warehouse, date_until()) if v.period_code == "2024-Q3"]
    for key, value in postgres.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NETSAFE_TARGET", "postgres")
    owner = psycopg2.connect(**connection_params())
    owner.autocommit = True
    with owner.cursor() as cur:
        cur.execute("create database netsafe_roles")
        for role in ("netsafe_reader", "netsafe_intake"):
            cur.execute(f"create role {role} login")
    owner.close()
    monkeypatch.setenv("NETSAFE_PG_DATABASE", "netsafe_roles")
    settings = Settings(data_dir=tmp_path / "roles-data")
    services.grant_database_roles(settings, "netsafe_reader", "netsafe_intake")
    monkeypatch.setenv("NETSAFE_PG_INTAKE_USER", "netsafe_intake")
    monkeypatch.setenv("NETSAFE_PG_READER_USER", "netsafe_reader")
    results = open_store(settings).land(versions)  # as netsafe_intake
    assert len(results) == len(versions) > 10
    build.build(settings, quiet=True)  # dbt as the owner
    detected = warehouse.scalar(  # as netsafe_reader
        settings, "select sum(detected) from marts.rpt_violation_summary where period_code = '2024-Q3'"
    )
    assert detected > 0

    def denied(purpose: str, statement: str) -> bool:
        con = psycopg2.connect(**connection_params(purpose))
        try:
            with con.cursor() as cur:
                cur.execute(statement)
            con.commit()
            return False
        except psycopg2.errors.InsufficientPrivilege:
            return True
        finally:
            con.close()

    assert denied("reader", "delete from marts.rpt_violation_summary")
    assert denied(
        "reader", "insert into raw.submission_events values ('e', 's', 'withdrawn', 'x', 'y', now())"
    )
    assert denied("reader", "create table marts.anything (x int)")
    assert denied("reader", "select count(*) from raw.submissions")
    assert denied("intake", "delete from raw.submissions")
    assert denied("intake", "update raw.incident_counts set detected = 0")
    assert denied("intake", "select count(*) from marts.rpt_violation_summary")
    assert not denied("intake", "select count(*) from raw.submissions")
