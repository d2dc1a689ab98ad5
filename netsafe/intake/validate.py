"""Checking what was read against the reference data, before anything is
written. Every problem is collected (not only the first)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils import get_column_letter

from netsafe import dates
from netsafe.contract import (
    INCIDENT_STAGES,
    MAX_NARRATIVE,
    STAGES,
    IncidentCount,
    IndicatorValue,
    LandedParts,
    NarrativeEntry,
    obligation_parts,
)
from netsafe.intake import rules, templates
from netsafe.intake.problems import Problem
from netsafe.intake.read import Cell, Line, ReadFile
from netsafe.intake.reference import Reference


@dataclass
class Checked:
    indicator_values: list[IndicatorValue] = field(default_factory=list)
    incident_counts: list[IncidentCount] = field(default_factory=list)
    narratives: list[NarrativeEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    def __init__(self, read: ReadFile) -> None:
        self.read = read
        self.problems: list[Problem] = list(read.problems)

    def at(self, vi: str, en: str, sheet: str, row: int | None = None, ref: str | None = None) -> None:
        """A problem at a place in a template (sheet, row, cell)."""
        self.problems.append(Problem(self.read.name, vi, en, sheet=sheet, row=row, cell=ref, column=ref))

    def add(self, vi: str, en: str, line: Line | None = None, cell: Cell | None = None) -> None:
        self.problems.append(
            Problem(
                self.read.name,
                vi,
                en,
                sheet=line.sheet if line else None,
                row=line.row if line else None,
                column=cell.column if cell else None,
                cell=cell.ref if cell else None,
            )
        )


def whole_number(value: Any) -> tuple[int | None, str | None]:
    """Parse a count: None when blank; an error code when not a whole number >= 0."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None, None
    if isinstance(value, bool):
        return None, "not_number"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None, "not_whole"
        number = int(value)
    else:
        text = str(value).strip()
        if not text.isascii():
            # Decimal() reads full-width and other scripts' digits (１２, ٣): only 0-9 count
            return None, "not_ascii"
        try:
            parsed = Decimal(text)
        except InvalidOperation:
            return None, "not_number"
        if not parsed.is_finite():
            return None, "not_number"
        if parsed != parsed.to_integral_value():
            return None, "not_whole"
        if not text.lstrip("+-").isdigit():
            return None, "not_plain"
        number = int(parsed)
    if number < 0:
        return None, "negative"
    if number > 10**15:
        return None, "too_large"
    return number, None


NUMBER_MESSAGES = {
    "not_number": ("không phải là số", "is not a number"),
    "not_ascii": (
        "có ký tự không phải chữ số 0-9 (chữ số toàn khổ hoặc của ngôn ngữ khác); chỉ gõ chữ số 0-9",
        "holds characters other than the digits 0-9 (full-width or other scripts' digits); type 0-9 only",
    ),
    "not_whole": ("phải là số nguyên (không có phần thập phân)", "must be a whole number"),
    "not_plain": (
        "chỉ ghi chữ số, không dùng dấu chấm hay dấu phẩy ngăn cách",
        "write digits only, without separators",
    ),
    "negative": ("không được là số âm", "may not be negative"),
    "too_large": ("quá lớn, hãy kiểm tra lại", "is implausibly large; check it"),
}


def _number(c: _Collector, line: Line, name: str) -> int | None:
    cell = line.cells.get(name)
    if cell is None:
        return None
    if cell.is_formula:
        c.add(
            f"Ô có công thức ({cell.value}); chỉ nhập giá trị số, không nhập công thức.",
            f"The cell holds a formula ({cell.value}); enter a plain value, not a formula.",
            line,
            cell,
        )
        return None
    number, error = whole_number(cell.value)
    if error:
        vi, en = NUMBER_MESSAGES[error]
        c.add(f"Giá trị {cell.value!r} {vi}.", f"Value {cell.value!r} {en}.", line, cell)
    return number


