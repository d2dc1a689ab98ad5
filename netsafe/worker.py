"""The build worker: one long-lived process per data dir (`netsafe worker`,
started by `netsafe serve`) that keeps dbt imported and the project's parsed
manifest in memory, so a build after a received file skips dbt's start-up
and parsing. Intake and the dashboard hand it their builds through a queue
on disk; every request pending when a build starts is answered by that one
build, so files received together (one upload of many, or two people at
once) cost one build. When no worker is alive they build themselves, as
before.

Queue layout, under $NETSAFE_DATA_DIR/queue/:
    requests/<id>.json   a build wanted (written atomically by the client)
    taken/<id>.json      requests the running build answers
    answers/<id>.json    the outcome: the build result, or the error
    worker.json          heartbeat: pid and the last beat, every second
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import queue
import signal
import threading
import time
from dataclasses import asdict
from pathlib import Path

from netsafe import build, dates, dbt_speedups
from netsafe.contract import new_record_id
from netsafe.errors import BuildFailed, NetsafeError
from netsafe.files import write_atomically
from netsafe.settings import PROJECT_DIR, Settings, lock_timeout_seconds

BEAT_SECONDS = 1.0
ALIVE_WITHIN_SECONDS = 5.0
POLL_SECONDS = 0.05


def queue_dir(settings: Settings) -> Path:
    return settings.data_dir / "queue"


def _dirs(settings: Settings) -> tuple[Path, Path, Path]:
    root = queue_dir(settings)
    folders = (root / "requests", root / "taken", root / "answers")
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def alive(settings: Settings) -> bool:
    """A worker beat within the last few seconds, and its process exists."""
    try:
        beat = json.loads((queue_dir(settings) / "worker.json").read_text(encoding="utf-8"))
        os.kill(int(beat["pid"]), 0)
    except (OSError, ValueError, KeyError):
        return False
    return time.time() - float(beat["beat_at"]) < ALIVE_WITHIN_SECONDS


def request_build(settings: Settings, *, reason: str = "", timeout: float | None = None) -> build.BuildResult:
    """A build that serves everything landed so far: by the worker when one
    is alive (sharing its build with other pending requests), else here."""
    if not alive(settings):
        return build.build(settings, quiet=True)
    requests, _, answers = _dirs(settings)
    request_id = new_record_id(dates.now())
    write_atomically(
        requests / f"{request_id}.json",
        json.dumps({"reason": reason, "requested_at": time.time()}).encode("utf-8"),
    )
    answer = answers / f"{request_id}.json"
    deadline = time.monotonic() + (timeout if timeout is not None else lock_timeout_seconds() * 5)
    while not answer.exists():
        if not alive(settings):
            # the worker died before answering: build here instead (a build
            # serves everything landed, whoever asked)
            (requests / f"{request_id}.json").unlink(missing_ok=True)
            return build.build(settings, quiet=True)
        if time.monotonic() > deadline:
            raise BuildFailed(
                "Chưa xây dựng xong kho dữ liệu sau thời gian chờ; số liệu đã nhận được giữ nguyên, "
                "hãy thử `netsafe build`.",
                "The warehouse build did not finish in time; what was received is kept. Run `netsafe build`.",
            )
        time.sleep(POLL_SECONDS)
    outcome = json.loads(answer.read_text(encoding="utf-8"))
    answer.unlink(missing_ok=True)
    if not outcome["ok"]:
        raise BuildFailed(outcome["error_vi"], outcome["error_en"])
    return build.BuildResult(**outcome["result"])


# What a build writes into each node of the manifest it is given (dbt's
# CompiledResource fields), as a parse leaves them.
PARSED_NODE_STATE = {
    "compiled": False,
    "compiled_code": None,
    "compiled_path": None,
    "extra_ctes_injected": False,
    "_pre_injected_sql": None,
}


def as_parsed(manifest) -> None:
    """Put a manifest's nodes back as parsed. A build compiles its nodes
    into the manifest it is given, and compiling takes a node whose CTEs were
    injected by an earlier build as done: the next build would run SQL that
    names the CTEs of the ephemeral models it reads without defining them.
    (dbt's own copy, pickling, misplaces the manifest's lookups in dbt 1.11.)"""
    for node in manifest.nodes.values():
        if hasattr(node, "compiled_code"):
            for name, value in PARSED_NODE_STATE.items():
                setattr(node, name, value)
            node.extra_ctes = []


class WarmDbt:
    """dbt kept in memory: the parsed manifest is reused for as long as the
    project (models, macros, seeds, settings) is unchanged, each build
    starting from its nodes as parsed."""

    def __init__(self, settings: Settings) -> None:
        from dbt.cli.main import dbtRunner

        dbt_speedups.install()
        self.settings = settings
        self.runner_class = dbtRunner
        self.manifest = None
        self.fingerprint: str | None = None

    def __call__(self, args: list[str], env: dict[str, str], log_file: Path) -> int:
        os.environ.update(env)
        os.chdir(PROJECT_DIR)
        fingerprint = build.project_fingerprint(self.settings)
        if self.manifest is None or fingerprint != self.fingerprint:
            # the manifest about to be replaced becomes collectable again
            gc.unfreeze()
            self.manifest = None
            parsed = self.runner_class().invoke(["parse", "--quiet"])
            _close_duckdb()
            if not parsed.success:
                log_file.write_text(f"dbt parse failed: {parsed.exception}\n", encoding="utf-8")
                return 1
            self.manifest, self.fingerprint = parsed.result, fingerprint
            # Python's collector walks every live object on each full pass,
            # and a build allocates enough for many: with the parsed manifest
            # (~200 000 objects) each pass took up to a quarter of a second.
            # Kept for the worker's life, it is set aside from those passes.
            gc.collect()
            gc.freeze()
        as_parsed(self.manifest)
        try:
            # dbt formats every event for each of its loggers before their level
            # is checked, and rewrites the whole manifest: a third of a small
            # build. The worker needs neither: the outcome of every node is in
            # run_results.json, written here from the result.
            result = self.runner_class(manifest=self.manifest).invoke(["build", *QUIET_DBT, *args])
        finally:
            _close_duckdb()
        if result.exception is not None:
            log_file.write_text(f"dbt build failed: {result.exception}\n", encoding="utf-8")
        if result.result is not None and hasattr(result.result, "write"):
            target = Path(env["DBT_TARGET_PATH"])
            target.mkdir(parents=True, exist_ok=True)
            result.result.write(str(target / "run_results.json"))
        return 0 if result.success else 1


QUIET_DBT = ["--no-use-colors", "--log-level", "none", "--log-level-file", "none", "--no-write-json"]


def _close_duckdb() -> None:
    """dbt-duckdb keeps its database open in the process after a build
    (dbt-core issue 11980) and would reuse it for the next build, whose file
    has the same name but is a new file: close it, so the build just made is
    complete on disk before it is published and the next opens its own file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        with contextlib.suppress(Exception):
            environment.close()
    DuckDBConnectionManager.close_all_connections()


