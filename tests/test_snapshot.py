"""A document reads every figure from one version of the warehouse, even if
a build is published while it is being written."""

import os

import duckdb

from netsafe import warehouse
from netsafe.settings import Settings


def _warehouse_file(path, figure: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(f"create table marts.figure as select {figure} as detected")
    con.close()


def test_a_snapshot_keeps_reading_the_build_it_opened(tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    settings.ensure_dirs()
    _warehouse_file(settings.warehouse_path, 120)
    newer = tmp_path / "newer.duckdb"
    _warehouse_file(newer, 135)
    read = "select detected from marts.figure"
    with warehouse.snapshot(settings):
        assert warehouse.scalar(settings, read) == 120
        os.replace(newer, settings.warehouse_path)  # a build publishes meanwhile
        assert warehouse.scalar(settings, read) == 120  # the same build to the end
        with warehouse.snapshot(settings):  # nested: still the same snapshot
            assert warehouse.scalar(settings, read) == 120
    assert warehouse.scalar(settings, read) == 135  # the next reader sees the new build
    # another warehouse (an as-of rebuild) is not read through this snapshot
    other = Settings(data_dir=tmp_path / "other")
    other.ensure_dirs()
    _warehouse_file(other.warehouse_path, 7)
    with warehouse.snapshot(settings):
        assert warehouse.scalar(other, read) == 7