def file_parts(read: ReadFile, reference: Reference) -> tuple[str, ...]:
    """What a file carries, so what it replaces: a filled template is the
    whole report (every part the agency's obligation has, and the narrative);
    each CSV layout is one part of it."""
    if read.kind == "indicators_csv":
        return ("indicators",)
    if read.kind == "incidents_csv":
        return ("incidents",)
    obligation = reference.obligations[(read.agency_code, read.period_code)]
    # and its narrative sheet, answered or not (a blank one replaces the last)
    return (*obligation_parts(obligation.reports_indicators, obligation.reports_incidents), "narrative")


def check(read: ReadFile, reference: Reference, landed: LandedParts | None = None) -> Checked:
    """Every rule, every problem: who and when, then each indicator value and
    incident row, then the validation rules on the report as it would stand
    once the file lands (its parts with the agency's other parts in use,
    `landed`). Values are returned only when nothing is wrong."""
    c = _Collector(read)
    if read.kind == "unreadable" or (read.kind == "template" and c.problems):
        return Checked(problems=c.problems)
    if not _agency_and_period_known(c, read, reference):
        return Checked(problems=c.problems)
    if read.kind == "template" and not _template_lines(c, read, reference):
        return Checked(problems=c.problems)
    result = Checked(
        indicator_values=_indicator_values(c, read, reference),
        incident_counts=_incident_counts(c, read, reference),
        narratives=_narratives(c, read),
    )
    if not c.problems and not result.indicator_values and not result.incident_counts:
        c.add(
            "Báo cáo không có số liệu nào (mọi ô đều trống).",
            "The report holds no figures (every cell is blank).",
        )
    if not c.problems:
        _cross_field(c, read, reference, result, landed or LandedParts())
    result.problems = c.problems
    return result


def _cross_field(c: _Collector, read: ReadFile, reference: Reference, result: Checked, landed) -> None:
    """Error-level validation rules (seeds/validation_rules.csv) on the report
    once this file lands: participants need sessions, a derived indicator
    sent anyway equals its rows, …; the cell is named when it is in this file."""
    lines = {_code(line.cells["indicator_code"]): line for line in read.indicator_lines}
    for failure in rules.evaluate(
        reference,
        file_parts(read, reference),
        result.indicator_values,
        result.incident_counts,
        landed,
        lines,
    ):
        line = failure.line
        c.add(failure.text_vi, failure.text_en, line, line.cells.get("value") if line else None)


def _agency_and_period_known(c: _Collector, read: ReadFile, reference: Reference) -> bool:
    """The file names a known agency, a known period, and one it must report."""
    agency, period = read.agency_code, read.period_code
    known = True
    if not agency or agency not in reference.agencies:
        c.add(f"Mã đơn vị {agency!r} không có trong danh mục.", f"Agency code {agency!r} is unknown.")
        known = False
    if not period or period not in reference.periods:
        c.add(f"Mã kỳ báo cáo {period!r} không có trong lịch kỳ.", f"Period code {period!r} is unknown.")
        known = False
    if known and not _period_started(c, reference.periods[period]):
        return False
    if known and not reference.is_expected(agency, period):
        c.add(
            f"Đơn vị {agency} không phải báo cáo kỳ {period} (đơn vị chưa hoặc không còn hoạt động, "
            "hoặc không có nghĩa vụ báo cáo kỳ này).",
            f"Agency {agency} is not expected to report for {period} (not in force then, or no obligation).",
        )
        known = False
    return known


# ---------------------------------------------------------------- templates
MAX_LAYOUT_PROBLEMS = 20  # per sheet: enough to show what moved, not a wall of text


