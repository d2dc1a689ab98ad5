"""Shared fixtures. Every test builds its own warehouse in a temporary
NETSAFE_DATA_DIR from the seeds and generated data; none touches ./data."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from netsafe import build, demo
from netsafe.settings import Settings

# The demo data set up to a fixed day, so tests do not move with the calendar.
DEMO_UNTIL = date(2026, 10, 1)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test may fall back to ./data, nor to a developer's own sign-in secrets."""
    monkeypatch.setenv("NETSAFE_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.setenv("NETSAFE_AUTH_SECRETS", str(tmp_path_factory.mktemp("no-auth") / "secrets.toml"))


def dbt_unit_tests(settings: Settings, **env: str) -> tuple[int, list[dict]]:
    """Run the project's dbt unit tests, which warehouse builds leave out, on
    settings' built warehouse (env: the target's variables); dbt's exit code
    and each unit test's outcome."""
    environment = build.dbt_env(settings, **env)
    del environment["DBT_EXCLUDE_RESOURCE_TYPES"]
    settings.ensure_dirs()
    log_path = settings.build_dir / "dbt_unit_tests.log"
    with open(log_path, "w", encoding="utf-8") as log:
        code = build.run_child(
            [*build.dbt_command(), "test", "--select", "test_type:unit", "--no-use-colors"],
            env=environment,
            stdout=log,
        )
    return code, build.run_results(settings)


def make_settings(path: Path) -> Settings:
    path.mkdir(parents=True, exist_ok=True)
    return Settings(data_dir=path)


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Settings:
    """A warehouse built from the seeds and the demo data set (read-only use)."""
    settings = make_settings(tmp_path_factory.mktemp("demo"))
    build.build(settings, quiet=True)
    demo.generate(settings, DEMO_UNTIL)
    build.build(settings, quiet=True)
    return settings


@pytest.fixture(scope="session")
def empty_warehouse(tmp_path_factory) -> Settings:
    """A warehouse built from the seeds only, with an empty raw landing."""
    settings = make_settings(tmp_path_factory.mktemp("empty"))
    build.build(settings, quiet=True)
    return settings


@pytest.fixture()
def fresh_settings(tmp_path) -> Settings:
    """An empty data dir of the test's own (build it yourself)."""
    os.environ["NETSAFE_DATA_DIR"] = str(tmp_path / "data")
    return make_settings(tmp_path / "data")


@pytest.fixture()
def demo_warehouse_copy(demo_warehouse, tmp_path) -> Settings:
    """A private copy of the demo warehouse (landing included) a test may change."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo_warehouse.data_dir, target, ignore=shutil.ignore_patterns("build"))
    return Settings(data_dir=target)


@pytest.fixture()
def wh(empty_warehouse, tmp_path) -> Settings:
    """A private copy of the empty warehouse a test may land into."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(empty_warehouse.data_dir, target, ignore=shutil.ignore_patterns("build"))
    return Settings(data_dir=target)


@pytest.fixture()
def ref(wh):
    """The reference data intake checks against."""
    from netsafe.intake import reference

    return reference.load(wh)
