"""Benchmarks (`make bench`): what growth costs, measured side by side in one
run on this machine (the figures the targets compare: median of BENCH_REPEATS
runs, default 3), written to bench/results/bench_<scale>.json and
bench/results/summary.md.

For each scale factor (BENCH_SCALES, default 1,10,100; `netsafe demo
--scale N` copies of the province): row counts; the full dbt build's wall
time and peak memory, and its wall time without a single check; the nodes
each build ran; the same compiled SQL run by DuckDB alone in one process;
dbt's start-up on a no-op build; ingest throughput and the time from a
received file to its figures being served; the rebuild after adding one new
period; dashboard query latency (p50/p95 per data-access function,
uncached); report generation time; readers' latency while a build runs.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import date
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from netsafe import build, dates, demo, scale, services, warehouse, worker
from netsafe.contract import INCIDENT_CSV_HEADER, INDICATOR_CSV_HEADER
from netsafe.intake import ingest
from netsafe.intake import reference as reference_module
from netsafe.report import generate
from netsafe.settings import PROJECT_DIR, Settings
from netsafe.store import duckdb_store, open_store

RESULTS = PROJECT_DIR / "bench" / "results"
UNTIL = date(2026, 10, 1)
NEW_PERIOD = "2026-Q4"
# The figures the targets compare (full build, no-op, engine-only, the
# add-period build) are the median of this many runs, taken in turn: on a
# shared machine one run of the same code moves by more than a second.
REPEATS = max(1, int(os.environ.get("BENCH_REPEATS", "3")))


def timed(func, *args, **kwargs):
    started = time.perf_counter()
    value = func(*args, **kwargs)
    return time.perf_counter() - started, value


def run_dbt(
    settings: Settings, args: list[str], build_path: Path, snapshot: Path
) -> tuple[float, float, int]:
    """Run dbt as a child; wall seconds, peak RSS (MiB) of that process, exit code."""
    env = build.dbt_env(
        settings, NETSAFE_TARGET="duckdb", NETSAFE_BUILD_PATH=str(build_path), NETSAFE_RAW_PATH=str(snapshot)
    )
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*build.dbt_command(), *args, "--no-use-colors"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def engine_only(settings: Settings, snapshot: Path, built: Path, compiled_for: Path, compiled: dict) -> float:
    """Execute the compiled models (`compiled`: the manifest of a `dbt compile`)
    in dependency order in one DuckDB process, and write them to its file."""
    models = {
        uid: node
        for uid, node in compiled["nodes"].items()
        if node["resource_type"] == "model" and node.get("compiled_code")
    }
    order, seen = [], set()

    def visit(uid):
        if uid in seen or uid not in models:
            return
        seen.add(uid)
        for parent in models[uid]["depends_on"]["nodes"]:
            visit(parent)
        # an ephemeral model is a CTE inside the compiled SQL of those that read it
        if models[uid]["config"]["materialized"] != "ephemeral":
            order.append(uid)

    for uid in sorted(models):
        visit(uid)
    # compiled SQL names the database by the file it was compiled for
    target = settings.build_dir / "engine" / compiled_for.name
    target.parent.mkdir(parents=True, exist_ok=True)
    duckdb_store.remove_db(target)
    con = duckdb.connect(str(target))
    con.execute(f"attach '{snapshot}' as raw_landing (read_only)")
    con.execute(f"attach '{built}' as built (read_only)")
    con.execute("create schema if not exists reference")
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where database_name = 'built' and schema_name = 'reference'"
    ).fetchall():
        con.execute(f'create table reference."{table}" as select * from built.reference."{table}"')
    con.execute("detach built")
    started = time.perf_counter()
    for uid in order:
        node = models[uid]
        con.execute(f'create schema if not exists "{node["schema"]}"')
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        con.execute(
            f'create or replace {kind} "{node["schema"]}"."{node["alias"]}" as {node["compiled_code"]}'
        )
    # closing writes the tables to the file (DuckDB's last checkpoint), as the
    # end of a dbt build does: a warehouse is built once it is on disk
    con.close()
    return time.perf_counter() - started


def nodes_by_kind(results: list[dict]) -> dict[str, int]:
    """The nodes a dbt run ran, by kind (model, test, seed, ...), from its run results."""
    counts: dict[str, int] = {}
    for item in results:
        kind = item["unique_id"].split(".", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


def row_counts(settings: Settings) -> dict:
    frame = warehouse.query(
        settings,
        """
        select (select count(*) from marts.dim_agencies) as agencies,
               (select count(*) from marts.dim_areas) as areas,
               (select count(*) from marts.fct_submissions) as submissions,
               (select count(*) from marts.fct_incident_counts) as incident_rows,
               (select count(*) from marts.fct_indicator_values) as indicator_rows,
               (select count(*) from marts.rpt_area_incidents) as area_mart_rows
        """,
    )
    return {key: int(value) for key, value in frame.iloc[0].items()}


def new_period_files(settings: Settings) -> list[tuple[str, bytes]]:
    """CSV files from every agency expected for NEW_PERIOD (indicators and incidents)."""
    ref = reference_module.load(settings)
    files = []
    for agency in ref.expected_agencies(NEW_PERIOD):
        lines = [",".join(INDICATOR_CSV_HEADER)]
        # derived indicators are computed from the incident rows, never sent
        lines += [f"{agency},{NEW_PERIOD},{ind.code},3" for ind in ref.asked_indicators_for(agency)]
        files.append((f"{agency}_chi_tieu.csv", "\n".join(lines).encode()))
        areas = ref.areas_for(agency, NEW_PERIOD)
        if areas:
            police = ref.obligations[(agency, NEW_PERIOD)].reports_prosecutions
            lines = [",".join(INCIDENT_CSV_HEADER)]
            for area in areas:
                for violation in ref.violation_types:
                    lines.append(
                        f"{agency},{NEW_PERIOD},{area.code},{violation},2,1,0,1,{'0' if police else ''}"
                    )
            files.append((f"{agency}_vu_viec.csv", "\n".join(lines).encode()))
    return files


def dashboard_latency(settings: Settings, repeats: int = 15) -> dict:
    os.environ["NETSAFE_DATA_DIR"] = str(settings.data_dir)
    from dashboards import queries  # the dashboard's data-access module

    queries.query = lambda sql, params=(): warehouse.query(settings, sql, list(params))  # uncached
    period = warehouse.scalar(
        settings,
        "select max(period_code) from marts.rpt_violation_summary where report_type = 'quarterly'",
    )
    calls = {
        "periods_with_data": lambda: queries.periods_with_data(),
        "violation_summary": lambda: queries.violation_summary((period,)),
        "violation_trend": lambda: queries.violation_trend(),
        "area_incidents": lambda: queries.area_incidents(period),
        "area_by_type": lambda: queries.area_by_type(period, "FRAUD"),
        "agency_by_type": lambda: queries.agency_by_type(period, "FRAUD"),
        "period_compliance": lambda: queries.period_compliance(period),
        "compliance_trend": lambda: queries.compliance_trend(),
        "agency_compliance": lambda: queries.agency_compliance((period,)),
        "submission_history": lambda: services.list_submissions(settings, period),  # what it caches
        "validation_violations": lambda: queries.validation_violations(period),
        "outliers": lambda: queries.outliers(period),
    }
    results = {}
    for name, call in calls.items():
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[name] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        }
    return results


def readers_during_build(settings: Settings) -> dict:
    latencies, errors, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            started = time.perf_counter()
            try:
                warehouse.query(settings, "select count(*) from marts.fct_incident_counts")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(repr(exc))
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.01)

    thread = threading.Thread(target=reader)
    thread.start()
    build.build(settings, quiet=True)
    stop.set()
    thread.join()
    latencies.sort()
    return {
        "queries": len(latencies),
        "errors": len(errors),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
    }


PEAK_RSS = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, code)"
)


def hostile_ingest(settings: Settings) -> dict:
    """Peak memory and time of `netsafe ingest` on hostile workbooks, each in
    its own process: a zip bomb declaring 500 MB (refused before unpacking)
    and a template whose note cell holds 45 MB of one letter (under the
    unpacked limit, so read streaming, then refused for its length)."""
    from netsafe.intake import reference as reference_module
    from netsafe.intake import templates

    reference = reference_module.load(settings)
    agency = reference.expected_agencies(NEW_PERIOD)[0]
    buffer = io.BytesIO()
    templates.build_workbook(reference, agency, NEW_PERIOD).save(buffer)
    template = buffer.getvalue()

    def with_part(name: str, payload: bytes) -> bytes:
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(template)) as src,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
        ):
            for item in src.infolist():
                data = src.read(item.filename)
                if name == item.filename:
                    data = payload
                dst.writestr(item, data)
            if name not in src.namelist():
                dst.writestr(name, payload)
        return out.getvalue()

    # a note cell whose shared string is rewritten past Excel's own 32,767 limit
    workbook = load_workbook(io.BytesIO(template))
    workbook[templates.INDICATOR_SHEET]["F5"] = "BOMBNOTE"
    marked = io.BytesIO()
    workbook.save(marked)
    template = marked.getvalue()
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        part = next(name for name in archive.namelist() if b"BOMBNOTE" in archive.read(name))
        sheet = archive.read(part).replace(b"BOMBNOTE", b"a" * (45 * 1024 * 1024))
    cases = {
        "zip_bomb_500mb": with_part("xl/bomb.xml", b"a" * (500 * 1024 * 1024)),
        "note_45mb": with_part(part, sheet),
    }
    results = {}
    for name, content in cases.items():
        path = settings.build_dir / f"{name}.xlsx"
        path.write_bytes(content)
        env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir))
        command = [sys.executable, "-c", PEAK_RSS, sys.executable, "-m", "netsafe.cli", "ingest", str(path)]
        started = time.perf_counter()
        out = subprocess.run(command + ["--no-build"], env=env, capture_output=True, text=True, check=False)
        peak_mib, code = out.stdout.split()[-2:]
        results[name] = {
            "file_kib": len(content) // 1024,
            "seconds": round(time.perf_counter() - started, 2),
            "peak_rss_mib": int(peak_mib),
            "exit_code": int(code),
        }
    return results


def file_to_served_with_worker(settings: Settings, files, reference) -> tuple[float, int]:
    """The same correction, served by a running `netsafe worker` (dbt and its
    manifest kept warm): the best of three, after one that warms it; and how
    many dbt nodes (models and tests) such a build runs."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", "worker"],
        env=dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not worker.alive(settings):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the build worker did not start")
            time.sleep(0.1)
        timings, nodes = [], []
        for attempt in range(4):
            one = [
                (f"bo_sung_worker_{attempt}_{name}", content.replace(b",3", f",{6 + attempt}".encode()))
                for name, content in files[:1]
            ]
            started = time.perf_counter()
            ingest.ingest(settings, one, reference, channel="api")
            built = worker.request_build(settings, reason="bench")
            timings.append(time.perf_counter() - started)
            nodes.append(built.counts.get("model:success", 0) + built.tests_total)
        return round(min(timings[1:]), 2), nodes[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def bench_scale(n: int, root: Path) -> dict:
    settings = Settings(data_dir=root / f"scale_{n}")
    settings.ensure_dirs()
    result: dict = {"scale": n}
    if n > 1:
        scale.write_scaled_seeds(settings, n)
    build.build(settings, quiet=True)
    result["demo_generation_s"], _ = timed(demo.generate, settings, UNTIL)
    first_build_s, _ = timed(build.build, settings, quiet=True)
    result["rows"] = row_counts(settings)

    snapshot = settings.build_dir / "raw_snapshot.duckdb"
    open_store(settings).snapshot_raw(snapshot)
    scratch = settings.build_dir / "bench_build.duckdb"
    duckdb_store.remove_db(scratch)
    # dbt re-parses the whole project when the profile changes (this scratch
    # path is not the build's own): parse once first, so the full build and
    # the no-op below both start from a warm partial parse, as builds do
    _, _, code = run_dbt(settings, ["parse"], scratch, snapshot)
    assert code == 0, "dbt parse failed in the benchmark"
    compile_s, _, code = run_dbt(settings, ["compile", "--full-refresh"], scratch, snapshot)
    assert code == 0, "dbt compile failed in the benchmark"
    result["dbt_compile_s"] = round(compile_s, 2)
    # every model's SQL as a full build runs it (the builds below rewrite the manifest)
    compiled = json.loads((settings.build_dir / "target" / "manifest.json").read_text(encoding="utf-8"))
    # side by side: a full build from nothing, the no-op, the engine alone; in turn, REPEATS times
    # and the same build without a single check: the floor that cutting checks could reach
    samples: dict[str, list[float]] = {
        "full_build_s": [],
        "dbt_noop_startup_s": [],
        "engine_only_s": [],
        "full_build_no_checks_s": [],
    }
    peak_rss = 0.0
    for _ in range(REPEATS):
        duckdb_store.remove_db(scratch)
        wall, rss, code = run_dbt(settings, ["build"], scratch, snapshot)
        assert code == 0, "dbt build failed in the benchmark"
        samples["full_build_s"].append(wall)
        peak_rss = max(peak_rss, rss)
        result["full_build_nodes"] = nodes_by_kind(build.run_results(settings))
        noop, _, _ = run_dbt(settings, ["build", "--select", "tag:netsafe_bench_nothing"], scratch, snapshot)
        samples["dbt_noop_startup_s"].append(noop)
        samples["engine_only_s"].append(
            engine_only(settings, snapshot, settings.warehouse_path, scratch, compiled)
        )
        duckdb_store.remove_db(scratch)
        without_checks = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]
        bare, _, code = run_dbt(settings, without_checks, scratch, snapshot)
        assert code == 0, "dbt build without checks failed in the benchmark"
        samples["full_build_no_checks_s"].append(bare)
    for name, values in samples.items():
        result[name] = round(statistics.median(values), 2)
    result["samples"] = {name: [round(value, 2) for value in values] for name, values in samples.items()}
    result["full_build_peak_rss_mib"] = round(peak_rss, 1)
    result["netsafe_build_after_demo_s"] = round(first_build_s, 2)
    # what a build would take with dbt costing nothing but its start-up
    baseline = result["engine_only_s"] + result["dbt_noop_startup_s"]
    result["orchestration_ratio"] = round(result["full_build_s"] / baseline, 2)
    result["orchestration_ratio_no_checks"] = round(result["full_build_no_checks_s"] / baseline, 2)

    # the runs above used their own file, so dbt would parse the whole
    # project again on the next build; a build's own profile is the same
    # from build to build, so parse once with it (unmeasured)
    _, _, code = run_dbt(settings, ["parse"], duckdb_store.build_output_path(settings), snapshot)
    assert code == 0, "dbt parse failed in the benchmark"
    files = new_period_files(settings)
    reference = reference_module.load(settings)
    rows = sum(content.count(b"\n") for _, content in files)
    ingest_s, outcomes = timed(ingest.ingest, settings, files, reference, channel="api")
    assert all(outcome.status == "accepted" for outcome in outcomes), [o.problems for o in outcomes][:3]
    result["ingest_files"] = len(files)
    result["ingest_rows"] = rows
    result["ingest_rows_per_s"] = round(rows / ingest_s)
    # the same add-period build REPEATS times: the served warehouse and the
    # last build's record are put back before each, so each does the same work
    served = settings.warehouse_path.with_name("bench_served_before_period.duckdb")
    record = settings.last_build_path.with_name("bench_last_build_before_period.json")
    shutil.copyfile(settings.warehouse_path, served)
    shutil.copyfile(settings.last_build_path, record)
    rebuilds = []
    for attempt in range(REPEATS):
        if attempt:
            shutil.copyfile(served, settings.warehouse_path)
            shutil.copyfile(record, settings.last_build_path)
        seconds, rebuilt = timed(build.build, settings, quiet=True)
        assert rebuilt.incremental, "the add-period build did not start from the served warehouse"
        rebuilds.append(seconds)
    result["add_one_period_nodes"] = nodes_by_kind(build.run_results(settings))
    served.unlink()
    record.unlink()
    rebuild_s = statistics.median(rebuilds)
    result["samples"]["add_one_period_build_s"] = [round(value, 2) for value in rebuilds]
    result["add_one_period_s"] = round(ingest_s + rebuild_s, 2)
    result["add_one_period_build_s"] = round(rebuild_s, 2)
    result["add_one_period_incremental"] = rebuilt.incremental
    # the target compares variable parts: build time less dbt's fixed start-up
    result["add_one_period_vs_full_build"] = round(
        max(rebuild_s - result["dbt_noop_startup_s"], 0)
        / (result["full_build_s"] - result["dbt_noop_startup_s"]),
        2,
    )

    one = [
        (f"bo_sung_{name}", content.replace(b",3\n", b",4\n").replace(b",3", b",5"))
        for name, content in files[:1]
    ]
    started = time.perf_counter()
    ingest.ingest(settings, one, reference, channel="api")
    build.build(settings, quiet=True)
    result["file_to_served_s"] = round(time.perf_counter() - started, 2)
    result["file_to_served_worker_s"], result["file_to_served_nodes"] = file_to_served_with_worker(
        settings, files, reference
    )
    # what publishing by a whole copy of the served file costs (each incremental build makes one)
    result["served_file_mib"] = round(settings.warehouse_path.stat().st_size / 2**20, 1)
    copies = []
    for _ in range(3):
        started = time.perf_counter()
        shutil.copyfile(settings.warehouse_path, scratch)
        copies.append(time.perf_counter() - started)
    result["copy_served_s"] = round(min(copies), 3)

    result["dashboard_queries"] = dashboard_latency(settings)
    result["dashboard_p95_max_ms"] = max(v["p95_ms"] for v in result["dashboard_queries"].values())
    period = warehouse.scalar(
        settings,
        "select max(period_code) from marts.rpt_violation_summary where period_code < ?",
        [NEW_PERIOD],
    )
    # dated today: the served warehouse (a past date would rebuild it as of that day)
    options = generate.default_options(dates.today())
    # like the builds, the median of REPEATS reports (each the whole report, written and recorded)
    reports = [timed(generate.generate, settings, period, options)[0] for _ in range(REPEATS)]
    result["samples"]["report_s"] = [round(value, 2) for value in reports]
    result["report_s"] = round(statistics.median(reports), 2)
    result["readers_during_build"] = readers_during_build(settings)
    if n == 1:
        result["hostile_ingest"] = hostile_ingest(settings)
    result["demo_generation_s"] = round(result["demo_generation_s"], 2)
    return result