def _template_lines(c: _Collector, read: ReadFile, reference: Reference) -> bool:
    """A filled template is read only if its locked structure is exactly what
    `netsafe template` wrote for this agency and period: sheets, header rows,
    codes and names, row order. Values are then taken by header, never by
    position. Returns False (with the cells that differ) when it is not."""
    sheets = templates.layout(reference, read.agency_code, read.period_code)
    known = {templates.COVER_SHEET, templates.META_SHEET, *sheets}
    intact = True
    listed = ", ".join(sorted(known - {templates.META_SHEET}))
    for name, cells in read.sheets.items():
        if name not in known and cells:
            c.at(
                f"Trang lạ '{name}' có dữ liệu; mẫu chỉ gồm các trang {listed}. "
                "Hãy chuyển số liệu vào đúng trang của mẫu và xóa trang này.",
                f"Unexpected sheet '{name}' holds data; the template has only its own sheets. "
                "Move the figures into the template's sheets and delete this one.",
                name,
            )
            intact = False
    for sheet in sheets.values():
        if sheet.name not in read.sheets:
            c.at(
                f"Thiếu trang '{sheet.name}' của mẫu; hãy dùng mẫu do Sở gửi.",
                f"The template's sheet '{sheet.name}' is missing; use the DIC's template.",
                sheet.name,
            )
            intact = False
        elif not _matches_layout(c, sheet, read.sheets[sheet.name]):
            intact = False
    if not intact:
        return False
    read.indicator_lines = _lines(read.sheets[templates.INDICATOR_SHEET], sheets[templates.INDICATOR_SHEET])
    if templates.INCIDENT_SHEET in sheets:
        read.incident_lines = _lines(read.sheets[templates.INCIDENT_SHEET], sheets[templates.INCIDENT_SHEET])
    read.narrative_lines = _lines(read.sheets[templates.NARRATIVE_SHEET], sheets[templates.NARRATIVE_SHEET])
    return True


def _same(read_value, expected) -> bool:
    if isinstance(expected, int) and isinstance(read_value, int | float):
        return read_value == expected
    return read_value == expected or (read_value is None and expected in ("", None))


def _matches_layout(c: _Collector, sheet: templates.SheetLayout, cells: dict[int, dict[int, Cell]]) -> bool:
    """Header, locked cells and row order equal the layout; nothing outside it."""
    differences: list[tuple[int, str, str, str]] = []
    header = cells.get(templates.HEADER_ROW, {})
    for column, label in enumerate(sheet.header, start=1):
        got = header.get(column)
        if not _same(got.value if got else None, label):
            ref = f"{get_column_letter(column)}{templates.HEADER_ROW}"
            differences.append((templates.HEADER_ROW, ref, repr(got.value if got else ""), repr(label)))
    last_row = templates.FIRST_DATA_ROW + len(sheet.locked_rows) - 1
    for row, row_cells in sorted(cells.items()):
        if row < templates.HEADER_ROW:
            continue
        for column, cell in sorted(row_cells.items()):
            if column > len(sheet.header) or row > last_row:
                differences.append((row, cell.ref, repr(cell.value), "(ô trống / empty)"))
    for offset, locked in enumerate(sheet.locked_rows):
        row = templates.FIRST_DATA_ROW + offset
        for column, expected in enumerate(locked, start=1):
            got = cells.get(row, {}).get(column)
            if not _same(got.value if got else None, expected):
                ref = f"{get_column_letter(column)}{row}"
                differences.append((row, ref, repr(got.value if got else ""), repr(expected)))
    for row, ref, got, expected in differences[:MAX_LAYOUT_PROBLEMS]:
        c.at(
            f"Ô {ref} là {got}, mẫu là {expected}: không thêm, xóa, đổi tên cột hay sửa mã, tên, "
            "thứ tự dòng. Hãy nhập lại số liệu vào mẫu mới.",
            f"Cell {ref} is {got} where the template has {expected}: do not insert, delete or rename "
            "columns, or change codes, names or row order. Re-enter the figures in a new template.",
            sheet.name,
            row,
            ref,
        )
    if len(differences) > MAX_LAYOUT_PROBLEMS:
        more = len(differences) - MAX_LAYOUT_PROBLEMS
        c.at(
            f"… và {more} ô khác không đúng mẫu.",
            f"… and {more} more cells that differ from the template.",
            sheet.name,
        )
    return not differences


