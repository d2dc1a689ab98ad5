"""Reading a received file into lines, by its content (not its name).

Recognised: a filled netsafe template (.xlsx, template version NETSAFE-2) and
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
from openpyxl.utils import get_column_letter

from netsafe.contract import INCIDENT_CSV_HEADER, INDICATOR_CSV_HEADER, TEMPLATE_VERSION
from netsafe.formatting import number as vi_number
from netsafe.intake import templates
from netsafe.intake.problems import Problem

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def max_bytes() -> int:
    return int(float(os.environ.get("NETSAFE_MAX_UPLOAD_MB", "5")) * 1024 * 1024)


def max_unpacked_bytes() -> int:
    """What the parts of an .xlsx may unpack to, in all (NETSAFE_MAX_UNPACKED_MB)."""
    return int(float(os.environ.get("NETSAFE_MAX_UNPACKED_MB", "50")) * 1024 * 1024)


# Bounds on what a sheet or a cell may hold: far above any real template
# (a few hundred rows, a dozen columns), far below what would hurt.
MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_TEXT = 2000  # characters in a free-text cell (notes)
MAX_CODE = 64  # characters in a code cell


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
    narrative_lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # a template's sheets as read: sheet → row → column (1-based) → cell;
    # only non-empty cells. Checked against the template's layout in validate.
    sheets: dict[str, dict[int, dict[int, Cell]]] = field(default_factory=dict)


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
    text, problem = decode_csv(name, content)
    if problem is not None:
        return problem
    return _read_csv(name, text)


SAVE_AS = (
    'Trong Excel chọn Tệp > Lưu thành > "CSV UTF-8 (Phân cách bằng dấu phẩy) (*.csv)".',
    'In Excel choose File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)".',
)


def decode_csv(name: str, content: bytes) -> tuple[str, ReadFile | None]:
    """Text of a CSV as Excel saves it: UTF-8 with or without BOM, "Unicode
    text" (UTF-16 with BOM, tab-separated) and Vietnamese Windows' default
    (Windows-1258, tone marks combined into NFC). Anything else is refused
    with the Save-as choice that works."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in content:
        try:
            return content.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            try:
                return unicodedata.normalize("NFC", content.decode("cp1258")), None
            except UnicodeDecodeError:
                pass
    return "", _unreadable(
        name,
        "Không đọc được tệp: không phải Excel (.xlsx) hay CSV văn bản (UTF-8, UTF-16, Windows-1258). "
        + SAVE_AS[0],
        "Cannot read the file: not an Excel workbook (.xlsx) or a text CSV (UTF-8, UTF-16, "
        "Windows-1258). " + SAVE_AS[1],
    )


def _unreadable(name: str, vi: str, en: str) -> ReadFile:
    return ReadFile(name=name, kind="unreadable", problems=[Problem(name, vi, en)])


def _read_xlsx(name: str, content: bytes) -> ReadFile:
    problem = _zip_problem(name, content)
    if problem is not None:
        return problem
    try:
        # streaming: rows are parsed as they are read, never the whole sheet at once
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        return _unreadable(
            name,
            f"Tệp Excel bị hỏng, không đọc được ({type(exc).__name__}).",
            f"The workbook is damaged and cannot be read ({type(exc).__name__}).",
        )
    try:
        return _read_template(name, wb)
    finally:
        wb.close()


