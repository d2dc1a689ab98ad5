"""Building the warehouse with dbt, and publishing it atomically.

A build attaches a snapshot of raw landing, builds every seed, model and test
into a fresh DuckDB file, and only when dbt succeeds replaces the served
warehouse.duckdb with it (os.replace). Readers holding the old file keep
reading it; new readers see the new one; a failed build leaves the served
warehouse as it was.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from netsafe import dates
from netsafe.errors import BuildFailed
from netsafe.locks import file_lock
from netsafe.settings import PROJECT_DIR, Settings, lock_timeout_seconds
from netsafe.store import BuildPlan, open_store
from netsafe.store.base import BuildBasis


@dataclass
class BuildResult:
    built_at: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # what the project looked like (models, macros, seeds): a change forces a full build
    fingerprint: str = ""
    incremental: bool = False
    # rows per raw table the build read, and the day it judged deadlines on:
    # the next build rebuilds only what raw tables that gained rows feed
    raw_counts: dict[str, int] = field(default_factory=dict)
    built_on: str = ""

    @property
    def tests_passed(self) -> int:
        return self.counts.get("test:pass", 0)

    @property
    def tests_total(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("test:"))


def dbt_command() -> list[str]:
    """dbt's command line as builds run it: dbt itself, with what it spends
    on each node for nothing cut (netsafe/dbt_speedups.py)."""
    return [sys.executable, "-m", "netsafe.dbt_cli"]


def dbt_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "NETSAFE_DATA_DIR": str(settings.data_dir),
            # the day deadlines are judged on is a day in this zone (macros/cross_database.sql)
            "NETSAFE_TIMEZONE": dates.zone_name(),
            # relative to the project: dbt writes each seed's run output under
            # target/run/<its path>, and an absolute path would point that
            # write at the seed file itself
            "NETSAFE_SEED_DIR": os.path.relpath(settings.seed_dir, PROJECT_DIR),
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_PROJECT_DIR": str(PROJECT_DIR),
            "DBT_TARGET_PATH": str(settings.build_dir / "target"),
            "DBT_LOG_PATH": str(settings.build_dir / "logs"),
            # no debug file log unless asked for: dbt formats every event (each
            # SQL statement of each node) for it, about 8 % of a full build at
            # scale 100; what a build printed is in build/dbt_build.log
            "DBT_LOG_LEVEL_FILE": os.environ.get("DBT_LOG_LEVEL_FILE", "none"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
            # unit tests prove the SQL on fixed inputs, so they belong where
            # the SQL changes, not in every build of the same code (dbt's own
            # advice): `make test` runs them on DuckDB and PostgreSQL
            # (tests/conftest.py: dbt_unit_tests); the data tests run here
            "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",
        }
    )
    env.update(extra)
    return env


def build_lock(settings: Settings):
    """One build at a time per data dir."""
    settings.ensure_dirs()
    return file_lock(
        settings.build_dir / "build.lock",
        exclusive=True,
        timeout=lock_timeout_seconds() * 5,
        waiting="Đang chờ lần xây dựng khác kết thúc... / waiting for another build...",
        gave_up=(
            "Một lần xây dựng khác vẫn đang chạy; hãy thử lại sau.",
            "Another build is still running; try again later.",
        ),
    )


# Runs `dbt build <args>` with an environment, logging to a file; returns its
# exit code. The default starts dbt as a child process; the build worker
# (netsafe.worker) passes one that keeps dbt and its manifest in memory.
DbtRunner = Callable[[list[str], dict[str, str], Path], int]


def _dbt_child(args: list[str], env: dict[str, str], log_file: Path) -> int:
    with open(log_file, "w", encoding="utf-8") as log:
        return run_child([*dbt_command(), "build", "--no-use-colors", *args], env=env, stdout=log)


def _run_plan(settings: Settings, plan: BuildPlan, runner: DbtRunner | None = None) -> BuildResult:
    """Run `dbt build` for a plan; publish its output only if dbt succeeds."""
    started = time.monotonic()
    log_file = settings.build_dir / "dbt_build.log"
    log_file.write_text("", encoding="utf-8")
    # a run that stops before writing its results must not be read as the previous run's
    (settings.build_dir / "target" / "run_results.json").unlink(missing_ok=True)
    returncode = (runner or _dbt_child)(list(plan.args), dbt_env(settings, **plan.env), log_file)
    results = run_results(settings)
    result = _read_results(results, time.monotonic() - started)
    result.incremental = plan.incremental
    if returncode != 0:
        found: list[str] = []
        try:
            # best effort: the failure is reported either way
            with contextlib.suppress(OSError, ValueError, KeyError):
                found = _what_failing_checks_found(settings, plan, results)
        finally:
            plan.discard()
        tail = "\n".join(log_file.read_text(encoding="utf-8").splitlines()[-25:])
        details = "\n".join(found or result.failures) or tail
        raise BuildFailed(
            "Xây dựng kho dữ liệu thất bại; kho đang phục vụ giữ nguyên. "
            f"Chi tiết trong {log_file}:\n{details}",
            f"The warehouse build failed; the served warehouse is unchanged. See {log_file}.",
        )
    plan.publish()
    return result


def die_with_parent() -> None:
    """In the child, before exec: the kernel sends it SIGTERM if netsafe dies,
    even by kill -9, so no dbt is left running on its own (Linux)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_child(command: list[str], *, env: dict[str, str], stdout) -> int:
    """Run a child (dbt) to its end; if netsafe is interrupted or terminated,
    the child is stopped too."""
    proc = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=env,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = (
        {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)} if in_main_thread else {}
    )
    try:
        return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def declared_sources(settings: Settings) -> frozenset[str]:
    """The raw tables dbt's last parsed manifest declares as sources (none
    known before the first build)."""
    path = settings.build_dir / "target" / "manifest.json"
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    return _sources_in(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _sources_in(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """Read once per version of the manifest file (a long-lived build worker
    reads it again only when dbt rewrote it): it is over a megabyte of JSON."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    sources = manifest.get("sources", {}).values()
    return frozenset(source["name"] for source in sources if source.get("source_name") == "raw")


def project_fingerprint(settings: Settings) -> str:
    """A hash of everything a build is made from except raw data."""
    digest = hashlib.sha256()
    paths = [PROJECT_DIR / "dbt_project.yml", PROJECT_DIR / "profiles.yml"]
    for folder in (
        PROJECT_DIR / "models",
        PROJECT_DIR / "macros",
        PROJECT_DIR / "tests" / "dbt",
        settings.seed_dir,
    ):
        paths.extend(sorted(p for p in folder.rglob("*") if p.is_file()))
    for path in paths:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(
    settings: Settings, *, quiet: bool = False, full_refresh: bool = False, runner: DbtRunner | None = None
) -> BuildResult:
    """dbt build of every seed, model and test; publish only if dbt succeeds.

    On DuckDB the build starts from the served warehouse, so the large facts
    build incrementally (only agency × period slices with new submissions);
    a change to the project itself, or full_refresh, starts from nothing.
    """
    with build_lock(settings):
        started = time.monotonic()
        fingerprint = project_fingerprint(settings)
        previous = last_build(settings)
        basis = BuildBasis(
            fingerprint=previous.fingerprint if previous else None,
            raw_counts=previous.raw_counts if previous else {},
            built_on=previous.built_on if previous else None,
            sources=declared_sources(settings),
        )
        built_on = dates.today().isoformat()  # before dbt starts: the day its deadlines are judged on
        store = open_store(settings)
        plan = store.plan_build(full_refresh=full_refresh, fingerprint=fingerprint, previous=basis)
        result = _run_plan(settings, plan, runner)
        result.fingerprint = fingerprint
        result.raw_counts, result.built_on = plan.raw_counts, built_on
        result.seconds = round(time.monotonic() - started, 2)
        settings.last_build_path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
        if not quiet:
            print(
                f"Đã xây dựng kho dữ liệu trong {result.seconds:.1f} giây "
                f"({result.counts.get('model:success', 0)} mô hình, "
                f"{result.tests_passed}/{result.tests_total} kiểm thử đạt) / "
                f"warehouse built in {result.seconds:.1f} s",
            )
        return result


def build_as_of(settings: Settings, as_of: datetime) -> Settings:
    """Rebuild the warehouse as it was at `as_of` (only submissions landed by
    then, deadlines judged on that day) into a private data dir, never
    published. Returns settings pointing at it, for read-only use. A rebuild
    for the same moment is reused while neither raw landing nor the project
    has changed since (a report and its letters dated the same day)."""
    with build_lock(settings):
        stamp = json.dumps([raw_stamp(settings, as_of), project_fingerprint(settings)])
        known = settings.as_of_settings(as_of)
        marker = known.data_dir / "built_from.json"
        if marker.exists() and marker.read_text(encoding="utf-8") == stamp and known.warehouse_path.exists():
            return known
        marker.unlink(missing_ok=True)
        plan, past = open_store(settings).plan_as_of(as_of)
        _run_plan(settings, plan)
        marker.write_text(stamp, encoding="utf-8")
        return past


# the raw tables an as-of rebuild reads only up to its moment (landed_by_as_of)
TIME_TRAVELLED = ("submissions", "submission_events", "period_approvals", "registry_agencies")


def raw_stamp(settings: Settings, as_of: datetime) -> list:
    """What an as-of rebuild reads from raw landing: the rows landed by that
    moment. Rows landed later (a report recorded, an audit line) change nothing."""
    counts = " union all ".join(
        f"select '{table}' as name, count(*) as n, max(landed_at) as last "
        f"from raw.{table} where landed_at <= ?"
        for table in TIME_TRAVELLED
    )
    frame = open_store(settings).read_raw(counts, [as_of] * len(TIME_TRAVELLED))
    return [[row.name, int(row.n), str(row.last)] for row in frame.itertuples()]


def run_results(settings: Settings) -> list[dict]:
    """Each node's outcome in dbt's run_results.json (none if dbt wrote none)."""
    path = settings.build_dir / "target" / "run_results.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8")).get("results", [])


def _read_results(results: list[dict], seconds: float) -> BuildResult:
    counts: Counter[str] = Counter()
    failures: list[str] = []
    for item in results:
        kind = item["unique_id"].split(".", 1)[0]
        status = item["status"]
        counts[f"{kind}:{status}"] += 1
        if status in ("error", "fail"):
            failures.append(_dbt_failure_line(item))
    return BuildResult(
        built_at=dates.stamp(),
        seconds=round(seconds, 2),
        counts=dict(counts),
        failures=failures,
    )


def _dbt_failure_line(item: dict) -> str:
    """A failed node as dbt reports it (run_results.json)."""
    message = (item.get("message") or "").strip().splitlines()
    return f"- {item['unique_id']}: {message[0] if message else item['status']}"


# column_rules (macros/tests/column_rules.sql): what each rule's failing rows mean
RULE_WORDS = {
    "primary_key": ("khóa trùng hoặc để trống", "key duplicated or empty"),
    "unique": ("giá trị trùng nhau", "values duplicated"),
    "not_null": ("để trống", "empty"),
    "accepted_values": ("giá trị không được chấp nhận", "value not accepted"),
    "is_nfc": ("chữ chưa chuẩn hóa Unicode NFC", "text not in Unicode NFC"),
    "not_negative": ("số âm", "negative number"),
    "references": ("không có trong bảng được tham chiếu", "not found in the table it refers to"),
}


def _what_failing_checks_found(settings: Settings, plan: BuildPlan, results: list[dict]) -> list[str]:
    """For each failed column_rules check, what it found, in words: the model,
    the rule, the column(s) and how many rows (run again on the unpublished
    output). Other failures keep dbt's own line."""
    manifest_path = settings.build_dir / "target" / "manifest.json"
    if plan.inspect is None or not results:
        return []
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"] if manifest_path.exists() else {}
    lines = []
    for item in results:
        if item["status"] not in ("error", "fail"):
            continue
        code = item.get("compiled_code") or ""
        rows: list[tuple] = []
        if item["status"] == "fail" and "as rule_name" in code:
            with contextlib.suppress(Exception):  # the check's own failure is reported either way
                rows = plan.inspect(code)
        if not rows:
            lines.append(_dbt_failure_line(item))
            continue
        model = (nodes.get(item["unique_id"], {}).get("attached_node") or item["unique_id"]).split(".")[-1]
        for rule, column, count in rows:
            vi, en = RULE_WORDS.get(rule, (rule, rule))
            unit = "giá trị khóa / key values" if rule in ("primary_key", "unique") else "dòng / rows"
            lines.append(f"- {model}, cột / column {column}: {vi} / {en} ({count} {unit})")
    return lines


def last_build(settings: Settings) -> BuildResult | None:
    if not settings.last_build_path.exists():
        return None
    return BuildResult(**json.loads(settings.last_build_path.read_text(encoding="utf-8")))
