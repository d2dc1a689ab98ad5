"""Reading the served warehouse: read-only queries through the store of the
configured target. A reader holds the warehouse only briefly: one query at a
time, or one snapshot for a document's queries (`snapshot`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

import pandas as pd

from netsafe.settings import Settings
from netsafe.store import open_store

# rpt_outliers holds codes; what a flagged value is about, in words, comes
# from these joins and names (one copy for the report, the dashboard and
# `netsafe check`): the subject
# is an agency (`agencies`) for an indicator series, else an area (`areas`);
# the measure an indicator (`indicators`) or a violation type (`types`).
OUTLIER_NAMES = """
coalesce(agencies.name_vi, areas.name_vi) as subject_name_vi,
coalesce(agencies.name_en, areas.name_en) as subject_name_en,
coalesce(indicators.name_vi, types.name_vi) as measure_name_vi,
coalesce(indicators.name_en, types.name_en) as measure_name_en
"""
OUTLIERS_NAMED_FROM = """
from marts.rpt_outliers as outliers
left join marts.dim_periods as periods on outliers.period_code = periods.period_code
left join marts.dim_agencies as agencies
    on outliers.series_kind = 'indicator' and outliers.subject_code = agencies.agency_code
left join marts.dim_areas as areas
    on outliers.series_kind <> 'indicator' and outliers.subject_code = areas.area_code
left join marts.dim_indicators as indicators
    on outliers.series_kind = 'indicator' and outliers.measure_code = indicators.indicator_code
left join marts.dim_violation_types as types
    on outliers.series_kind <> 'indicator' and outliers.measure_code = types.violation_type_code
"""


def exists(settings: Settings) -> bool:
    return open_store(settings).warehouse_exists()


def version(settings: Settings) -> tuple | None:
    """Changes whenever a build publishes (for readers' caches)."""
    return open_store(settings).warehouse_version()


# the snapshot being read, per data dir: (data dir, its query function)
_SNAPSHOT: ContextVar[tuple | None] = ContextVar("warehouse_snapshot", default=None)


@contextlib.contextmanager
def snapshot(settings: Settings) -> Iterator[None]:
    """Every `query` for these settings inside the block reads one version of
    the warehouse through one connection: a document's figures all come from
    the same build, even if another is published meanwhile (and one
    connection costs less than one per query)."""
    current = _SNAPSHOT.get()
    if current is not None and current[0] == settings.data_dir:
        yield  # already inside a snapshot of this warehouse
        return
    with open_store(settings).reading() as read:
        token = _SNAPSHOT.set((settings.data_dir, read))
        try:
            yield
        finally:
            _SNAPSHOT.reset(token)


def query(settings: Settings, sql: str, params: Sequence | None = None) -> pd.DataFrame:
    """Run one read-only query on the served warehouse and return a DataFrame
    (in the current snapshot of it, if any)."""
    current = _SNAPSHOT.get()
    if current is not None and current[0] == settings.data_dir:
        return current[1](sql, params)
    return open_store(settings).query(sql, params)


def scalar(settings: Settings, sql: str, params: Sequence | None = None):
    frame = query(settings, sql, params)
    return None if frame.empty else frame.iat[0, 0]
