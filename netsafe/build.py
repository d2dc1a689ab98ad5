"""Building the warehouse with dbt, and publishing it atomically.

A build attaches a snapshot of raw landing, builds every seed, model and test
into a fresh DuckDB file, and only when dbt succeeds replaces the served
warehouse.duckdb with it (os.replace). Readers holding the old file keep
reading it; new readers see the new one; a failed build leaves the served
warehouse as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from netsafe import landing, pg
from netsafe.errors import BuildFailed
from netsafe.locks import file_lock
from netsafe.settings import PROJECT_DIR, Settings, lock_timeout_seconds


@dataclass
class BuildResult:
    built_at: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # what the project looked like (models, macros, seeds): a change forces a full build
    fingerprint: str = ""
    incremental: bool = False

    @property
    def tests_passed(self) -> int:
        return self.counts.get("test:pass", 0)

    @property
    def tests_total(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("test:"))


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def dbt_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "NETSAFE_DATA_DIR": str(settings.data_dir),
            # relative to the project: dbt writes each seed's run output under
            # target/run/<its path>, and an absolute path would point that
            # write at the seed file itself
            "NETSAFE_SEED_DIR": os.path.relpath(settings.seed_dir, PROJECT_DIR),
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_PROJECT_DIR": str(PROJECT_DIR),
            "DBT_TARGET_PATH": str(settings.build_dir / "target"),
            "DBT_LOG_PATH": str(settings.build_dir / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_VERSION_CHECK": "false",
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


def _remove_db(path: Path) -> None:
    for suffix in ("", ".wal"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()


def _run_dbt(settings: Settings, new_path: Path, snapshot: Path, extra_args: list[str]) -> tuple[int, Path]:
    env = dbt_env(
        settings,
        NETSAFE_TARGET="duckdb",
        NETSAFE_BUILD_PATH=str(new_path),
        NETSAFE_RAW_PATH=str(snapshot),
    )
    log_file = settings.build_dir / "dbt_build.log"
    with open(log_file, "w", encoding="utf-8") as log:
        proc = subprocess.run(
            [dbt_executable(), "build", "--no-use-colors", *extra_args],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return proc.returncode, log_file


def _failed(settings: Settings, result: BuildResult, log_file: Path) -> BuildFailed:
    tail = "\n".join(log_file.read_text(encoding="utf-8").splitlines()[-25:])
    details = "\n".join(result.failures) or tail
    return BuildFailed(
        f"Xây dựng kho dữ liệu thất bại; kho đang phục vụ giữ nguyên. Chi tiết trong {log_file}:\n{details}",
        f"The warehouse build failed; the served warehouse is unchanged. See {log_file}.",
    )


def _build_postgres(settings: Settings, quiet: bool) -> BuildResult:
    """On PostgreSQL dbt builds in place: each table is swapped in by a
    rename inside a transaction, so readers never see a half-built table."""
    started = time.monotonic()
    landing.ensure_raw(settings)
    env = dbt_env(settings, NETSAFE_TARGET="postgres")
    log_file = settings.build_dir / "dbt_build.log"
    with open(log_file, "w", encoding="utf-8") as log:
        proc = subprocess.run(
            [dbt_executable(), "build", "--no-use-colors", "--target", "postgres"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    result = _read_results(settings, time.monotonic() - started)
    if proc.returncode != 0:
        raise _failed(settings, result, log_file)
    settings.last_build_path.write_text(json.dumps(asdict(result), indent=2), encoding="utf-8")
    if not quiet:
        print(
            f"Đã xây dựng kho dữ liệu PostgreSQL trong {result.seconds:.1f} giây / "
            f"built in {result.seconds:.1f} s"
        )
    return result


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


def build(settings: Settings, *, quiet: bool = False, full_refresh: bool = False) -> BuildResult:
    """dbt build into a new file; publish it only if dbt succeeds.

    The new file starts as a copy of the served warehouse, so the large facts
    build incrementally (only agency × period slices with new submissions);
    a change to the project itself, or full_refresh, starts from nothing.
    """
    if pg.is_target():
        with build_lock(settings):
            return _build_postgres(settings, quiet)
    with build_lock(settings):
        started = time.monotonic()
        snapshot = settings.build_dir / "raw_snapshot.duckdb"
        landing.snapshot_raw(settings, snapshot)
        new_path = settings.build_dir / "warehouse.new.duckdb"
        _remove_db(new_path)
        fingerprint = project_fingerprint(settings)
        previous = last_build(settings)
        incremental = (
            not full_refresh
            and settings.warehouse_path.exists()
            and previous is not None
            and previous.fingerprint == fingerprint
        )
        extra: list[str] = []
        if incremental:
            shutil.copyfile(settings.warehouse_path, new_path)
            # Seeds and the SQL under unit test are unchanged (same fingerprint) and
            # already in the copied file; only what raw data feeds is rebuilt and tested.
            extra = ["--exclude", "resource_type:seed", "resource_type:unit_test"]
        returncode, log_file = _run_dbt(settings, new_path, snapshot, extra)
        result = _read_results(settings, time.monotonic() - started)
        result.fingerprint, result.incremental = fingerprint, incremental
        if returncode != 0:
            _remove_db(new_path)
            raise _failed(settings, result, log_file)
        os.replace(new_path, settings.warehouse_path)
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
    published. Returns settings pointing at it, for read-only use."""
    with build_lock(settings):
        snapshot = settings.build_dir / "raw_snapshot.duckdb"
        landing.snapshot_raw(settings, snapshot)
        stamp = as_of.strftime("%Y%m%dT%H%M%S")
        past = Settings(data_dir=settings.build_dir / f"as_of_{stamp}")
        past.data_dir.mkdir(parents=True, exist_ok=True)
        new_path = past.warehouse_path
        _remove_db(new_path)
        started = time.monotonic()
        returncode, log_file = _run_dbt(
            settings,
            new_path,
            snapshot,
            ["--vars", json.dumps({"as_of": as_of.isoformat(sep=" ")}), "--exclude", "resource_type:test"],
        )
        if returncode != 0:
            _remove_db(new_path)
            raise _failed(settings, _read_results(settings, time.monotonic() - started), log_file)
        return past


def _read_results(settings: Settings, seconds: float) -> BuildResult:
    path = settings.build_dir / "target" / "run_results.json"
    counts: Counter[str] = Counter()
    failures: list[str] = []
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data.get("results", []):
            kind = item["unique_id"].split(".", 1)[0]
            status = item["status"]
            counts[f"{kind}:{status}"] += 1
            if status in ("error", "fail"):
                message = (item.get("message") or "").strip().splitlines()
                failures.append(f"- {item['unique_id']}: {message[0] if message else status}")
    return BuildResult(
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(seconds, 2),
        counts=dict(counts),
        failures=failures,
    )


def last_build(settings: Settings) -> BuildResult | None:
    if not settings.last_build_path.exists():
        return None
    return BuildResult(**json.loads(settings.last_build_path.read_text(encoding="utf-8")))
