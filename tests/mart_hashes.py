"""A fingerprint of every mart's rows on the demo data, so a refactor that
should not change a figure proves it did not.

Regenerate the expected file only when a change is meant to alter figures
(and say so in its commit):

    .venv/bin/python -m tests.mart_hashes --write
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

from netsafe import warehouse
from netsafe.settings import Settings

EXPECTED_PATH = Path(__file__).with_name("expected_mart_hashes.json")

# Columns that differ between two builds of the same data: when a row was
# landed (or became current) or a document was generated (the wall clock), and whether a deadline has
# passed (judged on today's date).
VOLATILE_COLUMNS = frozenset(
    {"landed_at", "current_since", "generated_at", "as_of", "is_deadline_passed", "report_id"}
)


def _canonical(frame: pd.DataFrame) -> str:
    frame = frame[[column for column in sorted(frame.columns) if column not in VOLATILE_COLUMNS]]
    text = frame.astype(object).where(frame.notna(), None).map(_cell)
    lines = sorted("\x1f".join(row) for row in text.itertuples(index=False, name=None))
    return "\x1f".join(frame.columns) + "\n" + "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "∅"
    if isinstance(value, float):
        return f"{value:.6f}"
    try:
        from decimal import Decimal

        if isinstance(value, Decimal):
            return f"{float(value):.6f}"
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def mart_hashes(settings: Settings) -> dict[str, str]:
    tables = warehouse.query(
        settings,
        "select table_name from information_schema.tables where table_schema = 'marts' order by 1",
    )["table_name"].tolist()
    result = {}
    for table in tables:
        frame = warehouse.query(settings, f"select * from marts.{table}")
        digest = hashlib.sha256(_canonical(frame).encode()).hexdigest()[:16]
        result[table] = f"{len(frame)}:{digest}"
    return result


def _write() -> None:
    from netsafe import build, demo
    from tests.conftest import DEMO_UNTIL

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        build.build(settings, quiet=True)
        demo.generate(settings, DEMO_UNTIL)
        build.build(settings, quiet=True)
        EXPECTED_PATH.write_text(json.dumps(mart_hashes(settings), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED_PATH}")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()
