"""The XLSX annex: the tables behind every figure of the report, formatted
for print. Text that came from agencies is neutralised so no cell becomes a
formula when opened."""

from __future__ import annotations

from contextvars import ContextVar
from copy import copy

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from netsafe.formatting import number, safe_cell_text
from netsafe.report.consolidated import (
    STAGE_WORDS,
    STATUS_VI,
    change_rate,
    side_words,
    source_name,
    usual_range,
)
from netsafe.report.figures import ReportFigures

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
# shared style objects: one per look, not one per cell (large annexes)
BODY_FONT = Font(name=FONT, size=11)
TOTAL_FONT = Font(name=FONT, size=11, bold=True)
BODY_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def _value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("<NA>", "NaT"):
        return None
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return value.item()
    return safe_cell_text(value)


def _cell_style(wb: Workbook, *, total: bool, number_format: str | None) -> str:
    """A named style per look (body or total row, number format), registered
    once per workbook: a cell then takes its whole style in one step, where
    setting font, border and alignment cell by cell costs ~25 µs each."""
    name = f"Phụ lục {'tổng' if total else 'thân'} {number_format or 'General'}"
    if name not in wb.named_styles:
        wb.add_named_style(
            NamedStyle(
                name=name,
                font=TOTAL_FONT if total else BODY_FONT,
                border=BORDER,
                alignment=BODY_ALIGNMENT,
                number_format=number_format or "General",
            )
        )
    return name


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
    if ATTACHED_TO.get():
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
        ws["A2"] = ATTACHED_TO.get()
        ws["A2"].font = Font(name=FONT, italic=True, size=11)
        ws["A2"].alignment = Alignment(horizontal="center")
    for column, label in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=column, value=label)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    all_rows = rows + ([total] if total else [])
    formats = number_format or {}
    # the first cell of each look takes its named style; the others copy that
    # cell's style record (openpyxl's own way to copy a style), which skips
    # the style lookup that costs more than writing the cell
    looks: dict[tuple, object] = {}
    for offset, values in enumerate(all_rows):
        is_total = total is not None and offset == len(all_rows) - 1
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=4 + offset, column=column, value=_value(value))
            look = (is_total, formats.get(column))
            if look in looks:
                cell._style = copy(looks[look])
            else:
                cell.style = _cell_style(wb, total=is_total, number_format=look[1])
                looks[look] = cell._style
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


COUNTS = "#,##0"
CHANGE = "+0.0%;-0.0%;0.0%"
# "Kèm theo Báo cáo số 12/BC-SKHCN ngày 15/10/2024 của …", for every sheet of one build
ATTACHED_TO: ContextVar[str | None] = ContextVar("attached_to", default=None)


def _columns_sheet(
    wb: Workbook,
    title: str,
    heading: str,
    frame: pd.DataFrame,
    columns: list[tuple[str, str, int, str | None]],
    total: list | None = None,
) -> None:
    """A sheet of one frame: (header, frame column, width, number format) per column."""
    _sheet(
        wb,
        title,
        heading,
        [header for header, _, _, _ in columns],
        frame[[column for _, column, _, _ in columns]].values.tolist() if not frame.empty else [],
        [width for _, _, width, _ in columns],
        total=total,
        number_format={index: fmt for index, (_, _, _, fmt) in enumerate(columns, start=1) if fmt},
    )


def _violations_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    v = figures.violations
    detected = v.detected.sum()
    _columns_sheet(
        wb,
        "1. Loại vi phạm",
        f"Phụ lục 1. Số vụ việc theo loại vi phạm — {label}",
        v,
        [
            ("Loại vi phạm", "name_vi", 40, None),
            ("Phát hiện", "detected", 11, COUNTS),
            ("Đã xử lý", "handled", 11, COUNTS),
            ("Tỷ lệ xử lý", "handled_rate", 11, "0.0%"),
            ("Tiền phạt (đồng)", "fined_vnd", 18, COUNTS),
            ("Gỡ bỏ", "removed_items", 10, COUNTS),
            ("Khởi tố", "prosecuted_cases", 10, COUNTS),
            ("Kỳ trước", "detected_previous", 11, COUNTS),
            ("Cùng kỳ năm trước", "detected_last_year", 14, COUNTS),
            ("So kỳ trước", "detected_change_rate_vs_previous", 11, CHANGE),
            ("So cùng kỳ", "detected_change_rate_vs_last_year", 11, CHANGE),
        ],
        total=[
            "Tổng cộng",
            detected,
            v.handled.sum(),
            # a provincial rate only where the counting rule takes both from the same reporters
            (v.handled.sum() / detected) if detected and v.handled_rate.notna().any() else None,
            v.fined_vnd.sum(),
            v.removed_items.sum(),
            v.prosecuted_cases.sum(),
            v.detected_previous.sum(min_count=1),
            v.detected_last_year.sum(min_count=1),
            change_rate(detected, v.detected_previous.sum()),
            change_rate(detected, v.detected_last_year.sum()),
        ],
    )


