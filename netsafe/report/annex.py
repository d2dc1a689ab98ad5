"""The XLSX annex: the tables behind every figure of the report, formatted
for print. Text that came from agencies is neutralised so no cell becomes a
formula when opened.

Written with XlsxWriter: the annex is only ever written, never read back or
edited, and at scale 100 (some 39 000 cells) openpyxl's cell objects and
style records took about 0.8 s of a report's 1.6 s; XlsxWriter writes the
same sheets in about half that. Every value is written by its type
(`write_string` for text), and the workbook is told never to turn a string
into a formula or a link."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import xlsxwriter

from netsafe.formatting import number, safe_cell_text
from netsafe.quality.wording import side_words
from netsafe.report.consolidated import (
    STAGE_WORDS,
    STATUS_VI,
    change_rate,
    source_name,
    usual_range,
)
from netsafe.report.figures import ReportFigures

FONT = "Times New Roman"
GREY = "#808080"
TITLE = {"font_name": FONT, "font_size": 13, "bold": True, "align": "center", "text_wrap": True}
ATTACHED = {"font_name": FONT, "font_size": 11, "italic": True, "align": "center"}
BODY = {
    "font_name": FONT,
    "font_size": 11,
    "border": 1,
    "border_color": GREY,
    "valign": "vcenter",
    "text_wrap": True,
}
HEADER = {**BODY, "bold": True, "align": "center", "bg_color": "#DDE7F0"}
# a date or time in a column that names no format still reads as one
WHEN = "dd/mm/yyyy hh:mm"


def _value(value):
    """A frame's value as a cell's: missing is empty, text is made safe."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return safe_cell_text(value)
    if isinstance(value, float):
        return None if pd.isna(value) else value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item"):
        return _value(value.item())
    return value


