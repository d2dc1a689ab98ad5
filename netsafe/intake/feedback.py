"""The file an analyst sends back to an agency whose report was rejected:
their own workbook with the bad cells highlighted and commented, and a first
sheet listing every problem in Vietnamese and English."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill

from netsafe.files import save_atomically
from netsafe.formatting import printable, safe_cell_text
from netsafe.intake.problems import Problem

ERROR_SHEET = "Lỗi - Errors"
ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")


def feedback_workbook(file_name: str, content: bytes, problems: list[Problem]) -> Workbook:
    try:
        wb = load_workbook(io.BytesIO(content)) if content.startswith(b"PK\x03\x04") else Workbook()
    except Exception:
        wb = Workbook()
    if wb.sheetnames == ["Sheet"]:
        wb.active.title = ERROR_SHEET
        ws = wb.active
    else:
        ws = wb.create_sheet(ERROR_SHEET, 0)
    ws.append([safe_cell_text(f"Tệp / file: {file_name}")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Trang / Sheet", "Dòng / Row", "Cột / Column", "Lỗi và cách sửa", "Problem and fix"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for problem in problems:
        ws.append(
            [
                safe_cell_text(value)
                for value in (
                    problem.sheet or "",
                    problem.row or "",
                    problem.column or "",
                    problem.vi,
                    problem.en,
                )
            ]
        )
    for column, width in zip("ABCDE", (18, 10, 20, 70, 60), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for problem in problems:
        if problem.sheet in wb.sheetnames and problem.cell:
            target = wb[problem.sheet][problem.cell]
            target.fill = ERROR_FILL
            target.comment = Comment(printable(f"{problem.vi}\n{problem.en}"), "netsafe")
    wb.active = 0
    return wb


def feedback_file_name(file_name: str, content: bytes) -> str:
    """<stem>_<hash>_phan_hoi.xlsx: safe characters only, and two files with
    the same name stem never share a feedback file."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    stem = re.sub(r"[^\w-]+", "_", printable(stem)).strip("_") or "tep"
    digest = hashlib.sha256(file_name.encode("utf-8", "surrogatepass") + b"\0" + content).hexdigest()[:8]
    return f"{stem[:80]}_{digest}_phan_hoi.xlsx"


def write_feedback(directory: Path, file_name: str, content: bytes, problems: list[Problem]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / feedback_file_name(file_name, content)
    save_atomically(feedback_workbook(file_name, content, problems), path)
    return path