def _sources_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    sources = figures.by_source.assign(
        source_name=[source_name(row) for row in figures.by_source.itertuples()],
        counted=[
            ", ".join(words for stage, words in STAGE_WORDS.items() if bool(getattr(row, f"{stage}_counts")))
            or "không (nêu riêng)"
            for row in figures.by_source.itertuples()
        ],
    )
    _columns_sheet(
        wb,
        "1b. Theo nguồn báo cáo",
        f"Phụ lục 1b. Số vụ việc theo cơ quan báo cáo — {label}",
        sources,
        [
            ("Cơ quan báo cáo", "source_name", 44, None),
            ("Phát hiện", "detected", 11, COUNTS),
            ("Đã xử lý", "handled", 11, COUNTS),
            ("Tiền phạt (đồng)", "fined_vnd", 18, COUNTS),
            ("Gỡ bỏ", "removed_items", 10, COUNTS),
            ("Khởi tố", "prosecuted_cases", 10, COUNTS),
            ("Số được tính vào số toàn tỉnh", "counted", 30, None),
        ],
    )


def _areas_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    """Areas by counted detections; a rate per 100,000 people only where the
    population is known, and the others said so (never dropped)."""
    a = figures.areas.copy()
    known = a.population.notna() & (a.population > 0)
    a["per_100k"] = (a.detected / a.population * 100_000).where(known)
    a["population_note"] = ["" if has else "Chưa có số liệu dân số" for has in known]
    _columns_sheet(
        wb,
        "2. Địa bàn",
        f"Phụ lục 2. Số vụ việc theo địa bàn — {label}",
        a,
        [
            ("Địa bàn", "name_vi", 30, None),
            ("Dân số", "population", 12, COUNTS),
            ("Phát hiện", "detected", 11, COUNTS),
            ("Phát hiện / 100.000 dân", "per_100k", 14, "#,##0.0"),
            ("Đã xử lý", "handled", 11, COUNTS),
            ("Khởi tố", "prosecuted_cases", 10, COUNTS),
            ("Cùng kỳ năm trước", "detected_last_year", 14, COUNTS),
            ("Ghi chú", "population_note", 24, None),
        ],
        total=[
            "Tổng cộng",
            None,
            a.detected.sum(),
            None,
            a.handled.sum(),
            a.prosecuted_cases.sum(),
            a.detected_last_year.sum(min_count=1),
            "",
        ],
    )


def _area_types_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    """Areas × violation types: the table a leader reads across and down."""
    cells = figures.area_types
    if cells.empty:
        types, areas = [], []
    else:
        types = cells.sort_values("display_order").type_name_vi.drop_duplicates().tolist()
        areas = figures.areas.name_vi.tolist()
    pivot = (
        cells.pivot_table(index="area_name_vi", columns="type_name_vi", values="detected", aggfunc="sum")
        .reindex(index=areas, columns=types)
        .fillna(0)
        if not cells.empty
        else pd.DataFrame()
    )
    rows = [
        [area, *(int(value) for value in values), int(sum(values))] for area, *values in pivot.itertuples()
    ]
    total = (
        ["Tổng cộng", *(int(pivot[name].sum()) for name in types), int(pivot.values.sum())] if types else None
    )
    _sheet(
        wb,
        "2b. Địa bàn × loại vi phạm",
        f"Phụ lục 2b. Số vụ phát hiện theo địa bàn và loại vi phạm — {label}",
        ["Địa bàn", *types, "Cộng"],
        rows,
        [26, *([14] * len(types)), 10],
        total=total,
        number_format={index: COUNTS for index in range(2, len(types) + 3)},
    )


