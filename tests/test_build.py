"""Building and publishing the warehouse."""

import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest

from netsafe import build, dates, services, warehouse
from netsafe.contract import IndicatorValue
from netsafe.errors import BuildFailed
from netsafe.store import open_store
from tests.conftest import dbt_unit_tests
from tests.factories import accepted_version, period_changes


def test_empty_raw_landing_builds_every_mart(empty_warehouse):
    tables = set(
        warehouse.query(
            empty_warehouse,
            "select table_name from information_schema.tables where table_schema = 'marts'",
        ).table_name
    )
    expected = {
        "dim_agencies",
        "dim_areas",
        "dim_violation_types",
        "dim_indicators",
        "dim_tasks",
        "dim_periods",
        "fct_submissions",
        "fct_indicator_values",
        "fct_incident_counts",
        "rpt_agency_compliance",
        "rpt_violation_summary",
        "rpt_area_incidents",
        "rpt_indicator_summary",
    }
    assert expected <= tables
    assert warehouse.scalar(empty_warehouse, "select count(*) from marts.fct_submissions") == 0
    result = build.last_build(empty_warehouse)
    # every data test of the project ran, and passed
    manifest_path = empty_warehouse.build_dir / "target" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tests = [node for node in manifest["nodes"].values() if node["resource_type"] == "test"]
    assert len(tests) > 70
    assert result.tests_total == len(tests) and result.tests_passed == result.tests_total
    # ... and no unit test: those run in `make test` (below), where the SQL changes
    ran = [item["unique_id"] for item in build.run_results(empty_warehouse)]
    assert not [uid for uid in ran if uid.startswith("unit_test.")]


