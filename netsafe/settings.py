"""Where things live. Every path comes from the environment with a sane default,
so tests point NETSAFE_DATA_DIR at a temporary directory and never touch a
user's data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path

    @property
    def target(self) -> str:
        """Where raw landing and the marts live: duckdb (default) or postgres.
        Only netsafe.store reads this, to choose its implementation."""
        return os.environ.get("NETSAFE_TARGET", "duckdb")

    @property
    def warehouse_path(self) -> Path:
        """The served warehouse: marts, replaced atomically by each build."""
        return self.data_dir / "warehouse.duckdb"

    @property
    def raw_path(self) -> Path:
        """Raw landing: the only file intake writes to."""
        return self.data_dir / "landing.duckdb"

    @property
    def raw_lock_path(self) -> Path:
        return self.data_dir / "landing.lock"

    @property
    def build_dir(self) -> Path:
        return self.data_dir / "build"

    def as_of_settings(self, as_of) -> Settings:
        """A private data dir for the warehouse rebuilt as of a moment."""
        return Settings(data_dir=self.build_dir / f"as_of_{as_of:%Y%m%dT%H%M%S}")

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def reports_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def quality_dir(self) -> Path:
        return self.data_dir / "quality"

    @property
    def scaled_seed_dir(self) -> Path:
        """Reference data multiplied by `netsafe demo --scale N` (benchmarks)."""
        return self.data_dir / "seeds_scaled"

    @property
    def seed_dir(self) -> Path:
        """The reference data this data dir builds from."""
        return self.scaled_seed_dir if self.scaled_seed_dir.exists() else PROJECT_DIR / "seeds"

    @property
    def quality_history_path(self) -> Path:
        """History of quality runs (written only by `netsafe check`)."""
        return self.data_dir / "quality.duckdb"

    @property
    def last_build_path(self) -> Path:
        """Summary of the last published build (dbt results), JSON."""
        return self.data_dir / "last_build.json"

    def ensure_dirs(self) -> None:
        for path in (self.data_dir, self.build_dir, self.archive_dir):
            path.mkdir(parents=True, exist_ok=True)


def get_settings() -> Settings:
    data_dir = Path(os.environ.get("NETSAFE_DATA_DIR", "data")).expanduser()
    if not data_dir.is_absolute():
        data_dir = Path.cwd() / data_dir
    return Settings(data_dir=data_dir)


def lock_timeout_seconds() -> float:
    """How long a writer waits for the raw landing before giving up."""
    return float(os.environ.get("NETSAFE_LOCK_TIMEOUT", "120"))


def freshness_days() -> int:
    """A warehouse whose latest submission is older than this is flagged stale."""
    return int(os.environ.get("NETSAFE_FRESHNESS_DAYS", "120"))


def restrict_new_files() -> None:
    """Files netsafe creates (archive, landing, warehouse, reports) are readable
    by their owner only, or also by the owner's group when
    NETSAFE_GROUP_READABLE=1 (a shared service account); never by everyone."""
    os.umask(0o027 if os.environ.get("NETSAFE_GROUP_READABLE") == "1" else 0o077)