class _Book:
    """One annex being written: the workbook, its formats (one per look,
    made once) and the line that ties every sheet to the report."""

    def __init__(self, buffer: io.BytesIO, attached_to: str | None) -> None:
        self.workbook = xlsxwriter.Workbook(
            buffer,
            {
                "in_memory": True,
                # agency text is data: never a formula, a link or a number
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.attached_to = attached_to
        self._formats: dict[tuple, object] = {}

    def look(self, base: str, *, bold: bool = False, number_format: str | None = None):
        key = (base, bold, number_format)
        if key not in self._formats:
            properties = dict({"title": TITLE, "attached": ATTACHED, "header": HEADER, "body": BODY}[base])
            if bold:
                properties["bold"] = True
            if number_format:
                properties["num_format"] = number_format
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]


def _write(ws, row: int, column: int, value, looks: tuple) -> None:
    """One body cell, written by the type of its value; `looks` is the
    column's format and the one it takes for a date."""
    value = _value(value)
    if value is None or value == "":
        ws.write_blank(row, column, None, looks[0])
    elif isinstance(value, str):
        ws.write_string(row, column, value, looks[0])
    elif isinstance(value, bool):
        ws.write_boolean(row, column, value, looks[0])
    elif isinstance(value, int | float | Decimal):
        ws.write_number(row, column, float(value), looks[0])
    elif isinstance(value, datetime | date):
        ws.write_datetime(row, column, value, looks[1])
    else:
        raise TypeError(f"no cell type for {type(value).__name__} in the annex")


# A column `width` wide (Excel's unit: one "0" of the default font) holds
# some 1.3 to 1.4 × `width` characters of Vietnamese text in Times New Roman
# 11 (LibreOffice's rendering); 1.2 leaves room for wider text. A line is 15
# points high.
CHARS_PER_WIDTH = 1.2
LINE_POINTS = 15


def _fit_height(ws, row: int, values: list, widths: list[int]) -> None:
    """Give a row whose text wraps the height of its longest cell: a
    spreadsheet opened for print (LibreOffice, and Excel until the row is
    edited) keeps the default height, and a long answer would print over
    the rows below it."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str):
            continue
        per_line = max(int(width * CHARS_PER_WIDTH), 1)
        if len(value) > per_line or "\n" in value:
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n")))
    if lines > 1:
        ws.set_row(row, LINE_POINTS * lines)


def _sheet(
    book: _Book,
    title: str,
    heading: str,
    headers: list[str],
    rows: list[list],
    widths: list[int],
    total: list | None = None,
    number_format: dict[int, str] | None = None,
) -> None:
    """A sheet: its heading over every column, the report's line under it,
    the header row (repeated on every printed page), the rows and a total
    row in bold; A4 landscape, one page wide."""
    ws = book.workbook.add_worksheet(title)
    last = len(headers) - 1

    def across(row: int, text: str, look) -> None:
        if last:
            ws.merge_range(row, 0, row, last, text, look)
        else:  # one column: nothing to merge
            ws.write_string(row, 0, text, look)

    across(0, heading, book.look("title"))
    ws.set_row(0, 36)
    if book.attached_to:
        across(1, book.attached_to, book.look("attached"))
    for column, label in enumerate(headers):
        ws.write_string(2, column, label, book.look("header"))
    _fit_height(ws, 2, headers, widths)
    formats = number_format or {}

    def column_looks(bold: bool) -> list[tuple]:
        return [
            (
                book.look("body", bold=bold, number_format=formats.get(column)),
                book.look("body", bold=bold, number_format=formats.get(column) or WHEN),
            )
            for column in range(1, len(headers) + 1)
        ]

    body = column_looks(False)
    for offset, values in enumerate(rows):
        for column, value in enumerate(values):
            _write(ws, 3 + offset, column, value, body[column])
        _fit_height(ws, 3 + offset, values, widths)
    if total:
        bold = column_looks(True)
        for column, value in enumerate(total):
            _write(ws, 3 + len(rows), column, value, bold[column])
        _fit_height(ws, 3 + len(rows), total, widths)
    for column, width in enumerate(widths):
        ws.set_column(column, column, width)
    ws.freeze_panes(3, 0)
    ws.repeat_rows(2)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


COUNTS = "#,##0"
CHANGE = "+0.0%;-0.0%;0.0%"


def _columns_sheet(
    book: _Book,
    title: str,
    heading: str,
    frame: pd.DataFrame,
    columns: list[tuple[str, str, int, str | None]],
    total: list | None = None,
) -> None:
    """A sheet of one frame: (header, frame column, width, number format) per column."""
    _sheet(
        book,
        title,
        heading,
        [header for header, _, _, _ in columns],
        frame[[column for _, column, _, _ in columns]].values.tolist() if not frame.empty else [],
        [width for _, _, width, _ in columns],
        total=total,
        number_format={index: fmt for index, (_, _, _, fmt) in enumerate(columns, start=1) if fmt},
    )


def _violations_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
    v = figures.violations
    detected = v.detected.sum()
    _columns_sheet(
        book,
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


def _sources_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
    sources = figures.by_source.assign(
        source_name=[source_name(row) for row in figures.by_source.itertuples()],
        counted=[
            ", ".join(words for stage, words in STAGE_WORDS.items() if bool(getattr(row, f"{stage}_counts")))
            or "không (nêu riêng)"
            for row in figures.by_source.itertuples()
        ],
    )
    _columns_sheet(
        book,
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


def _areas_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
    """Areas by counted detections; a rate per 100,000 people only where the
    population is known, and the others said so (never dropped)."""
    a = figures.areas.copy()
    known = a.population.notna() & (a.population > 0)
    a["per_100k"] = (a.detected / a.population * 100_000).where(known)
    a["population_note"] = ["" if has else "Chưa có số liệu dân số" for has in known]
    _columns_sheet(
        book,
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


def _area_types_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
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
        book,
        "2b. Địa bàn × loại vi phạm",
        f"Phụ lục 2b. Số vụ phát hiện theo địa bàn và loại vi phạm — {label}",
        ["Địa bàn", *types, "Cộng"],
        rows,
        [26, *([14] * len(types)), 10],
        total=total,
        number_format={index: COUNTS for index in range(2, len(types) + 3)},
    )


def _indicators_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
    _columns_sheet(
        book,
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


def _compliance_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
    _columns_sheet(
        book,
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


def _quality_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
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
        book,
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


def _narratives_sheet(book: _Book, figures: ReportFigures, label: str) -> None:
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
        book,
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


def build(figures: ReportFigures, attached_to: str | None = None) -> bytes:
    """The annex workbook, as the bytes of its file: one sheet per table
    behind the report, each under the line that ties it to the report
    ("Kèm theo Báo cáo số …")."""
    buffer = io.BytesIO()
    book = _Book(buffer, attached_to)
    for sheet in SHEETS:
        sheet(book, figures, figures.period.label_vi)
    book.workbook.close()
    return buffer.getvalue()