def test_the_unit_tests_pass(demo_warehouse_copy):
    """The unit tests warehouse builds leave out (the period calendar on fixed
    seeds), run on their own against a built warehouse."""
    settings = demo_warehouse_copy
    code, results = dbt_unit_tests(
        settings,
        NETSAFE_TARGET="duckdb",
        NETSAFE_BUILD_PATH=str(settings.warehouse_path),
        NETSAFE_RAW_PATH=str(settings.raw_path),
    )
    assert code == 0, (settings.build_dir / "dbt_unit_tests.log").read_text(encoding="utf-8")[-3000:]
    manifest = json.loads((settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    declared = set(manifest["unit_tests"])
    ran = {
        item["unique_id"]: item["status"] for item in results if item["unique_id"].startswith("unit_test.")
    }
    assert set(ran) == declared and len(declared) >= 2
    assert set(ran.values()) == {"pass"}


def test_a_failed_build_leaves_the_served_warehouse_unchanged(fresh_settings):
    build.build(fresh_settings, quiet=True)
    before = fresh_settings.warehouse_path.stat().st_ino
    # An accepted submission naming an indicator that does not exist breaks a
    # foreign-key rule (column_rules): the build must fail and publish nothing.
    open_store(fresh_settings).land(
        [
            accepted_version(
                "BT_POLICE", "2024-Q3", datetime(2024, 9, 1), IndicatorValue("NO_SUCH_INDICATOR", 1)
            )
        ],
    )
    with pytest.raises(BuildFailed) as error:
        build.build(fresh_settings, quiet=True)
    # the check's failing rows, in words: the model, the column, the rule, how many rows
    assert (
        "- fct_indicator_values, cột / column indicator_code: không có trong bảng được tham chiếu"
        " / not found in the table it refers to (1 dòng / rows)" in error.value.vi.splitlines()
    ), error.value.vi
    assert fresh_settings.warehouse_path.stat().st_ino == before
    assert warehouse.scalar(fresh_settings, "select count(*) from marts.fct_submissions") == 0


READER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, stop_file = sys.argv[1], sys.argv[2]
    import os
    answers, errors = set(), 0
    while not os.path.exists(stop_file):
        try:
            con = duckdb.connect(path, read_only=True)
            n = con.execute(
                "select count(*) from marts.fct_submissions s "
                "join marts.rpt_agency_compliance c using (agency_code, period_code)"
            ).fetchone()[0]
            con.close()
            answers.add(n)
        except Exception as exc:
            errors += 1
            print("ERROR", exc, file=sys.stderr)
        time.sleep(0.01)
    print(len(answers), errors, sorted(answers))
    """
)


@pytest.mark.slow
def test_readers_keep_working_while_a_build_runs(demo_warehouse, tmp_path):
    """A real reader process loops over the served warehouse while a build
    publishes a new one: it never fails and never sees a half-built file."""
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(demo_warehouse.warehouse_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        build.build(demo_warehouse, quiet=True)
    finally:
        stop.write_text("stop")
        out, err = reader.communicate(timeout=60)
    distinct, errors, _ = out.split(" ", 2)
    assert int(errors) == 0, err
    # the same data rebuilt gives the same answer every time
    assert int(distinct) == 1


def below_raw(settings, tables: set[str] | None = None) -> dict[str, int]:
    """From dbt's manifest: how many models and tests lie downstream of raw
    landing (or of the given raw tables)."""
    manifest = json.loads((settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    children, seen = manifest["child_map"], set()
    todo = [
        key
        for key, source in manifest["sources"].items()
        if source["source_name"] == "raw" and (tables is None or source["name"] in tables)
    ]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    kinds = [manifest["nodes"][key]["resource_type"] for key in seen if key in manifest["nodes"]]
    return {"model": kinds.count("model"), "test": kinds.count("test")}


def test_an_incremental_build_equals_a_full_rebuild(demo_warehouse_copy):
    """New and re-submitted agency × period slices replace their old rows and
    nothing else changes: every table and view (facts, reporting marts,
    dimensions) equals that of a rebuild from scratch."""
    from netsafe.contract import PARTS

    settings = demo_warehouse_copy
    build.build(settings, quiet=True)  # the copy has no build dir: dbt's manifest names the raw sources
    open_store(settings).land(
        [
            # a new period's report, and the police correcting an old quarter
            *period_changes(),
            # a newer whole report with no incident rows at all: the old rows must go
            accepted_version(
                "BT_PC_LA_GI",
                "2024-Q3",
                datetime(2024, 9, 30),
                IndicatorValue("PROPAGANDA_SESSIONS", 9),
                parts=PARTS,
            ),
        ],
    )
    # and a withdrawal: the marts fall back to the version before it
    police_2025 = warehouse.scalar(
        settings,
        "select submission_id from marts.fct_submissions where agency_code = 'LD_POLICE' "
        "and period_code = '2025-Q4' and is_latest order by version_number desc limit 1",
    )
    services.withdraw_submission(settings, police_2025, "Nhập nhầm", actor="steward@dic", rebuild=False)
    incremental = build.build(settings, quiet=True)
    assert incremental.incremental
    # an incremental build rebuilds only the tables raw data feeds, but runs every test below raw
    # only what the raw tables that gained rows feed is rebuilt (the views kept), every test below them runs
    changed = {"submissions", "submission_parts", "indicator_values", "incident_counts", "submission_events"}
    below, below_all = below_raw(settings, changed), below_raw(settings)
    assert 0 < incremental.counts.get("model:success", 0) < below["model"] < below_all["model"]
    assert incremental.tests_total == below["test"] < below_all["test"]

    def relations():
        """Every table and view of the served warehouse, every row, in a fixed order."""
        names = warehouse.query(
            settings,
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by all",
        )
        return {
            f"{schema}.{name}": warehouse.query(settings, f'select * from "{schema}"."{name}" order by all')
            for schema, name in names.itertuples(index=False)
        }

    after_incremental = relations()
    la_gi = after_incremental["marts.fct_incident_counts"]
    assert la_gi[(la_gi.agency_code == "BT_PC_LA_GI") & (la_gi.period_code == "2024-Q3")].empty
    assert "2026-Q4" in set(after_incremental["marts.rpt_violation_summary"].period_code)
    full = build.build(settings, quiet=True, full_refresh=True)
    assert not full.incremental
    after_full = relations()
    assert after_full.keys() == after_incremental.keys()
    assert len(after_full) > 40
    for relation, frame in after_full.items():
        assert frame.equals(after_incremental[relation]), relation


def test_merged_checks_fail_on_what_they_guard(demo_warehouse_copy, tmp_path):
    """column_rules checks in one dbt node what a test per rule and column
    did: it still fails on a duplicate key, a null key, a duplicated
    alternate key, a null, a value outside the accepted ones, text not in
    NFC, a value not found in the table it refers to and a negative count
    in any one of its columns, naming the rule and the column (and passes on
    the demo data)."""
    import shutil
    import unicodedata

    import duckdb

    settings = demo_warehouse_copy
    build.build(settings, quiet=True)
    manifest = json.loads((settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    compiled = settings.build_dir / "target" / "compiled"

    def check(model: str, rule: str) -> tuple[str, dict]:
        """The compiled column_rules test of the model that holds the rule."""
        node = next(
            node
            for node in manifest["nodes"].values()
            if node["resource_type"] == "test"
            and node.get("test_metadata", {}).get("name") == "column_rules"
            and node["attached_node"] == f"model.netsafe.{model}"
            and node["test_metadata"]["kwargs"].get(rule)
        )
        sql = next(compiled.rglob(Path(node["path"]).name)).read_text(encoding="utf-8")
        return sql, node["test_metadata"]["kwargs"]

    def failing_rows(sql: str, change: str) -> list:
        copy = tmp_path / "checked.duckdb"
        shutil.copyfile(settings.warehouse_path, copy)
        con = duckdb.connect()
        con.execute(f"attach '{copy}' as warehouse")
        if change:
            con.execute(change)
        rows = con.execute(sql).fetchall()
        con.close()
        return rows

    def one_row(table: str, assignment: str) -> str:
        return f"update {table} set {assignment} where rowid = (select min(rowid) from {table})"

    key_sql, arguments = check("rpt_period_summary", "primary_key")
    assert arguments["primary_key"] == ["period_code"]
    table = "warehouse.marts.rpt_period_summary"
    assert failing_rows(key_sql, "") == []
    duplicate = f"insert into {table} select * from {table} limit 1"
    assert failing_rows(key_sql, duplicate) == [("primary_key", "period_code", 1)]
    assert failing_rows(key_sql, one_row(table, "period_code = null")) == [("primary_key", "period_code", 1)]

    # an alternate key (unique) and a not-null rule on the same column
    versions_sql, arguments = check("stg_raw__submissions", "unique")
    assert ["file_sha256"] in arguments["unique"]
    table = "warehouse.staging.stg_raw__submissions"
    assert failing_rows(versions_sql, "") == []
    same_file = one_row(table, f"file_sha256 = (select max(file_sha256) from {table})")
    assert failing_rows(versions_sql, same_file) == [("unique", "file_sha256", 1)]

    rules_sql, arguments = check("rpt_agency_compliance", "not_null")
    table = "warehouse.marts.rpt_agency_compliance"
    assert failing_rows(rules_sql, "") == []
    assert len(arguments["not_null"]) >= 3
    for column in arguments["not_null"]:
        assert failing_rows(rules_sql, one_row(table, f"{column} = null")) == [("not_null", column, 1)]
    for column in arguments["accepted_values"]:
        assert failing_rows(rules_sql, one_row(table, f"{column} = 'khong_hop_le'")) == [
            ("accepted_values", column, 1)
        ]
    linked = [link["column"] for link in arguments["references"]]
    assert {"agency_code", "period_code"} <= set(linked)
    for column in linked:
        orphan = one_row(table, f"{column} = 'KHONG_CO'")
        assert failing_rows(rules_sql, orphan) == [("references", column, 1)]

    # a reference with a condition: only the rows it selects must be found
    submissions_sql, arguments = check("fct_submissions", "references")
    assert {link["column"] for link in arguments["references"] if link.get("where")} == {
        "agency_code",
        "period_code",
    }
    table = "warehouse.marts.fct_submissions"
    assert failing_rows(submissions_sql, "") == []
    for status, found in (("accepted", [("references", "agency_code", 1)]), ("rejected", [])):
        unknown = one_row(table, f"agency_code = 'KHONG_CO', submission_status = '{status}'")
        assert failing_rows(submissions_sql, unknown) == found

    rules_sql, arguments = check("fct_narratives", "is_nfc")
    assert arguments["is_nfc"] == ["narrative_text"]
    decomposed = unicodedata.normalize("NFD", "Kiến nghị bổ sung")
    assert failing_rows(rules_sql, "") == []
    not_nfc = one_row("warehouse.marts.fct_narratives", f"narrative_text = '{decomposed}'")
    assert failing_rows(rules_sql, not_nfc) == [("is_nfc", "narrative_text", 1)]

    negative_sql, arguments = check("fct_incident_counts", "not_negative")
    node_config = next(
        node["config"]
        for node in manifest["nodes"].values()
        if node.get("test_metadata", {}).get("kwargs", {}).get("not_negative") == arguments["not_negative"]
        and node["attached_node"] == "model.netsafe.fct_incident_counts"
    )
    assert node_config["severity"].lower() == "warn"
    stages = arguments["not_negative"]
    assert {"detected", "handled"} <= set(stages)
    table = "warehouse.marts.fct_incident_counts"
    assert failing_rows(negative_sql, "") == []
    for column in stages:
        assert failing_rows(negative_sql, one_row(table, f"{column} = -1")) == [("not_negative", column, 1)]


def test_an_incremental_build_selects_what_the_changed_raw_tables_feed():
    """Same day: only what raw tables that gained rows feed (tables not read
    by dbt ignored); a new day, or nothing known: everything raw feeds."""
    from datetime import timedelta

    from netsafe.store.base import BuildBasis
    from netsafe.store.duckdb_store import _incremental_selection

    sources = frozenset({"submissions", "incident_counts", "registry_agencies"})
    before = {"submissions": 10, "incident_counts": 90, "registry_agencies": 3, "audit_log": 5}
    now = {**before, "submissions": 11, "incident_counts": 95, "audit_log": 9}
    today = BuildBasis(raw_counts=before, built_on=dates.today().isoformat(), sources=sources)
    selection = _incremental_selection(now, today)
    assert "source:raw.submissions+,config.materialized:table" in selection
    assert "source:raw.incident_counts+,resource_type:test" in selection
    assert not any("registry_agencies" in item or "audit_log" in item for item in selection)
    yesterday = BuildBasis(
        raw_counts=before, built_on=(dates.today() - timedelta(days=1)).isoformat(), sources=sources
    )
    assert "source:raw+,config.materialized:table" in _incremental_selection(now, yesterday)
    assert "source:raw+,resource_type:test" in _incremental_selection(before, today)  # nothing new
    assert "source:raw+,resource_type:test" in _incremental_selection(now, BuildBasis())


def test_duckdb_materializations_refuse_what_they_do_not_build(empty_warehouse, tmp_path):
    """On DuckDB, tables, incremental models and data tests run through the
    project's own materializations (macros/materializations/: one `create or
    replace table`; for an increment, a check of its columns and one insert;
    a test's query without a transaction). A model or test that asks for what
    they leave out (persisted docs, a unique key, stored failures), or whose
    columns no longer match its table (on_schema_change: fail), stops the
    build by name instead of being built without it."""
    import shutil

    from netsafe.settings import PROJECT_DIR

    project = tmp_path / "project"
    project.mkdir()
    for part in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / part, project / part)
    for part in ("models", "macros", "seeds", "tests/dbt"):
        shutil.copytree(PROJECT_DIR / part, project / part)

    def edit(path: str, change) -> None:
        model = project / "models" / path
        model.write_text(change(model.read_text(encoding="utf-8")), encoding="utf-8")

    edit("marts/core/dim_tasks.sql", lambda sql: "{{ config(persist_docs={'relation': true}) }}\n" + sql)
    edit(
        "marts/reporting/rpt_agency_incidents.sql",
        lambda sql: "{{ config(unique_key='agency_code') }}\n" + sql,
    )
    edit(
        "marts/reporting/rpt_violation_by_source.sql",
        lambda sql: sql.replace(
            "select * from final", "select * exclude (handled), 1 as added_column from final"
        ),
    )
    models = ["dim_tasks", "rpt_agency_incidents", "rpt_violation_by_source"]

    def run(project_dir: Path, label: str, command: list[str]) -> tuple[int, str]:
        """A dbt command on a copy of a built warehouse (seeds loaded, the
        incremental tables there, so they take their incremental path).
        The copy is named by `label`, never by the project's folder: DuckDB names the
        database after the file, and a clone in a folder called `main` would make
        it `main`, a name DuckDB resolves to its own schema first."""
        built = tmp_path / f"{label}.duckdb"
        shutil.copyfile(empty_warehouse.warehouse_path, built)
        env = build.dbt_env(
            empty_warehouse,
            DBT_PROJECT_DIR=str(project_dir),
            DBT_PROFILES_DIR=str(project_dir),
            DBT_TARGET_PATH=str(tmp_path / f"target_{label}"),
            DBT_LOG_PATH=str(tmp_path / f"logs_{label}"),
            NETSAFE_SEED_DIR="seeds",
            NETSAFE_BUILD_PATH=str(built),
            NETSAFE_RAW_PATH=str(empty_warehouse.raw_path),
        )
        done = subprocess.run(
            [*build.dbt_command(), *command, "--no-use-colors"],
            cwd=project_dir,
            env=env,
            capture_output=True,
            text=True,
        )
        return done.returncode, done.stdout

    code, output = run(project, "refused", ["run", "--select", *models])
    assert code != 0
    assert "does not build persist_docs: model.netsafe.dim_tasks" in output
    assert "does not build unique_key: model.netsafe.rpt_agency_incidents" in output
    assert "the columns of model.netsafe.rpt_violation_by_source differ from its table" in output
    # both ways: a column the table lacks, and one the model no longer yields
    assert "rebuild it with --full-refresh): added_column, handled" in output
    code, output = run(project, "refused", ["test", "--select", "dim_tasks", "--store-failures"])
    assert code != 0
    assert "does not store failures: test.netsafe.column_rules_dim_tasks" in output
    # the same models as the project has them build, the increments by their
    # insert, and their tests run and pass
    code, output = run(PROJECT_DIR, "plain", ["build", "--select", *models])
    assert code == 0, output
    assert output.count(" OK created sql ") == 3, output
    assert output.count(" PASS column_rules_") >= 3, output
