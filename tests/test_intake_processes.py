"""Intake under concurrency and faults, with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from netsafe.settings import Settings
from netsafe.store import open_store

CSV = "agency_code,period_code,indicator_code,value\nBT_DIC,2024-Q3,INSPECTIONS_CONDUCTED,{n}\n"


def cli(settings: Settings, *args, env_extra=None, **popen):
    env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir), **(env_extra or {}))
    return subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from netsafe.store import open_store
    from netsafe.settings import Settings
    with open_store(Settings(Path(sys.argv[1]))).raw_lock(exclusive=True):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_an_ingest_waits_for_a_busy_landing_then_succeeds(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.data_dir), "6"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "holding"
    csv_path = tmp_path / "dic.csv"
    csv_path.write_text(CSV.format(n=4))
    started = time.monotonic()
    proc = cli(settings, "ingest", str(csv_path), "--no-build", "--received-at", "2024-09-16")
    out, err = proc.communicate(timeout=60)
    holder.wait(timeout=10)
    assert proc.returncode == 0, err
    assert time.monotonic() - started >= 5.0
    assert "đang chờ" in err and "waiting" in err
    assert "đã nhận / accepted" in out


def test_a_process_killed_mid_ingest_leaves_no_partial_submission(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    before = open_store(settings).read_raw("select count(*) as n from raw.submissions").n.iat[0]
    csv_path = tmp_path / "dic.csv"
    csv_path.write_text(CSV.format(n=9))
    proc = cli(
        settings,
        "ingest",
        str(csv_path),
        "--no-build",
        env_extra={"NETSAFE_FAULT_PAUSE_SECONDS": "30"},
    )
    # wait until it is inside the transaction, then kill it hard
    line = proc.stderr.readline()
    assert "paused inside a transaction" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    after = open_store(settings).read_raw("select count(*) as n from raw.submissions").n.iat[0]
    assert after == before
    # the lock died with the process: the same file now lands normally
    retry = cli(settings, "ingest", str(csv_path), "--no-build")
    out, err = retry.communicate(timeout=60)
    assert retry.returncode == 0, err
    assert open_store(settings).read_raw("select count(*) as n from raw.submissions").n.iat[0] == before + 1
