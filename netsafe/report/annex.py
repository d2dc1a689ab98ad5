"""The XLSX annex: the tables behind every figure of the report, formatted
for print. Text that came from agencies is neutralised so no cell becomes a
formula when opened."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from netsafe.report.consolidated import STATUS_VI
from netsafe.report.figures import ReportFigures

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# shared style objects: one per look, not one per cell (large annexes)
BODY_FONT = Font(name=FONT, size=11)
TOTAL_FONT = Font(name=FONT, size=11, bold=True)
BODY_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def safe_text(value):
    """Text that could be read as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("<NA>", "NaT"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return safe_text(value) if isinstance(value, str) else value


def _sheet(
    wb: Workbook,
    title: str,
    heading: str,
    headers: list[str],
    rows: list[list],
    widths: list[int],
    total: list | None = None,
    number_format: dict[int, str] | None = None,
) -> None:
    ws = wb.create_sheet(title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws["A1"] = heading
    ws["A1"].font = Font(name=FONT, bold=True, size=13)
    ws["A1"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[1].height = 36
    for column, label in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=column, value=label)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    all_rows = rows + ([total] if total else [])
    for offset, values in enumerate(all_rows):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=4 + offset, column=column, value=_value(value))
            cell.font = TOTAL_FONT if total is not None and offset == len(all_rows) - 1 else BODY_FONT
            cell.border = BORDER
            cell.alignment = BODY_ALIGNMENT
            if number_format and column in number_format:
                cell.number_format = number_format[column]
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def build(figures: ReportFigures) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    label = figures.period.label_vi
    v = figures.violations
    counts = "#,##0"
    _sheet(
        wb,
        "1. Loai vi pham",
        f"Phụ lục 1. Số vụ việc theo loại vi phạm — {label}",
        [
            "Mã",
            "Loại vi phạm",
            "Phát hiện",
            "Đã xử lý",
            "Tỷ lệ xử lý",
            "Tiền phạt (đồng)",
            "Gỡ bỏ",
            "Khởi tố",
            "Kỳ trước",
            "Cùng kỳ năm trước",
        ],
        [
            [
                r.violation_type_code,
                r.name_vi,
                r.detected,
                r.handled,
                r.handled_rate,
                r.fined_vnd,
                r.removed_items,
                r.prosecuted_cases,
                r.detected_previous,
                r.detected_last_year,
            ]
            for r in v.itertuples()
        ],
        [16, 40, 11, 11, 11, 18, 10, 10, 11, 14],
        total=[
            "",
            "Tổng cộng",
            v.detected.sum(),
            v.handled.sum(),
            (v.handled.sum() / v.detected.sum()) if v.detected.sum() else None,
            v.fined_vnd.sum(),
            v.removed_items.sum(),
            v.prosecuted_cases.sum(),
            v.detected_previous.sum(min_count=1),
            v.detected_last_year.sum(min_count=1),
        ],
        number_format={
            3: counts,
            4: counts,
            5: "0.0%",
            6: counts,
            7: counts,
            8: counts,
            9: counts,
            10: counts,
        },
    )
    a = figures.areas
    _sheet(
        wb,
        "2. Dia ban",
        f"Phụ lục 2. Số vụ việc theo địa bàn — {label}",
        ["Mã", "Địa bàn", "Dân số", "Phát hiện", "Đã xử lý", "Khởi tố", "Cùng kỳ năm trước"],
        [
            [
                r.area_code,
                r.name_vi,
                r.population,
                r.detected,
                r.handled,
                r.prosecuted_cases,
                r.detected_last_year,
            ]
            for r in a.itertuples()
        ],
        [16, 30, 12, 11, 11, 10, 14],
        total=[
            "",
            "Tổng cộng",
            None,
            a.detected.sum(),
            a.handled.sum(),
            a.prosecuted_cases.sum(),
            a.detected_last_year.sum(min_count=1),
        ],
        number_format={3: counts, 4: counts, 5: counts, 6: counts, 7: counts},
    )
    i = figures.agency_indicators
    _sheet(
        wb,
        "3. Chi tieu",
        f"Phụ lục 3. Kết quả thực hiện nhiệm vụ theo đơn vị — {label}",
        ["Nhiệm vụ", "Mã đơn vị", "Cơ quan, đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị"],
        [
            [
                r.task_number,
                r.agency_code,
                r.agency_name_vi,
                r.indicator_code,
                r.indicator_name_vi,
                r.unit_vi,
                r.total_value,
            ]
            for r in i.itertuples()
        ],
        [9, 20, 40, 24, 44, 12, 14],
        number_format={7: counts},
    )
    c = figures.compliance
    _sheet(
        wb,
        "4. Tuan thu",
        f"Phụ lục 4. Tình hình gửi báo cáo — {label}",
        ["Kỳ", "Mã đơn vị", "Cơ quan, đơn vị", "Tình trạng", "Nhận lần đầu", "Số ngày trễ", "Số phiên bản"],
        [
            [
                r.period_code,
                r.agency_code,
                r.name_vi,
                STATUS_VI[r.compliance_status],
                r.first_accepted_at,
                r.days_late,
                r.submission_count,
            ]
            for r in c.itertuples()
        ],
        [10, 20, 44, 22, 18, 12, 12],
        number_format={5: "dd/mm/yyyy hh:mm"},
    )
    rules, outliers = figures.rule_violations, figures.outliers
    quality_rows = [
        [
            r.period_code,
            "Quy tắc",
            r.rule_name_vi,
            r.severity,
            r.agency_name_vi,
            f"{r.left_side} = {r.left_value}",
            f"{r.operator} {r.right_side} = {r.right_value}",
        ]
        for r in rules.itertuples()
    ] + [
        [
            r.period_code,
            "Bất thường",
            r.measure_code,
            "warning",
            r.subject_code,
            r.observed_value,
            f"{r.expected_low} – {r.expected_high}",
        ]
        for r in outliers.itertuples()
    ]
    _sheet(
        wb,
        "5. Chat luong",
        f"Phụ lục 5. Lưu ý về chất lượng số liệu — {label}",
        ["Kỳ", "Loại", "Kiểm tra", "Mức độ", "Đơn vị / địa bàn", "Giá trị", "Yêu cầu / khoảng thường gặp"],
        quality_rows,
        [10, 12, 40, 10, 36, 22, 28],
    )
    return wb