def _lines(cells: dict[int, dict[int, Cell]], sheet: templates.SheetLayout) -> list[Line]:
    """One line per template row: codes from the layout, values by header."""
    stage_by_label = {stage.label_vi: stage.field for stage in STAGES}
    is_indicators = sheet.name == templates.INDICATOR_SHEET
    value_fields = {"Giá trị": "value", "Ghi chú": "note", "Ý kiến của đơn vị": "text", **stage_by_label}
    columns = {label: index for index, label in enumerate(sheet.header, start=1)}
    lines = []
    for offset, locked in enumerate(sheet.locked_rows):
        row = templates.FIRST_DATA_ROW + offset
        row_cells = cells.get(row, {})
        if is_indicators:
            named = {"indicator_code": Cell(locked[1], "Mã chỉ tiêu", f"B{row}")}
        elif sheet.name == templates.NARRATIVE_SHEET:
            named = {"key": Cell(locked[1], "Mã mục", f"B{row}")}
        else:
            named = {
                "area_code": Cell(locked[1], "Mã địa bàn", f"B{row}"),
                "violation_type_code": Cell(locked[3], "Mã loại vi phạm", f"D{row}"),
            }
        for label in sheet.value_columns:
            column = columns[label]
            ref = f"{get_column_letter(column)}{row}"
            found = row_cells.get(column)
            named[value_fields[label]] = Cell(
                found.value if found else None, label, ref, bool(found and found.is_formula)
            )
        lines.append(Line(sheet.name, row, named))
    return lines


def _period_started(c: _Collector, period) -> bool:
    """A report for a period whose cut-off window has not started does not exist yet."""
    start = period.cutoff_start_date
    if start > dates.today():
        c.add(
            f"Kỳ báo cáo {period.label_vi} chưa bắt đầu (số liệu tính từ ngày {start:%d/%m/%Y}); "
            "chưa nhận báo cáo cho kỳ này.",
            f"The reporting period {period.label_en} has not started (its data starts on "
            f"{start:%d/%m/%Y}); reports for it are not accepted yet.",
        )
        return False
    return True


def _code(cell: Cell):
    return cell.value.upper() if isinstance(cell.value, str) else cell.value


def _indicator_values(c: _Collector, read: ReadFile, reference: Reference) -> list[IndicatorValue]:
    agency, period = read.agency_code, read.period_code
    obligation = reference.obligations[(agency, period)]
    allowed = {ind.code for ind in reference.indicators_for(agency)}
    values: list[IndicatorValue] = []
    seen: dict[str, int] = {}
    for line in read.indicator_lines:
        code_cell = line.cells["indicator_code"]
        code = _code(code_cell)
        if code not in reference.indicators:
            c.add(
                f"Mã chỉ tiêu {code!r} không có trong danh mục.",
                f"Unknown indicator code {code!r}.",
                line,
                code_cell,
            )
            continue
        if code not in allowed or not obligation.reports_indicators:
            c.add(
                f"Chỉ tiêu {code} không thuộc nhiệm vụ giao cho đơn vị này.",
                f"Indicator {code} is not one this agency reports.",
                line,
                code_cell,
            )
            continue
        if code in seen:
            c.add(
                f"Chỉ tiêu {code} bị lặp (đã có ở dòng {seen[code]}).",
                f"Indicator {code} is duplicated (already on row {seen[code]}).",
                line,
                code_cell,
            )
            continue
        seen[code] = line.row
        value = _number(c, line, "value")
        note_cell = line.cells.get("note")
        note = note_cell.value if note_cell and isinstance(note_cell.value, str) else None
        if note_cell and note_cell.is_formula:
            c.add("Ghi chú không được là công thức.", "A note may not be a formula.", line, note_cell)
        if value is not None:
            values.append(IndicatorValue(code, value, note))
    return values


