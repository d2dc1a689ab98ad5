"""Scaled reference data for benchmarks: `netsafe demo --scale N` makes N
copies of the province (its agencies and areas, codes suffixed _S002...),
written as a seed directory inside the data dir that builds then use, so the
whole pipeline runs on N times the agencies, areas and submissions."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from netsafe.settings import PROJECT_DIR, Settings

SEEDS = PROJECT_DIR / "seeds"
AGENCY_CODE_COLUMNS = ("agency_code", "successor_agency_code")
AREA_CODE_COLUMNS = ("area_code", "reporting_area_code", "parent_area_code", "successor_area_code")


def suffix(copy: int) -> str:
    return "" if copy == 1 else f"_S{copy:03d}"


def base_code(code: str) -> str:
    """The province's own code behind a scaled copy's (PHAN_THIET_S002 → PHAN_THIET)."""
    head, _, tail = code.rpartition("_S")
    return head if head and tail.isdigit() else code


def _copies(rows: list[dict], n: int, code_columns: tuple[str, ...]) -> list[dict]:
    out = []
    for copy in range(1, n + 1):
        for row in rows:
            new = dict(row)
            for column in code_columns:
                if column in new and new[column]:
                    new[column] = new[column] + suffix(copy)
            if copy > 1:
                new["name_vi"] = f"{row['name_vi']} (bản sao {copy})"
                new["name_en"] = f"{row['name_en']} (copy {copy})"
            out.append(new)
    return out


def _rewrite(source: Path, target: Path, n: int, columns: tuple[str, ...]) -> int:
    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    scaled = _copies(rows, n, columns)
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(scaled)
    return len(scaled)


def write_scaled_seeds(settings: Settings, n: int) -> Path:
    """Copy the seeds with agencies and areas multiplied n times."""
    target = settings.scaled_seed_dir
    if target.exists():
        shutil.rmtree(target)
    # with the seeds' own tests (_seeds.yml): a scaled build runs every check a
    # real one does (the copied agencies and areas pass them too)
    shutil.copytree(SEEDS, target)
    _rewrite(SEEDS / "agencies.csv", target / "agencies.csv", n, AGENCY_CODE_COLUMNS + AREA_CODE_COLUMNS)
    _rewrite(SEEDS / "areas.csv", target / "areas.csv", n, AREA_CODE_COLUMNS)
    return target
