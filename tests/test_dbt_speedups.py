"""netsafe/dbt_speedups.py puts the ephemeral models' CTEs into a node's SQL
without parsing it: on every node of the project, and on the shapes of SQL
it leaves to dbt, it must give what dbt gives, character for character.
It also builds dbt's log events only for a reader: a build prints and logs
the same events as with dbt's own, and an event nobody reads is not built."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from types import SimpleNamespace

import dbt.compilation
import pytest

from netsafe import build, dbt_speedups
from netsafe.settings import PROJECT_DIR

# runs `dbt compile` with dbt's own function, recording what each call was given
RECORDER = """
import json, sys
import dbt.compilation
from dbt.cli.main import dbtRunner

calls = []
original = dbt.compilation.inject_ctes_into_sql

def recording(sql, ctes):
    calls.append({"sql": sql, "ctes": [cte.sql for cte in ctes]})
    return original(sql, ctes)

dbt.compilation.inject_ctes_into_sql = recording
result = dbtRunner().invoke(["compile", "--no-use-colors", "--quiet"])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump({"success": result.success, "calls": calls}, out)
"""

CTES = [" __dbt__cte__a as (\nselect 1 as x\n)", " __dbt__cte__b as (\nselect x from __dbt__cte__a\n)"]


@pytest.fixture()
def dbt_own(monkeypatch):
    """dbt's own function, put behind the fast path with a count of the SQL
    the fast path hands it (the function itself, for comparing with)."""
    # install() may have replaced dbt's in this process: its original then
    own = dbt_speedups._original or dbt.compilation.inject_ctes_into_sql
    handed: list[str] = []

    def counting(sql, ctes):
        handed.append(sql)
        return own(sql, ctes)

    monkeypatch.setattr(dbt_speedups, "_original", counting)
    return SimpleNamespace(function=own, handed=handed)


def both(sql: str, ctes: list[str], own) -> tuple[str, str]:
    """The fast path's result and dbt's own, for the same SQL and CTEs."""
    injected = [SimpleNamespace(sql=cte) for cte in ctes]
    return dbt_speedups.inject_ctes_into_sql(sql, injected), own.function(sql, injected)


def test_every_node_of_the_project_gets_what_dbt_gives_it(empty_warehouse, tmp_path, dbt_own):
    built = tmp_path / "compiled.duckdb"
    shutil.copyfile(empty_warehouse.warehouse_path, built)
    env = build.dbt_env(
        empty_warehouse,
        DBT_TARGET_PATH=str(tmp_path / "target"),
        DBT_LOG_PATH=str(tmp_path / "logs"),
        NETSAFE_BUILD_PATH=str(built),
        NETSAFE_RAW_PATH=str(empty_warehouse.raw_path),
    )
    recorded = tmp_path / "calls.json"
    done = subprocess.run(
        [sys.executable, "-c", RECORDER, str(recorded)],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(recorded.read_text(encoding="utf-8"))
    assert outcome["success"]
    calls = [call for call in outcome["calls"] if call["ctes"]]
    # the models and checks that read an ephemeral model, and the ephemerals that read another
    assert len(calls) >= 25, len(calls)
    for call in calls:
        fast, own = both(call["sql"], call["ctes"], dbt_own)
        assert fast == own, call["sql"][:300]
    # none of them was left to dbt's parse: the time is saved on every one
    assert dbt_own.handed == []


@pytest.mark.parametrize(
    "sql",
    [
        # what the fast path splices
        "\n-- the model\n-- depends_on: x\nwith\n\nsource as (select 1 as x)\n\nselect * from source",
        "--x\r\nWITH a as (select 1) select * from a",
        "with -- the node's own\n  a as (select 1) select * from a",
        "\n\n\nselect count(*) as failing_rows from __dbt__cte__a where x is null",
        "-- a comment first\nselect 1 as x",
        "  select 1 as x",
        # what it leaves to dbt
        "with recursive t as (select 1 as n) select * from t",
        "with\n  RECURSIVE t as (select 1 as n) select * from t",
        "/* a block comment */ with a as (select 1) select * from a",
        "select 1 as x; select 2 as y",
        "with a as (select 1); select * from a",
        "select percentile_cont(0.5) within group (order by x) from __dbt__cte__a",
        "with(a) as (select 1) select * from a",
        "# not a comment here\nwith a as (select 1) select * from a",
        "select 'with' as word",
    ],
)
def test_each_shape_of_sql_gets_what_dbt_gives_it(sql, dbt_own):
    for ctes in (CTES, CTES[:1]):
        fast, own = both(sql, ctes, dbt_own)
        assert fast == own


def test_no_ctes_leave_the_sql_as_it_is(dbt_own):
    sql = "with a as (select 1) select * from a"
    assert dbt_speedups.inject_ctes_into_sql(sql, []) is sql
    assert dbt_own.handed == []


# one dbt command, with dbt's own events ("dbt") or with netsafe's ("netsafe")
DBT_EITHER_WAY = """
import sys
if sys.argv[1] == "netsafe":
    from netsafe import dbt_speedups
    dbt_speedups.install()
