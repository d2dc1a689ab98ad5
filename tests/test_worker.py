"""The build worker (#15): a long-lived `netsafe worker` keeps dbt and its
manifest warm and answers build requests from a queue on disk; requests
pending together share one build; when no worker is alive, intake builds
itself. Tested against the real CLI process and real dbt."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from netsafe import build, services, warehouse, worker
from netsafe.intake.reference import load as load_reference
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"


def start_worker(settings) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", "worker"],
        env=dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not worker.alive(settings):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.2)
    return proc


def stop_worker(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()


def sessions(settings, agency: str) -> float | None:
    return warehouse.scalar(
        settings,
        "select indicator_value from marts.fct_indicator_values "
        "where agency_code = ? and period_code = ? and indicator_code = 'PROPAGANDA_SESSIONS'",
        [agency, PERIOD],
    )


@pytest.fixture
def running(demo_warehouse_copy):
    proc = start_worker(demo_warehouse_copy)
    yield demo_warehouse_copy
    stop_worker(proc)


def test_files_received_together_are_served_by_one_worker_build(running):
    settings = running
    ref = load_reference(settings)
    files = {
        agency: fill_template(template_bytes(ref, agency, PERIOD), {"PROPAGANDA_SESSIONS": value}, {})
        for agency, value in (("BT_DOH", 41), ("BT_DOF", 42))
    }
    results = {}

    def upload(agency: str) -> None:
        run = services.ingest_files(
            settings, [(f"{agency}.xlsx", files[agency])], received_on=date(2024, 9, 16), rebuild=True
        )
        results[agency] = run

    threads = [threading.Thread(target=upload, args=(agency,)) for agency in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert len(results) == 2, "an upload failed"
    assert all(outcome.status == "accepted" for run in results.values() for outcome in run.outcomes)
    assert all(run.build is not None and run.build_error is None for run in results.values()), results
    # both are served, by at most two builds of the worker (one if they met in the queue)
    assert sessions(settings, "BT_DOH") == 41 and sessions(settings, "BT_DOF") == 42
    assert len({run.build.built_at for run in results.values()}) <= 2
    assert all(run.build.tests_total > 0 for run in results.values())  # nothing untested is served
    assert not list((worker.queue_dir(settings) / "requests").glob("*.json"))


def test_a_warm_worker_builds_again_from_the_manifest_as_parsed(running):
    """The worker keeps dbt's parsed manifest from build to build, and each
    build starts from it as parsed: a manifest an earlier build had compiled
    would leave out the CTEs of the ephemeral models, and the checks that read
    them would fail in every build after the first."""
    settings = running
    first = worker.request_build(settings, reason="test")
    second = worker.request_build(settings, reason="test")
    assert first.built_at != second.built_at
    assert second.tests_total == first.tests_total > 0 and second.tests_passed == second.tests_total
    passed = {item["unique_id"] for item in build.run_results(settings) if item["status"] == "pass"}
    # checks of ephemeral intermediates, compiled with their CTEs
    assert any(".column_rules_int_agencies_" in uid for uid in passed)
    assert any(".column_rules_int_period_approvals_" in uid for uid in passed)


def test_without_a_worker_intake_builds_itself(demo_warehouse_copy):
    settings = demo_warehouse_copy
    assert not worker.alive(settings)
    ref = load_reference(settings)
    content = fill_template(template_bytes(ref, "BT_DOH", PERIOD), {"PROPAGANDA_SESSIONS": 43}, {})
    run = services.ingest_files(
        settings, [("BT_DOH.xlsx", content)], received_on=date(2024, 9, 16), rebuild=True
    )
    assert run.build is not None and sessions(settings, "BT_DOH") == 43


def test_a_worker_killed_mid_queue_leaves_no_one_waiting(demo_warehouse_copy):
    settings = demo_warehouse_copy
    proc = start_worker(settings)
    proc.kill()
    proc.wait(timeout=30)
    started = time.monotonic()
    result = worker.request_build(settings, reason="test")
    # the stale heartbeat is noticed and the build happens here
    assert result.tests_total > 0 and time.monotonic() - started < 300


def test_a_signal_that_interrupts_the_stop_event_still_stops_the_worker():
    """A signal handler runs between any two bytecodes of the main thread,
    also while that thread holds the stop event's lock (inside `wait`, or
    inside the handler itself when signals come in a burst). A worker whose
    handler set the event there waited for itself for good: one was left
    running after `netsafe serve` stopped. Here the handler runs while its
    own thread holds that lock, and the worker must still be told to stop."""
    stop = threading.Event()
    handler = worker.stop_on_signals(stop, signals=())

    def interrupted_inside_the_event():
        with stop._cond:  # what the main thread holds inside Event.wait/set
            handler(signal.SIGTERM, None)

    signalled = threading.Thread(target=interrupted_inside_the_event, daemon=True)
    signalled.start()
    signalled.join(timeout=5)
    assert not signalled.is_alive(), "the signal handler waited for a lock its own thread holds"
    assert stop.wait(timeout=5)


def test_a_burst_of_signals_stops_a_running_worker(demo_warehouse_copy):
    """`netsafe serve` stopping sends its worker SIGTERM (and a terminal may
    add SIGHUP): however many come, the worker ends and says it is gone."""
    proc = start_worker(demo_warehouse_copy)
    for number in range(200):
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal((signal.SIGTERM, signal.SIGHUP, signal.SIGINT)[number % 3])
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not worker.alive(demo_warehouse_copy)
