"""Reading the served warehouse: one read-only query at a time, through the
store of the configured target (readers never hold the file)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from netsafe.settings import Settings
from netsafe.store import open_store


def exists(settings: Settings) -> bool:
    return open_store(settings).warehouse_exists()


def version(settings: Settings) -> tuple | None:
    """Changes whenever a build publishes (for readers' caches)."""
    return open_store(settings).warehouse_version()


def query(settings: Settings, sql: str, params: Sequence | None = None) -> pd.DataFrame:
    """Run one read-only query on the served warehouse and return a DataFrame."""
    return open_store(settings).query(sql, params)


def scalar(settings: Settings, sql: str, params: Sequence | None = None):
    frame = query(settings, sql, params)
    return None if frame.empty else frame.iat[0, 0]