from dbt.cli.main import cli
sys.argv = ["dbt", *sys.argv[2:]]
cli()
"""


def test_a_build_prints_and_logs_the_same_events_either_way(empty_warehouse, tmp_path):
    printed, logged = {}, {}
    for way in ("dbt", "netsafe"):
        built = tmp_path / f"{way}.duckdb"
        shutil.copyfile(empty_warehouse.warehouse_path, built)
        logs = tmp_path / way / "logs"
        env = build.dbt_env(
            empty_warehouse,
            DBT_TARGET_PATH=str(tmp_path / way / "target"),
            DBT_LOG_PATH=str(logs),
            # a debug log asked for: it must still get every event
            DBT_LOG_LEVEL_FILE="debug",
            DBT_LOG_FORMAT_FILE="json",
            NETSAFE_BUILD_PATH=str(built),
            NETSAFE_RAW_PATH=str(empty_warehouse.raw_path),
        )
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                DBT_EITHER_WAY,
                way,
                "build",
                "--select",
                "+dim_violation_types",
                "--threads",
                "1",
                "--no-use-colors",
            ],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        # the same lines but for the clock and the seconds each node took
        printed[way] = [
            re.sub(
                r"\d+\.\d+s|\d+(\.\d+)? seconds", "t", line[9:] if re.match(r"\d\d:\d\d:\d\d", line) else line
            )
            for line in done.stdout.splitlines()
        ]
        events = [json.loads(line) for line in (logs / "dbt.log").read_text(encoding="utf-8").splitlines()]
        logged[way] = Counter((event["info"]["name"], event["info"]["level"]) for event in events)
    assert printed["netsafe"] == printed["dbt"]
    assert any("PASS" in line for line in printed["netsafe"])
    assert logged["netsafe"] == logged["dbt"]
    # the events a build's own log leaves out are in the debug log asked for
    assert logged["netsafe"][("SQLQuery", "debug")] > 5


def test_an_event_no_logger_writes_and_no_callback_sees_is_never_built():
    from dbt.adapters.events.types import SQLQuery
    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events.base_types import EventLevel
    from dbt_common.events.event_manager import EventManager
    from dbt_common.events.logger import LoggerConfig

    dbt_speedups.install()
    manager = EventManager()
    printed = io.StringIO()
    manager.add_logger(LoggerConfig(name="netsafe-test", level=EventLevel.INFO, output_stream=printed))
    manager.add_callback(track_behavior_change_warn)

    unread = SQLQuery(conn_name="model.x", sql="select 1 as unread", node_info={})
    manager.fire_event(unread)
    assert "pb_msg" not in vars(unread)
    assert printed.getvalue() == ""
    # the same event at a level the logger writes is built and printed
    manager.fire_event(unread, level=EventLevel.INFO)
    assert "pb_msg" in vars(unread)
    assert "On model.x: select 1 as unread" in printed.getvalue()
    # a callback of anyone's sees every event, debug ones too
    seen = []
    manager.add_callback(seen.append)
    manager.fire_event(SQLQuery(conn_name="model.x", sql="select 2 as seen", node_info={}))
    assert [message.data.sql for message in seen] == ["select 2 as seen"]


def test_who_hears_an_event():
    from dbt.tracking import track_behavior_change_warn

    def manager(*levels, callbacks=(track_behavior_change_warn,)):
        return SimpleNamespace(
            loggers=[SimpleNamespace(level=level) for level in levels], callbacks=list(callbacks)
        )

    assert dbt_speedups.unheard(manager("info"), "debug")
    assert not dbt_speedups.unheard(manager("info", "debug"), "debug")
    assert not dbt_speedups.unheard(manager("info"), "info")
    # a logger at error still prints a print event (dbt promotes it): info is heard
    assert not dbt_speedups.unheard(manager("error"), "info")
    assert dbt_speedups.unheard(manager(), "info")
    # warnings and errors always go through (dbt may raise on them)
    assert not dbt_speedups.unheard(manager(), "warn")
    assert not dbt_speedups.unheard(manager(), "error")
    assert not dbt_speedups.unheard(manager(callbacks=[print]), "debug")