def _narratives(c: _Collector, read: ReadFile) -> list[NarrativeEntry]:
    """The agency's answers on the narrative sheet: plain text, bounded, never
    a formula (text may start with "+" or "-", as lists do; it is neutralised
    wherever it is written to a spreadsheet)."""
    entries = []
    for line in read.narrative_lines:
        cell = line.cells["text"]
        text = (
            cell.value if isinstance(cell.value, str) else (None if cell.value is None else str(cell.value))
        )
        if not text or not text.strip():
            continue
        if text.lstrip().startswith("="):
            c.add("Ý kiến không được là công thức.", "An answer may not be a formula.", line, cell)
            continue
        if len(text) > MAX_NARRATIVE:
            c.add(
                f"Ý kiến dài {len(text)} ký tự, vượt giới hạn {MAX_NARRATIVE} ký tự; hãy viết ngắn gọn.",
                f"The answer is {len(text)} characters long, over the {MAX_NARRATIVE} limit; shorten it.",
                line,
                cell,
            )
            continue
        key = line.cells["key"].value
        section, _, task = str(key).partition(":")
        entries.append(NarrativeEntry(section, int(task) if task else None, " ".join(text.split())))
    return entries


def _incident_counts(c: _Collector, read: ReadFile, reference: Reference) -> list[IncidentCount]:
    obligation = reference.obligations[(read.agency_code, read.period_code)]
    if read.incident_lines and not obligation.reports_incidents:
        c.add(
            "Đơn vị này không báo cáo số vụ việc; hãy dùng đúng mẫu của đơn vị.",
            "This agency does not report incident counts; use the agency's own template.",
        )
        return []
    allowed_areas = {area.code for area in reference.areas_for(read.agency_code, read.period_code)}
    counts: list[IncidentCount] = []
    seen: dict[tuple[str, str], int] = {}
    for line in read.incident_lines:
        row = _incident_row(c, line, reference, allowed_areas, seen, obligation.reports_prosecutions)
        if row is not None:
            seen[(row.area_code, row.violation_type_code)] = line.row
            if any(getattr(row, stage) is not None for stage in INCIDENT_STAGES):
                counts.append(row)
    return counts


def _incident_row(
    c: _Collector,
    line: Line,
    reference: Reference,
    allowed_areas: set[str],
    seen: dict[tuple[str, str], int],
    reports_prosecutions: bool,
) -> IncidentCount | None:
    """One incident row checked; None (with its problems recorded) when wrong."""
    area_cell, type_cell = line.cells["area_code"], line.cells["violation_type_code"]
    area, violation = _code(area_cell), _code(type_cell)
    ok = True
    if area not in allowed_areas:
        c.add(
            f"Địa bàn {area!r} không thuộc phạm vi báo cáo của đơn vị.",
            f"Area {area!r} is not one this agency reports on.",
            line,
            area_cell,
        )
        ok = False
    if violation not in reference.violation_types:
        c.add(
            f"Mã loại vi phạm {violation!r} không có trong danh mục.",
            f"Unknown violation type code {violation!r}.",
            line,
            type_cell,
        )
        ok = False
    if ok and (area, violation) in seen:
        first = seen[(area, violation)]
        c.add(
            f"Dòng lặp địa bàn {area} × {violation} (đã có ở dòng {first}).",
            f"Duplicate row for {area} × {violation} (already on row {first}).",
            line,
            area_cell,
        )
        ok = False
    stages = {name: _number(c, line, name) for name in INCIDENT_STAGES}
    if stages["prosecuted_cases"] is not None and not reports_prosecutions:
        c.add(
            "Chỉ Công an tỉnh báo cáo số vụ khởi tố; để trống cột này.",
            "Only the provincial police report prosecuted cases; leave this column blank.",
            line,
            line.cells.get("prosecuted_cases"),
        )
        ok = False
    detected, handled = stages["detected"], stages["handled"]
    if detected is not None and handled is not None and handled > detected:
        c.add(
            f"Số đã xử lý ({handled}) lớn hơn số phát hiện ({detected}).",
            f"Handled ({handled}) exceeds detected ({detected}).",
            line,
            line.cells.get("handled"),
        )
        ok = False
    return IncidentCount(area, violation, **stages) if ok else None
