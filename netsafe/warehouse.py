"""Reading the served warehouse. Every reader opens the file read-only for one
query and closes it at once; builds never write to the served file (they
publish a new one with os.replace), so readers and writers never collide."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from netsafe import pg
from netsafe.dbfiles import connect
from netsafe.errors import WarehouseMissing
from netsafe.settings import Settings


def exists(settings: Settings) -> bool:
    if pg.is_target():
        return not pg.read(
            "select 1 from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'dim_periods'"
        ).empty
    return settings.warehouse_path.exists()


def query(settings: Settings, sql: str, params: Sequence | None = None) -> pd.DataFrame:
    """Run one read-only query on the served warehouse and return a DataFrame."""
    if pg.is_target():
        return pg.read(sql, params)
    if not settings.warehouse_path.exists():
        raise WarehouseMissing(
            f"Chưa có kho dữ liệu tại {settings.warehouse_path}; hãy chạy `netsafe build`.",
            f"No warehouse at {settings.warehouse_path}; run `netsafe build` first.",
        )
    con = connect(settings.warehouse_path, read_only=True, timeout=10.0)
    try:
        return con.execute(sql, list(params or [])).df()
    finally:
        con.close()


def scalar(settings: Settings, sql: str, params: Sequence | None = None):
    frame = query(settings, sql, params)
    return None if frame.empty else frame.iat[0, 0]