def _indicators_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    _columns_sheet(
        wb,
        "3. Chỉ tiêu",
        f"Phụ lục 3. Kết quả thực hiện nhiệm vụ theo đơn vị — {label}",
        figures.agency_indicators,
        [
            ("Nhiệm vụ", "task_number", 9, None),
            ("Cơ quan, đơn vị", "agency_name_vi", 40, None),
            ("Chỉ tiêu", "indicator_name_vi", 44, None),
            ("Đơn vị tính", "unit_vi", 12, None),
            ("Giá trị", "total_value", 14, COUNTS),
        ],
    )


def _compliance_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    _columns_sheet(
        wb,
        "4. Gửi báo cáo",
        f"Phụ lục 4. Tình hình gửi báo cáo — {label}",
        figures.compliance.assign(
            status_vi=figures.compliance.compliance_status.map(STATUS_VI),
            # lateness is counted for reports received; none for one still awaited
            days_late=figures.compliance.days_late.where(
                figures.compliance.compliance_status.isin(["on_time", "late"])
            ),
        ),
        [
            ("Kỳ", "period_label_vi", 14, None),
            ("Cơ quan, đơn vị", "name_vi", 44, None),
            ("Tình trạng", "status_vi", 22, None),
            ("Nhận lần đầu", "first_accepted_at", 18, "dd/mm/yyyy hh:mm"),
            ("Số ngày trễ", "days_late", 12, None),
            ("Số phiên bản", "submission_count", 12, None),
        ],
    )


def _quality_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    rules = [
        [
            r.period_label_vi,
            "Quy tắc kiểm tra",
            r.rule_name_vi,
            "Sai sót" if r.severity == "error" else "Cần xem lại",
            r.agency_name_vi,
            f"{side_words(r.left_side)}: {number(r.left_value)}",
            f"{side_words(r.right_side)}: {number(r.right_value)}",
        ]
        for r in figures.rule_violations.itertuples()
    ]
    outliers = [
        [
            r.period_label_vi,
            "Giá trị bất thường",
            r.measure_name_vi,
            "Cần xem lại",
            r.subject_name_vi,
            f"{number(r.observed_value)} {unit}",
            usual_range(r, unit),
        ]
        for r in figures.outliers.itertuples()
        for unit in [r.unit_vi if isinstance(r.unit_vi, str) else "vụ"]
    ]
    _sheet(
        wb,
        "5. Chất lượng số liệu",
        f"Phụ lục 5. Lưu ý về chất lượng số liệu — {label}",
        ["Kỳ", "Loại", "Nội dung", "Mức độ", "Đơn vị / địa bàn", "Giá trị", "Yêu cầu / mức thường gặp"],
        rules + outliers,
        [14, 16, 40, 12, 36, 26, 30],
    )


SECTION_WORDS = {
    "results": "Kết quả nổi bật",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
}


def _narratives_sheet(wb: Workbook, figures: ReportFigures, label: str) -> None:
    """What each agency wrote, word for word (text that looks like a formula
    is kept as text)."""
    narratives = figures.narratives
    labels = dict(zip(figures.compliance.period_code, figures.compliance.period_label_vi, strict=False))
    rows = [
        [
            labels.get(row.period_code, label),
            row.agency_name_vi,
            SECTION_WORDS[row.narrative_section],
            figures.task_titles.get(int(row.task_number), "") if pd.notna(row.task_number) else "",
            row.narrative_text,
        ]
        for row in narratives.itertuples()
    ]
    _sheet(
        wb,
        "6. Ý kiến của đơn vị",
        f"Phụ lục 6. Kết quả nổi bật, khó khăn và kiến nghị của các cơ quan, đơn vị — {label}",
        ["Kỳ", "Cơ quan, đơn vị", "Mục", "Nhiệm vụ", "Nội dung"],
        rows,
        [14, 36, 20, 30, 80],
    )


SHEETS = (
    _violations_sheet,
    _sources_sheet,
    _areas_sheet,
    _area_types_sheet,
    _indicators_sheet,
    _compliance_sheet,
    _quality_sheet,
    _narratives_sheet,
)


def build(figures: ReportFigures, attached_to: str | None = None) -> Workbook:
    """The annex workbook: one sheet per table behind the report, each under
    the line that ties it to the report ("Kèm theo Báo cáo số …")."""
    ATTACHED_TO.set(attached_to)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        sheet(wb, figures, figures.period.label_vi)
    return wb
