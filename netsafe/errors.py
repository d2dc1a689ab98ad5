"""User-facing errors. Each carries a Vietnamese message with English beside
it; the CLI turns them into exit codes in one place."""

from __future__ import annotations


class NetsafeError(Exception):
    """An error a user can act on. str() gives 'vi / en'."""

    exit_code = 1

    def __init__(self, vi: str, en: str) -> None:
        self.vi = vi
        self.en = en
        super().__init__(f"{vi} / {en}")


class WarehouseBusy(NetsafeError):
    exit_code = 75  # EX_TEMPFAIL: try again later


class WarehouseMissing(NetsafeError):
    exit_code = 2


class BuildFailed(NetsafeError):
    exit_code = 3
