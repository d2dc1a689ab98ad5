"""The one way into raw landing and the served warehouse.

`open_store(settings)` returns the implementation for the configured target
(NETSAFE_TARGET: duckdb, the default, or postgres), chosen here once; no
caller asks which database it is on. Every store archives each received file
by hash before writing, lands each submission version with all its rows in
one transaction, appends records (generated documents) and reads raw and
marts for callers; it also prepares a dbt build for its target.
"""

from __future__ import annotations

from netsafe.settings import Settings
from netsafe.store.base import BuildPlan, Store


def open_store(settings: Settings) -> Store:
    if settings.target == "postgres":
        from netsafe.store.postgres_store import PostgresStore

        return PostgresStore(settings)
    from netsafe.store.duckdb_store import DuckDbStore

    return DuckDbStore(settings)


__all__ = ["BuildPlan", "Store", "open_store"]