def _beat(settings: Settings, stop: threading.Event) -> None:
    heartbeat = queue_dir(settings) / "worker.json"
    while not stop.is_set():
        write_atomically(heartbeat, json.dumps({"pid": os.getpid(), "beat_at": time.time()}).encode("utf-8"))
        stop.wait(BEAT_SECONDS)


def _take(requests: Path, taken: Path) -> list[Path]:
    """Every pending request, moved aside: one build answers them all."""
    claimed = []
    for path in sorted(requests.glob("*.json")):
        target = taken / path.name
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, target)
            claimed.append(target)
    return claimed


def _answer(answers: Path, claimed: list[Path], outcome: dict) -> None:
    for path in claimed:
        write_atomically(answers / path.name, json.dumps(outcome).encode("utf-8"))
        path.unlink(missing_ok=True)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def stop_on_signals(stop: threading.Event, signals=STOP_SIGNALS):
    """Set `stop` when one of `signals` arrives; returns the handler.

    A handler runs in the main thread between any two bytecodes: inside
    `stop.wait()`, or inside itself when signals come in a burst. Setting the
    event there waits for the lock its own thread already holds (a worker
    hung so, for good, when `netsafe serve` stopped). The handler only puts
    into a SimpleQueue, which is safe from a handler; a thread sets the event."""
    arrived: queue.SimpleQueue = queue.SimpleQueue()

    def relay() -> None:
        arrived.get()
        stop.set()

    threading.Thread(target=relay, name="signal-relay", daemon=True).start()

    def handler(signum, frame) -> None:
        arrived.put(signum)

    for sig in signals:
        signal.signal(sig, handler)
    return handler


def serve(settings: Settings, stop: threading.Event | None = None) -> None:
    """Answer build requests until stopped: each build answers every request
    pending when it starts."""
    stop = stop or threading.Event()
    requests, taken, answers = _dirs(settings)
    _answer(answers, sorted(taken.glob("*.json")), _failed_outcome(None))  # left by a worker that died
    warm = WarmDbt(settings)
    beating = threading.Thread(target=_beat, args=(settings, stop), daemon=True)
    beating.start()
    try:
        while not stop.is_set():
            claimed = _take(requests, taken)
            if not claimed:
                stop.wait(POLL_SECONDS)
                continue
            try:
                result = build.build(settings, quiet=True, runner=warm)
                _answer(answers, claimed, {"ok": True, "result": asdict(result)})
            except NetsafeError as error:
                _answer(answers, claimed, _failed_outcome(error))
    finally:
        stop.set()
        (queue_dir(settings) / "worker.json").unlink(missing_ok=True)


def _failed_outcome(error: NetsafeError | None) -> dict:
    if error is None:
        return {
            "ok": False,
            "error_vi": "Lần xây dựng bị dừng giữa chừng; hãy chạy lại `netsafe build`.",
            "error_en": "The build was interrupted; run `netsafe build` again.",
        }
    return {"ok": False, "error_vi": error.vi, "error_en": error.en}