def markdown(results: list[dict]) -> str:
    head = (
        "| scale | agencies | areas | submissions | incident rows | full dbt build s | peak RSS MiB "
        "| engine-only s | dbt no-op s | build / (engine + no-op) | ingest rows/s "
        "| add one period: ingest + build s (variable part × full) | file → served s "
        "| file → served, worker s (dbt nodes) | served file MiB (copy s) "
        "| dashboard p95 max ms | report s | readers p95 during build ms |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in results:
        rows = r["rows"]
        lines.append(
            f"| {r['scale']} | {rows['agencies']:,} | {rows['areas']:,} | {rows['submissions']:,} | "
            f"{rows['incident_rows']:,} | {r['full_build_s']} | {r['full_build_peak_rss_mib']} | "
            f"{r['engine_only_s']} | "
            f"{r['dbt_noop_startup_s']} | {r['orchestration_ratio']} | {r['ingest_rows_per_s']:,} | "
            f"{r['add_one_period_s']} ({r['add_one_period_vs_full_build']}) | {r['file_to_served_s']} | "
            f"{r.get('file_to_served_worker_s', '–')} ({r.get('file_to_served_nodes', '–')}) | "
            f"{r.get('served_file_mib', '–')} ({r.get('copy_served_s', '–')}) | "
            f"{r['dashboard_p95_max_ms']} | {r['report_s']} | {r['readers_during_build']['p95_ms']} |"
        )
    lines += ["", *targets(results)]
    lines += ["", *where_the_time_goes(results)]
    lines += ["", "The runs behind each median (seconds, in the order taken):", ""]
    for r in results:
        runs = "; ".join(
            f"{name.removesuffix('_s').replace('_', ' ')} {' / '.join(str(v) for v in values)}"
            for name, values in r.get("samples", {}).items()
        )
        lines.append(f"- scale {r['scale']}: {runs}")
    hostile = next((r["hostile_ingest"] for r in results if "hostile_ingest" in r), None)
    if hostile:
        lines.append("")
        lines.append("Hostile workbooks at scale 1 (each refused; peak memory of the ingest process):")
        lines.append("")
        lines.append("| file | size (KiB) | seconds | peak RSS (MiB) | exit code |")
        lines.append("|---|---|---|---|---|")
        for name, row in hostile.items():
            cells = (f"{row['file_kib']:,}", row["seconds"], row["peak_rss_mib"], row["exit_code"])
            lines.append(f"| {name} | " + " | ".join(str(cell) for cell in cells) + " |")
    return head + "\n".join(lines) + "\n"


def describe_nodes(nodes: dict[str, int]) -> str:
    words = (f"{count} {kind.replace('_', ' ')}{'' if count == 1 else 's'}" for kind, count in nodes.items())
    return ", ".join(words) or "–"


def where_the_time_goes(results: list[dict]) -> list[str]:
    """What the full build costs without its checks, and the nodes each build ran."""
    rows = [
        f"| {r['scale']} | {r['full_build_s']} | {r['full_build_no_checks_s']} | "
        f"{r['orchestration_ratio_no_checks']} | {describe_nodes(r.get('full_build_nodes', {}))} | "
        f"{describe_nodes(r.get('add_one_period_nodes', {}))} |"
        for r in results
        if "full_build_no_checks_s" in r
    ]
    if not rows:
        return []
    return [
        "Where a build's time goes: the full build without a single check (the floor that "
        "cutting checks could reach), and the dbt nodes each build ran:",
        "",
        "| scale | full build s | without checks s | without checks ÷ (engine-only + no-op) "
        "| nodes, full build | nodes, add-period build |",
        "|---|---|---|---|---|---|",
        *rows,
    ]


def targets(results: list[dict]) -> list[str]:
    """Each target of issue #15, the value measured in this run, and whether it holds."""
    by_scale = {r["scale"]: r for r in results}
    rows = []

    def add(target: str, scale_n: int, value, limit: float, unit: str = "s") -> None:
        if scale_n not in by_scale or value is None:
            return
        holds = "yes" if value <= limit else "no"
        rows.append(f"| {target} | {scale_n} | {value} {unit} | ≤ {limit} {unit} | {holds} |")

    one, hundred = by_scale.get(1, {}), by_scale.get(100, {})
    add("file → served figures, tests included (worker)", 1, one.get("file_to_served_worker_s"), 3.0)
    add("file → served figures, tests included (no worker)", 1, one.get("file_to_served_s"), 3.0)
    add(
        "adding a period (variable part × full build)",
        100,
        hundred.get("add_one_period_vs_full_build"),
        0.1,
        "×",
    )
    add("full build ÷ (engine-only + dbt no-op)", 100, hundred.get("orchestration_ratio"), 1.3, "×")
    add("report", 100, hundred.get("report_s"), 2.0)
    for r in results:
        add("peak memory of a full build", r["scale"], r["full_build_peak_rss_mib"], 2048, "MiB")
    if not rows:
        return []
    return ["| target | scale | measured | goal | holds |", "|---|---|---|---|---|", *rows]


def main() -> None:
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",")]
    root = Path(tempfile.mkdtemp(prefix="netsafe-bench-"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in scales:
            print(f"scale {n}...", flush=True)
            result = bench_scale(n, root)
            (RESULTS / f"bench_{n}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
            results.append(result)
            print(json.dumps({k: v for k, v in result.items() if k != "dashboard_queries"}), flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    table = markdown(results)
    (RESULTS / "summary.md").write_text(
        f"# netsafe benchmarks ({date.today().isoformat()}, one `make bench`, 2 cores; full build, no-op, "
        f"engine-only, the add-period build and the report: median of {REPEATS} runs; engine-only is "
        f"the compiled SQL of every model run by DuckDB alone, writing its file included)\n\n{table}",
        encoding="utf-8",
    )
    print(table)


if __name__ == "__main__":
    main()