def _zip_problem(name: str, content: bytes) -> ReadFile | None:
    """A reason not to open the zip at all: not a workbook, macros, or parts
    that would unpack beyond the limit (checked before anything is unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        return _unreadable(
            name,
            "Tệp Excel bị hỏng, không đọc được; hãy mở và lưu lại, hoặc tải mẫu mới.",
            "The workbook is corrupt and cannot be read; re-save it or start from a new template.",
        )
    names = {part.filename for part in parts}
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
    unpacked = sum(part.file_size for part in parts)
    limit = max_unpacked_bytes()
    if unpacked > limit:
        largest = max(parts, key=lambda part: part.file_size)
        return _unreadable(
            name,
            f"Tệp Excel giải nén ra {unpacked // 2**20} MB, vượt giới hạn {limit // 2**20} MB "
            f"(phần lớn nhất: {largest.filename}); mẫu báo cáo chỉ vài trăm KB, hãy dùng mẫu do Sở gửi.",
            f"The workbook unpacks to {unpacked // 2**20} MB, over the {limit // 2**20} MB limit "
            f"(largest part: {largest.filename}); a report template is a few hundred KB.",
        )
    return None


def _read_template(name: str, wb) -> ReadFile:
    if templates.META_SHEET not in wb.sheetnames:
        return _unreadable(
            name,
            "Sổ tính không phải mẫu báo cáo netsafe (thiếu trang thông tin mẫu); hãy dùng mẫu do Sở gửi.",
            "The workbook is not a netsafe report template (no template information); "
            "use the DIC's template.",
        )
    result = ReadFile(name=name, kind="template")
    for ws in wb.worksheets:
        result.sheets[ws.title] = _read_sheet(result, ws)
    meta_sheet = result.sheets.get(templates.META_SHEET, {})
    meta = {
        str(row[1].value): row[2].value
        for row in meta_sheet.values()
        if 1 in row and 2 in row and isinstance(row[1].value, str)
    }
    result.agency_code = meta.get("agency_code")
    result.period_code = meta.get("period_code")
    result.template_version = meta.get("template_version")
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


def _read_sheet(result: ReadFile, ws) -> dict[int, dict[int, Cell]]:
    """The sheet's non-empty cells, read in streaming mode within the bounds:
    more rows or columns than a template can have is a problem, not a read."""
    rows: dict[int, dict[int, Cell]] = {}
    beyond = False
    # every row is scanned (streaming; the part's unpacked size is already
    # bounded) so data anywhere outside the bounds is seen, but only cells
    # inside them are kept
    for row_number, row in enumerate(ws.iter_rows(), start=1):
        for column, cell in enumerate(row, start=1):
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            if row_number > MAX_ROWS or column > MAX_COLUMNS:
                beyond = True
                continue
            ref = f"{get_column_letter(column)}{row_number}"
            read = _cell(cell, "", ref)
            if isinstance(read.value, str) and len(read.value) > MAX_TEXT:
                result.problems.append(
                    Problem(
                        result.name,
                        f"Ô {ref} có {vi_number(len(read.value))} ký tự, vượt giới hạn "
                        f"{vi_number(MAX_TEXT)} ký tự; "
                        "hãy rút gọn.",
                        f"Cell {ref} holds {len(read.value):,} characters, over the {MAX_TEXT:,} limit; "
                        "shorten it.",
                        sheet=ws.title,
                        row=row_number,
                        cell=ref,
                    )
                )
                read.value = read.value[:MAX_TEXT]
            rows.setdefault(row_number, {})[column] = read
    if beyond:
        result.problems.append(
            Problem(
                result.name,
                f"Trang có dữ liệu ngoài phạm vi mẫu (quá {vi_number(MAX_ROWS)} dòng hoặc "
                f"{MAX_COLUMNS} cột); "
                "hãy dùng đúng mẫu của Sở.",
                f"The sheet holds data beyond the template's bounds (over {MAX_ROWS:,} rows or "
                f"{MAX_COLUMNS} columns); use the DIC's template.",
                sheet=ws.title,
            )
        )
    return rows


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet would run as a formula, leading blanks and tabs
    ignored. A leading "-" is not one here: notes start lists with it, and a
    negative number gets its own message."""
    return isinstance(value, str) and value.strip().startswith(("=", "+", "@"))


def _cell(cell, label: str, ref: str) -> Cell:
    is_formula = getattr(cell, "data_type", None) == "f" or looks_like_formula(cell.value)
    return Cell(nfc(cell.value), label, ref, is_formula)


def _read_csv(name: str, text: str) -> ReadFile:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
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
        too_long = False
        for cell in cells.values():
            cell.is_formula = looks_like_formula(cell.value)
            if isinstance(cell.value, str) and len(cell.value) > MAX_CODE:
                result.problems.append(
                    Problem(
                        name,
                        f"Ô '{cell.column}' dài {vi_number(len(cell.value))} ký tự; mã và số không quá "
                        f"{MAX_CODE} ký tự.",
                        f"Field '{cell.column}' is {len(cell.value):,} characters long; codes and numbers "
                        f"are at most {MAX_CODE}.",
                        row=number,
                        column=cell.column,
                    )
                )
                too_long = True
        if too_long:
            continue
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
