"""Every misuse and environment failure ends with a bilingual message and a
non-zero exit, never a traceback, and leaves nothing behind; what netsafe
creates is readable by its owner only; stopping a command stops its dbt."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netsafe.errors import environment_failure
from netsafe.settings import Settings
from netsafe.store import base


def run(data_dir: Path, *args, timeout=120) -> subprocess.CompletedProcess:
    env = dict(os.environ, NETSAFE_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "netsafe.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def assert_bilingual_error(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Lỗi:" in proc.stderr and "Error:" in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


@pytest.mark.slow
def test_misuse_is_a_message_not_a_traceback(demo_warehouse):
    data = demo_warehouse.data_dir
    assert_bilingual_error(run(data, "report", "--period", "2024-Q3", "--date", "2024-13-01"), "--date")
    assert_bilingual_error(run(data, "report", "--period", "2024-Q3", "--as-of", "yesterday"), "--as-of")
    assert_bilingual_error(run(data, "reminders", "--period", "nope"), "nope")
    assert_bilingual_error(run(data, "reminders", "--period", "2040-Q1"), "2040-Q1")
    assert_bilingual_error(run(data, "ingest", "--received-at", "2024-02-30", __file__), "2024-02-30")
    assert_bilingual_error(run(data, "void", "nosuchid", "--reason", "thử"), "nosuchid")


def test_an_unwritable_data_dir_is_a_message(tmp_path):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("x")
    proc = run(blocker / "data", "build")
    assert_bilingual_error(proc, "not_a_dir")
    assert proc.returncode == 74


def test_a_full_disk_keeps_no_partial_archive_file(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    settings.ensure_dirs()

    def full(self, data):
        Path.write_text(self, "")  # the file exists, empty, as a real full disk leaves it
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OSError) as error:
        base.archive(settings, b"report bytes")
    assert list(settings.archive_dir.iterdir()) == []
    failure = environment_failure(error.value)
    assert "Ổ đĩa đã đầy" in failure.vi and "disk is full" in failure.en and failure.exit_code == 74


@pytest.mark.slow
def test_files_netsafe_creates_are_its_owners_only(tmp_path):
    data = tmp_path / "data"
    csv = tmp_path / "dic.csv"
    csv.write_text("agency_code,period_code,indicator_code,value\nBT_DIC,2024-Q3,INSPECTIONS_CONDUCTED,2\n")
    assert run(data, "build", timeout=300).returncode == 0
    proc = run(data, "ingest", str(csv), "--received-at", "2024-09-16", timeout=300)
    assert proc.returncode == 0, proc.stderr
    made = [data / "landing.duckdb", data / "warehouse.duckdb", *(data / "archive").iterdir()]
    for path in made:
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others: {oct(path.stat().st_mode)}"


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_stopping_a_build_stops_its_dbt(tmp_path, how):
    env = dict(os.environ, NETSAFE_DATA_DIR=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", "build"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    children: list[int] = []
    while not children and time.monotonic() < deadline:
        time.sleep(0.2)
        children = _children(proc.pid)
    assert children, "dbt never started"
    time.sleep(1.0)
    proc.send_signal(how)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while any(_alive(child) for child in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(child) for child in children), "dbt kept running after netsafe was stopped"


def _listening_addresses(port: int) -> set[str]:
    """The local addresses listening on a TCP port (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            found.add(".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)))
    return found


def test_serve_listens_on_this_machine_only_without_sign_in(tmp_path):
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, NETSAFE_DATA_DIR=str(tmp_path), NETSAFE_AUTH_SECRETS=str(tmp_path / "none.toml"))
    refused = subprocess.run(
        [sys.executable, "-m", "netsafe.cli", "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "0.0.0.0" in refused.stderr and "[auth]" in refused.stderr and "users add" in refused.stderr
    served = subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read()
                break
            except OSError:
                time.sleep(0.3)
        assert _listening_addresses(port) == {"127.0.0.1"}
    finally:
        served.terminate()
        served.wait(timeout=20)
