"""The registry of reporters beyond the seeds: after the 2025 reorganisation
commune-level People's Committees report too, and the province publishes
their list. `netsafe registry import FILE` takes that list as a CSV with the
header below, checks every row (nothing lands if one is wrong), archives the
file by hash and appends the rows to raw.registry_agencies; the next build
merges them into dim_agencies (kind commune, on the statistical region each
lies in). Importing a corrected list later replaces those codes' rows.

Header (UTF-8, one row per commune People's Committee):
    agency_code,name_vi,name_en,statistical_region_code,valid_from,valid_to,note
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd

from netsafe import dates, records, warehouse
from netsafe.errors import NetsafeError
from netsafe.intake.read import decode_csv, looks_like_formula
from netsafe.settings import Settings
from netsafe.store import open_store
from netsafe.store.base import archive

HEADER = ("agency_code", "name_vi", "name_en", "statistical_region_code", "valid_from", "valid_to", "note")
REQUIRED = ("agency_code", "name_vi", "statistical_region_code", "valid_from")
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,63}$")
MAX_ROWS = 5000
MAX_BYTES = 5_000_000
MAX_NAME = 200
MAX_NOTE = 500
SHOWN = 20  # problems listed in the error: enough to fix the file


@dataclass(frozen=True)
class ImportResult:
    import_id: str
    file_sha256: str
    added: int
    replaced: int


def _problem(row: int, field: str, vi: str, en: str) -> tuple[str, str]:
    return (f"dòng {row}, cột {field}: {vi}", f"row {row}, column {field}: {en}")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse(settings: Settings, name: str, content: bytes) -> list[dict]:
    """The rows of a registry CSV, each checked; any problem refuses the whole
    file with every problem named by row and column, in Vietnamese and English."""
    text, unreadable = decode_csv(name, content)
    if unreadable is not None:
        problem = unreadable.problems[0]
        raise NetsafeError(f"{name}: {problem.vi}", f"{name}: {problem.en}")
    reader = csv.reader(io.StringIO(text))
    header = [column.strip().lower() for column in next(reader, [])]
    if tuple(header) != HEADER:
        found = ",".join(header)
        raise NetsafeError(
            f"{name}: dòng tiêu đề phải là: {','.join(HEADER)} (tệp có: {found or 'trống'}).",
            f"{name}: the header must be: {','.join(HEADER)} (the file has: {found or 'nothing'}).",
        )
    reference = _reference(settings)
    rows, problems, seen = [], [], {}
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if number - 1 > MAX_ROWS:
            raise NetsafeError(
                f"{name}: quá {MAX_ROWS} dòng; danh mục một tỉnh không dài như vậy.",
                f"{name}: over {MAX_ROWS} rows; a province's list is not that long.",
            )
        if len(values) != len(HEADER):
            problems.append(
                (
                    f"dòng {number}: có {len(values)} cột, cần {len(HEADER)}.",
                    f"row {number}: {len(values)} columns, {len(HEADER)} expected.",
                )
            )
            continue
        row = {
            key: unicodedata.normalize("NFC", value).strip()
            for key, value in zip(HEADER, values, strict=True)
        }
        problems += _check_row(number, row, reference, seen)
        rows.append(row)
    if not rows and not problems:
        raise NetsafeError(f"{name}: tệp không có dòng nào.", f"{name}: the file has no rows.")
    if problems:
        listed_vi = "\n".join(f"  - {vi}" for vi, _ in problems[:SHOWN])
        listed_en = "\n".join(f"  - {en}" for _, en in problems[:SHOWN])
        more = len(problems) - SHOWN
        raise NetsafeError(
            f"{name}: {len(problems)} lỗi, chưa nhập gì:\n{listed_vi}"
            + (f"\n  … và {more} lỗi khác" if more > 0 else ""),
            f"{name}: {len(problems)} problems, nothing imported:\n{listed_en}"
            + (f"\n  … and {more} more" if more > 0 else ""),
        )
    return rows


def _reference(settings: Settings) -> dict:
    agencies = warehouse.query(settings, "select agency_code, agency_kind from marts.dim_agencies")
    regions = warehouse.query(
        settings,
        "select area_code, administrative_until from marts.dim_areas where area_level = 'district'",
    )
    since = regions.administrative_until.dropna()
    return {
        "seeded": set(agencies[agencies.agency_kind != "commune"].agency_code),
        "regions": set(regions.area_code),
        "since": pd.Timestamp(since.min()).date() if not since.empty else None,
    }


def _check_row(number: int, row: dict, reference: dict, seen: dict) -> list[tuple[str, str]]:
    problems = []
    for field in REQUIRED:
        if not row[field]:
            problems.append(_problem(number, field, "bắt buộc, đang trống.", "required, blank."))
    for field, value in row.items():
        if looks_like_formula(value):
            problems.append(_problem(number, field, "không được là công thức.", "may not be a formula."))
    code = row["agency_code"].upper()
    if code and not CODE.match(code):
        problems.append(
            _problem(
                number,
                "agency_code",
                f"{code[:70]!r} không hợp lệ (chữ in hoa, số, dấu _; tối đa 64 ký tự).",
                f"{code[:70]!r} is not valid (capitals, digits, _; at most 64 characters).",
            )
        )
    elif code in reference["seeded"]:
        problems.append(
            _problem(
                number,
                "agency_code",
                f"{code} đã là đơn vị trong danh mục gốc; hãy dùng mã khác.",
                f"{code} is already a seeded agency; use another code.",
            )
        )
    elif code in seen:
        problems.append(
            _problem(
                number,
                "agency_code",
                f"{code} bị lặp (đã có ở dòng {seen[code]}).",
                f"{code} is duplicated (already on row {seen[code]}).",
            )
        )
    seen.setdefault(code, number)
    for field, limit in (("name_vi", MAX_NAME), ("name_en", MAX_NAME), ("note", MAX_NOTE)):
        if len(row[field]) > limit:
            problems.append(
                _problem(number, field, f"dài quá {limit} ký tự.", f"longer than {limit} characters.")
            )
    region = row["statistical_region_code"].upper()
    if region and region not in reference["regions"]:
        problems.append(
            _problem(
                number,
                "statistical_region_code",
                f"{region[:70]!r} không phải vùng thống kê (huyện cũ) nào.",
                f"{region[:70]!r} is not a statistical region (former district).",
            )
        )
    start, end = _day(row["valid_from"]), _day(row["valid_to"]) if row["valid_to"] else None
    if row["valid_from"] and start is None:
        problems.append(
            _problem(number, "valid_from", "không phải ngày YYYY-MM-DD.", "not a YYYY-MM-DD date.")
        )
    if row["valid_to"] and end is None:
        problems.append(_problem(number, "valid_to", "không phải ngày YYYY-MM-DD.", "not a YYYY-MM-DD date."))
    since = reference["since"]
    if start and since and start < since:
        problems.append(
            _problem(
                number,
                "valid_from",
                f"UBND cấp xã báo cáo từ ngày {since:%d/%m/%Y}; ngày {start:%d/%m/%Y} sớm hơn.",
                f"commune committees report from {since.isoformat()}; {start.isoformat()} is earlier.",
            )
        )
    if start and end and end <= start:
        problems.append(_problem(number, "valid_to", "phải sau valid_from.", "must be after valid_from."))
    return problems


def import_file(settings: Settings, name: str, content: bytes, *, actor: str) -> ImportResult:
    """Check, archive and append the list in one transaction (all or nothing)."""
    rows = parse(settings, name, content)
    sha = hashlib.sha256(content).hexdigest()
    known = set(
        open_store(settings).read_raw("select distinct agency_code from raw.registry_agencies").agency_code
    )
    landed_at = dates.now()
    import_id = records.new_record_id(landed_at)
    archive(settings, content)
    open_store(settings).append_records(
        "registry_agencies",
        [
            {
                "import_id": import_id,
                "agency_code": row["agency_code"].upper(),
                "name_vi": row["name_vi"],
                "name_en": row["name_en"] or None,
                "statistical_region_code": row["statistical_region_code"].upper(),
                "valid_from": date.fromisoformat(row["valid_from"]),
                "valid_to": date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "note": row["note"] or None,
                "source_file_sha256": sha,
                "actor": actor,
                "landed_at": landed_at,
            }
            for row in rows
        ],
    )
    replaced = sum(1 for row in rows if row["agency_code"].upper() in known)
    return ImportResult(import_id, sha, len(rows) - replaced, replaced)
