"""Reading a received file into lines, by its content (not its name).

Recognised: a filled netsafe template (.xlsx, template version NETSAFE-1) and
two CSV layouts for machine-to-machine use, told apart by their header. What
cannot be read becomes a Problem naming the file; nothing is guessed.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from netsafe.contract import INCIDENT_CSV_HEADER, INDICATOR_CSV_HEADER, STAGES, TEMPLATE_VERSION
from netsafe.intake import templates
from netsafe.intake.problems import Problem

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def max_bytes() -> int:
    return int(float(os.environ.get("NETSAFE_MAX_UPLOAD_MB", "5")) * 1024 * 1024)


@dataclass
class Cell:
    """A value as read, and where it was (for messages and highlighting)."""

    value: Any
    column: str
    ref: str | None = None
    is_formula: bool = False


@dataclass
class Line:
    sheet: str | None
    row: int
    cells: dict[str, Cell]


@dataclass
class ReadFile:
    name: str
    kind: str  # template | indicators_csv | incidents_csv | unreadable
    agency_code: str | None = None
    period_code: str | None = None
    template_version: str | None = None
    indicator_lines: list[Line] = field(default_factory=list)
    incident_lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


def read(name: str, content: bytes) -> ReadFile:
    if not content.strip():
        return _unreadable(
            name,
            "Tệp rỗng, không có nội dung.",
            "The file is empty.",
        )
    if len(content) > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        return _unreadable(
            name,
            f"Tệp lớn hơn giới hạn {limit} MB; hãy gửi đúng mẫu báo cáo.",
            f"The file is larger than the {limit} MB limit; send the report template.",
        )
    if content.startswith(OLE_MAGIC):
        return _unreadable(
            name,
            "Tệp Excel có mật khẩu (mã hóa) hoặc định dạng .xls cũ; hãy bỏ mật khẩu và lưu lại dạng .xlsx.",
            "The workbook is password-protected (encrypted) or old .xls; remove the password, save as .xlsx.",
        )
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(name, content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _unreadable(
            name,
            "Không phải tệp Excel (.xlsx) hay CSV (UTF-8): nội dung là dữ liệu nhị phân khác.",
            "Not an Excel (.xlsx) or CSV (UTF-8) file: the content is some other binary data.",
        )
    if "\x00" in text:
        return _unreadable(
            name,
            "Không phải tệp CSV văn bản (có ký tự nhị phân).",
            "Not a text CSV file (it holds binary characters).",
        )
    return _read_csv(name, text)


def _unreadable(name: str, vi: str, en: str) -> ReadFile:
    return ReadFile(name=name, kind="unreadable", problems=[Problem(name, vi, en)])


def _read_xlsx(name: str, content: bytes) -> ReadFile:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return _unreadable(
            name,
            "Tệp Excel bị hỏng, không đọc được; hãy mở và lưu lại, hoặc tải mẫu mới.",
            "The workbook is corrupt and cannot be read; re-save it or start from a new template.",
        )
    if "xl/workbook.xml" not in names:
        return _unreadable(
            name,
            "Tệp nén không phải sổ tính Excel (.xlsx).",
            "The zip file is not an Excel workbook (.xlsx).",
        )
    if any(part.lower().endswith("vbaproject.bin") for part in names):
        return _unreadable(
            name,
            "Sổ tính có macro (VBA); không nhận tệp có macro. Hãy lưu lại dạng .xlsx không có macro.",
            "The workbook contains macros (VBA), which are not accepted; save it as a plain .xlsx.",
        )
    try:
        wb = load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        return _unreadable(
            name,
            f"Tệp Excel bị hỏng, không đọc được ({type(exc).__name__}).",
            f"The workbook is damaged and cannot be read ({type(exc).__name__}).",
        )
    if templates.META_SHEET not in wb.sheetnames:
        return _unreadable(
            name,
            "Sổ tính không phải mẫu báo cáo netsafe (thiếu trang thông tin mẫu); hãy dùng mẫu do Sở gửi.",
            "The workbook is not a netsafe report template (no template information); "
            "use the DIC's template.",
        )
    meta = {
        str(row[0].value): nfc(row[1].value)
        for row in wb[templates.META_SHEET].iter_rows(min_row=1, max_col=2)
        if row[0].value
    }
    result = ReadFile(
        name=name,
        kind="template",
        agency_code=meta.get("agency_code"),
        period_code=meta.get("period_code"),
        template_version=meta.get("template_version"),
    )
    if result.template_version != TEMPLATE_VERSION:
        result.problems.append(
            Problem(
                name,
                f"Phiên bản mẫu {result.template_version!r} không được hỗ trợ "
                f"(cần {TEMPLATE_VERSION}); hãy tải mẫu mới.",
                f"Template version {result.template_version!r} is not supported "
                f"(expected {TEMPLATE_VERSION}); download a new template.",
            )
        )
        return result
    if templates.INDICATOR_SHEET in wb.sheetnames:
        ws = wb[templates.INDICATOR_SHEET]
        for row in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
            code = ws.cell(row=row, column=2)
            if code.value in (None, ""):
                continue
            result.indicator_lines.append(
                Line(
                    ws.title,
                    row,
                    {
                        "indicator_code": _cell(code, "Mã chỉ tiêu"),
                        "value": _cell(ws.cell(row=row, column=5), "Giá trị"),
                        "note": _cell(ws.cell(row=row, column=6), "Ghi chú"),
                    },
                )
            )
    if templates.INCIDENT_SHEET in wb.sheetnames:
        ws = wb[templates.INCIDENT_SHEET]
        stage_by_label = {stage.label_vi: stage.field for stage in STAGES}
        stage_columns: dict[int, tuple[str, str]] = {}
        for column in range(len(templates.INCIDENT_FIXED_COLUMNS) + 1, ws.max_column + 1):
            label = nfc(ws.cell(row=templates.HEADER_ROW, column=column).value)
            if label in stage_by_label:
                stage_columns[column] = (stage_by_label[label], label)
            elif label:
                result.problems.append(
                    Problem(
                        name,
                        f"Cột lạ {label!r} trong mẫu; không thêm hay đổi tên cột.",
                        f"Unknown column {label!r}; do not add or rename columns.",
                        sheet=ws.title,
                        row=templates.HEADER_ROW,
                        column=label,
                    )
                )
        for row in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
            area = ws.cell(row=row, column=2)
            if area.value in (None, ""):
                continue
            cells = {
                "area_code": _cell(area, "Mã địa bàn"),
                "violation_type_code": _cell(ws.cell(row=row, column=4), "Mã loại vi phạm"),
            }
            for column, (stage, label) in stage_columns.items():
                cells[stage] = _cell(ws.cell(row=row, column=column), label)
            result.incident_lines.append(Line(ws.title, row, cells))
    return result


def _cell(cell, label: str) -> Cell:
    is_formula = cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))
    return Cell(nfc(cell.value), label, cell.coordinate, is_formula)


def _read_csv(name: str, text: str) -> ReadFile:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return _unreadable(
            name,
            f"Tệp CSV sai định dạng, không đọc được ({exc}).",
            f"The CSV file is malformed and cannot be read ({exc}).",
        )
    if not rows:
        return _unreadable(name, "Tệp CSV rỗng.", "The CSV file is empty.")
    header = tuple(nfc(cell).lower() for cell in rows[0])
    if header == INDICATOR_CSV_HEADER:
        kind, fields = "indicators_csv", INDICATOR_CSV_HEADER
    elif header == INCIDENT_CSV_HEADER:
        kind, fields = "incidents_csv", INCIDENT_CSV_HEADER
    else:
        return _unreadable(
            name,
            "Dòng tiêu đề CSV không đúng. Cần đúng một trong hai dạng: "
            f"'{','.join(INDICATOR_CSV_HEADER)}' hoặc '{','.join(INCIDENT_CSV_HEADER)}'.",
            "The CSV header is not recognised. Use exactly "
            f"'{','.join(INDICATOR_CSV_HEADER)}' or '{','.join(INCIDENT_CSV_HEADER)}'.",
        )
    result = ReadFile(name=name, kind=kind)
    agencies: set[str] = set()
    periods: set[str] = set()
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(fields):
            result.problems.append(
                Problem(
                    name,
                    f"Dòng có {len(raw)} cột, cần {len(fields)}.",
                    f"The row has {len(raw)} columns, expected {len(fields)}.",
                    row=number,
                )
            )
            continue
        cells = {
            field_name: Cell(nfc(value) if value.strip() != "" else None, field_name)
            for field_name, value in zip(fields, raw, strict=True)
        }
        for cell in cells.values():
            cell.is_formula = isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "@")
        agencies.add(cells["agency_code"].value or "")
        periods.add(cells["period_code"].value or "")
        line = Line(None, number, cells)
        (result.indicator_lines if kind == "indicators_csv" else result.incident_lines).append(line)
    if len(agencies) > 1 or len(periods) > 1:
        result.problems.append(
            Problem(
                name,
                "Một tệp chỉ được chứa báo cáo của một đơn vị cho một kỳ; tệp có "
                f"{len(agencies)} mã đơn vị và {len(periods)} mã kỳ.",
                "One file holds one agency's report for one period; this one has "
                f"{len(agencies)} agency codes and {len(periods)} period codes.",
            )
        )
    result.agency_code = next(iter(agencies)) if len(agencies) == 1 else None
    result.period_code = next(iter(periods)) if len(periods) == 1 else None
    if not result.indicator_lines and not result.incident_lines:
        result.problems.append(
            Problem(name, "Tệp CSV không có dòng số liệu nào.", "The CSV file has no data rows.")
        )
    return result
