"""Advisory file locks between netsafe processes: wait while another holds
the lock, say so once, and give up with a clear message after a timeout."""

from __future__ import annotations

import contextlib
import fcntl
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from netsafe.errors import WarehouseBusy


@contextlib.contextmanager
def file_lock(
    path: Path,
    *,
    exclusive: bool,
    timeout: float,
    waiting: str,
    gave_up: tuple[str, str],
) -> Iterator[None]:
    """Hold an flock on `path`. `waiting` is printed once (stderr) when the
    lock is busy; `gave_up` (vi, en) is the error after `timeout` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(*gave_up) from None
                if not told:
                    print(waiting, file=sys.stderr)
                    told = True
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
