"""Opening DuckDB files: one place that knows how to wait briefly for a file
another process holds, and to say so plainly when it stays held."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from netsafe.errors import WarehouseBusy


def connect(path: Path, *, read_only: bool, timeout: float = 30.0) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"Không mở được {path.name}: tệp đang bị tiến trình khác giữ ({exc}).",
                    f"Cannot open {path.name}: another process holds it ({exc}).",
                ) from exc
            time.sleep(0.1)
