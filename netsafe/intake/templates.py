"""Excel templates an agency fills in Excel or LibreOffice without help.

Layout (template version NETSAFE-2):
- "Thông tin": cover with the agency, period, cut-off window, deadline and
  instructions; two cells to fill (preparer, approval drop-down).
- "Chỉ tiêu": one row per indicator the agency reports; only the value and
  note cells are editable (whole numbers >= 0).
- "Vụ việc" (agencies that report incidents): one row per area × violation
  type, one column per stage the agency reports.
- "Nhận xét, kiến nghị": the notable results of each task assigned to the
  agency, its difficulties and proposals; bounded plain text.
- "_meta" (hidden): template version, agency and period codes, read back by
  intake.
Sheets are protected without a password, so codes and labels stay put while
value cells are open.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from netsafe import dates
from netsafe.contract import MAX_NARRATIVE, STAGES, TEMPLATE_VERSION, stages_for
from netsafe.errors import NetsafeError
from netsafe.files import save_atomically
from netsafe.intake.reference import Reference

META_SHEET = "_meta"
COVER_SHEET = "Thông tin"
INDICATOR_SHEET = "Chỉ tiêu"
INCIDENT_SHEET = "Vụ việc"
HEADER_ROW = 4
FIRST_DATA_ROW = 5

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")


NARRATIVE_SHEET = "Nhận xét, kiến nghị"
NARRATIVE_COLUMNS = ("STT", "Mã mục", "Nội dung", "Ý kiến của đơn vị")
NARRATIVE_VALUE_COLUMNS = ("Ý kiến của đơn vị",)
# text, not numbers: no number format, a length check instead
TEXT_COLUMNS = ("Ghi chú", "Ý kiến của đơn vị")
INDICATOR_COLUMNS = ("STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Giá trị", "Ghi chú")
INDICATOR_VALUE_COLUMNS = ("Giá trị", "Ghi chú")
INCIDENT_FIXED_COLUMNS = ("STT", "Mã địa bàn", "Địa bàn", "Mã loại vi phạm", "Loại vi phạm")


@dataclass(frozen=True)
class SheetLayout:
    """The locked structure of one data sheet as `netsafe template` writes it:
    its header, the locked cells of every row in order (number, codes, names)
    and which header labels are the cells an agency fills."""

    name: str
    header: tuple[str, ...]
    locked_rows: tuple[tuple, ...]
    value_columns: tuple[str, ...]


def layout(reference: Reference, agency_code: str, period_code: str) -> dict[str, SheetLayout]:
    """The data sheets of an agency's template for a period. Templates are
    written from it, and a filled template is accepted only if it matches."""
    obligation = reference.obligations[(agency_code, period_code)]
    indicators = reference.asked_indicators_for(agency_code)
    sheets = {
        INDICATOR_SHEET: SheetLayout(
            INDICATOR_SHEET,
            INDICATOR_COLUMNS,
            tuple(
                (number, ind.code, ind.name_vi, ind.unit_vi) for number, ind in enumerate(indicators, start=1)
            ),
            INDICATOR_VALUE_COLUMNS,
        )
    }
    sheets[NARRATIVE_SHEET] = SheetLayout(
        NARRATIVE_SHEET,
        NARRATIVE_COLUMNS,
        tuple((number, *row) for number, row in enumerate(narrative_rows(reference, agency_code), start=1)),
        NARRATIVE_VALUE_COLUMNS,
    )
    if obligation.reports_incidents:
        stages = tuple(stage.label_vi for stage in stages_for(obligation.reports_prosecutions))
        rows = [
            (area.code, area.name_vi, violation.code, violation.name_vi)
            for area in reference.areas_for(agency_code, period_code)
            for violation in reference.violation_types.values()
        ]
        sheets[INCIDENT_SHEET] = SheetLayout(
            INCIDENT_SHEET,
            INCIDENT_FIXED_COLUMNS + stages,
            tuple((number, *row) for number, row in enumerate(rows, start=1)),
            stages,
        )
    return sheets


def narrative_key(section: str, task_number: int | None = None) -> str:
    """The locked code of a narrative row: results:3, difficulties, proposals."""
    return f"{section}:{task_number}" if task_number is not None else section


def narrative_rows(reference: Reference, agency_code: str) -> list[tuple[str, str]]:
    """(code, question) of each narrative answer: the results of every task
    assigned to the agency, then its difficulties and its proposals."""
    rows = [
        (narrative_key("results", number), f"Kết quả nổi bật khi thực hiện nhiệm vụ {number}: {title}")
        for number, title in reference.tasks_for(agency_code)
    ]
    rows.append((narrative_key("difficulties"), "Khó khăn, vướng mắc"))
    rows.append((narrative_key("proposals"), "Đề xuất, kiến nghị (với Sở, Ủy ban nhân dân tỉnh, Bộ)"))
    return rows


def _fmt_date(value) -> str:
    return value.strftime("%d/%m/%Y")


def _title(ws: Worksheet, text: str, subtitle: str, width_cols: int) -> None:
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width_cols)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width_cols)
    ws["A1"] = text
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = subtitle
    ws["A2"].font = Font(name=FONT, size=11, italic=True)
    for ref in ("A1", "A2"):
        ws[ref].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 24


def _header(ws: Worksheet, labels: list[str]) -> None:
    for index, label in enumerate(labels, start=1):
        cell = ws.cell(row=HEADER_ROW, column=index, value=label)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 36


def _body(cell, *, editable: bool = False, center: bool = False) -> None:
    cell.font = Font(name=FONT, size=11)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if center else None)
    if editable:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL


def _protect(ws: Worksheet) -> None:
    # Protection without a password: stops accidental edits of codes and
    # labels; an agency never needs a password to fill its values.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _print_setup(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.5


def _whole_number_validation(ws: Worksheet, ref: str) -> None:
    validation = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số không hợp lệ / Invalid number",
        error="Nhập số nguyên không âm (0, 1, 2, ...). / Enter a whole number 0 or more.",
        promptTitle="Nhập số / Enter a number",
        prompt="Số nguyên ≥ 0; để trống nếu không có số liệu. / Whole number ≥ 0; blank if not reported.",
        showInputMessage=True,
    )
    validation.add(ref)
    ws.add_data_validation(validation)


def _text_length_validation(ws: Worksheet, ref: str) -> None:
    validation = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_NARRATIVE),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Quá dài / Too long",
        error=f"Tối đa {MAX_NARRATIVE} ký tự; hãy viết ngắn gọn. / Up to {MAX_NARRATIVE} characters.",
        promptTitle="Ý kiến của đơn vị / The agency's answer",
        prompt=f"Văn bản ngắn gọn, tối đa {MAX_NARRATIVE} ký tự; để trống nếu không có. "
        f"/ Plain text, up to {MAX_NARRATIVE} characters; blank if none.",
        showInputMessage=True,
    )
    validation.add(ref)
    ws.add_data_validation(validation)


def _column_of(sheet: SheetLayout, stage_field: str) -> int | None:
    label = next(stage.label_vi for stage in STAGES if stage.field == stage_field)
    return sheet.header.index(label) + 1 if label in sheet.header else None


def _handled_validation(ws: Worksheet, ref: str, detected: str, handled: str) -> None:
    """Handled: a whole number ≥ 0 and not above the row's detected, checked
    by Excel as it is typed (intake checks it again)."""
    first = f"{handled}{FIRST_DATA_ROW}"
    validation = DataValidation(
        type="custom",
        formula1=(
            f"AND(ISNUMBER({first}),{first}=INT({first}),{first}>=0,"
            f'OR({detected}{FIRST_DATA_ROW}="",{first}<={detected}{FIRST_DATA_ROW}))'
        ),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số không hợp lệ / Invalid number",
        error="Số đã xử lý là số nguyên ≥ 0 và không lớn hơn số phát hiện. / Handled is a whole number "
        "≥ 0 and not above detected.",
        promptTitle="Đã xử lý / Handled",
        prompt="Không lớn hơn số phát hiện cùng dòng. / Not above the row's detected.",
        showInputMessage=True,
    )
    validation.add(ref)
    ws.add_data_validation(validation)


def build_workbook(reference: Reference, agency_code: str, period_code: str) -> Workbook:
    if agency_code not in reference.agencies:
        raise NetsafeError(f"Không có đơn vị mã {agency_code}.", f"No agency with code {agency_code}.")
    if period_code not in reference.periods:
        raise NetsafeError(f"Không có kỳ báo cáo {period_code}.", f"No period {period_code}.")
    if not reference.is_expected(agency_code, period_code):
        raise NetsafeError(
            f"Đơn vị {agency_code} không phải báo cáo kỳ {period_code}.",
            f"Agency {agency_code} is not expected to report for {period_code}.",
        )
    agency = reference.agencies[agency_code]
    period = reference.periods[period_code]
    obligation = reference.obligations[(agency_code, period_code)]

    wb = Workbook()
    cover = wb.active
    cover.title = COVER_SHEET
    _cover(cover, agency, period, obligation)

    sheets = layout(reference, agency_code, period_code)
    _data_sheet(
        wb.create_sheet(INDICATOR_SHEET),
        sheets[INDICATOR_SHEET],
        f"CHỈ TIÊU KẾT QUẢ THỰC HIỆN — {period.label_vi.upper()}",
        f"{agency.name_vi} · Indicators, {period.label_en}",
        widths=(6, 26, 58, 14, 16, 30),
        centred=(1, 4),
        landscape=False,
    )
    if INCIDENT_SHEET in sheets:
        incidents = sheets[INCIDENT_SHEET]
        _data_sheet(
            wb.create_sheet(INCIDENT_SHEET),
            incidents,
            f"SỐ VỤ VIỆC VI PHẠM PHÁP LUẬT, TỘI PHẠM TRÊN MẠNG — {period.label_vi.upper()}",
            f"{agency.name_vi} · Incidents by area and violation type, {period.label_en}",
            widths=(6, 16, 24, 16, 40) + (14,) * len(incidents.value_columns),
            centred=(1,),
            landscape=True,
        )

    _data_sheet(
        wb.create_sheet(NARRATIVE_SHEET),
        sheets[NARRATIVE_SHEET],
        f"NHẬN XÉT, KHÓ KHĂN VÀ KIẾN NGHỊ — {period.label_vi.upper()}",
        f"{agency.name_vi} · Qualitative results, difficulties and proposals, {period.label_en} "
        f"(tối đa {MAX_NARRATIVE} ký tự mỗi ô / up to {MAX_NARRATIVE} characters per cell)",
        widths=(6, 16, 44, 80),
        centred=(1,),
        landscape=True,
    )

    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        (
            ("template_version", TEMPLATE_VERSION),
            ("agency_code", agency_code),
            ("period_code", period_code),
            ("generated_at", dates.stamp()),
        ),
        start=1,
    ):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "hidden"
    _protect(meta)
    wb.active = 0
    return wb


def _data_sheet(
    ws: Worksheet,
    sheet: SheetLayout,
    title: str,
    subtitle: str,
    *,
    widths: tuple[int, ...],
    centred: tuple[int, ...],
    landscape: bool,
) -> None:
    """A protected data sheet: locked codes and names, yellow value cells
    (whole numbers ≥ 0, except notes)."""
    _title(ws, title, subtitle, len(sheet.header))
    _header(ws, list(sheet.header))
    first_value = len(sheet.header) - len(sheet.value_columns) + 1
    for offset, locked in enumerate(sheet.locked_rows):
        row = FIRST_DATA_ROW + offset
        for column, value in enumerate(locked, start=1):
            _body(ws.cell(row=row, column=column, value=value), center=column in centred)
        for column in range(first_value, len(sheet.header) + 1):
            cell = ws.cell(row=row, column=column)
            _body(cell, editable=True)
            if sheet.header[column - 1] not in TEXT_COLUMNS:
                cell.number_format = "#,##0"
            elif sheet.name == NARRATIVE_SHEET:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                ws.row_dimensions[row].height = 90
    last_row = FIRST_DATA_ROW + max(len(sheet.locked_rows), 1) - 1
    columns = range(first_value, len(sheet.header) + 1)
    numeric = [c for c in columns if sheet.header[c - 1] not in TEXT_COLUMNS]
    if sheet.name == NARRATIVE_SHEET:
        for column in columns:
            _text_length_validation(
                ws, f"{get_column_letter(column)}{FIRST_DATA_ROW}:{get_column_letter(column)}{last_row}"
            )
    detected, handled = (_column_of(sheet, stage) for stage in ("detected", "handled"))
    for column in numeric:
        ref = f"{get_column_letter(column)}{FIRST_DATA_ROW}:{get_column_letter(column)}{last_row}"
        if column == handled and detected:
            _handled_validation(ws, ref, get_column_letter(detected), get_column_letter(handled))
        else:
            _whole_number_validation(ws, ref)
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"{get_column_letter(first_value if landscape else 1)}{FIRST_DATA_ROW}"
    _print_setup(ws, landscape=landscape)
    _protect(ws)


def _cover(ws: Worksheet, agency, period, obligation) -> None:
    _title(
        ws,
        "BÁO CÁO KẾT QUẢ CÔNG TÁC PHÒNG NGỪA, CHỐNG VI PHẠM PHÁP LUẬT VÀ TỘI PHẠM TRÊN MẠNG INTERNET",
        "Report on preventing and combating law violations and crime on the Internet "
        "(Công văn 2331/UBND-KGVXNV ngày 28/6/2021)",
        2,
    )
    rows = [
        ("Đơn vị báo cáo / Agency", agency.name_vi),
        ("Mã đơn vị / Agency code", agency.agency_code),
        ("Kỳ báo cáo / Period", f"{period.label_vi} ({period.label_en})"),
        ("Mã kỳ / Period code", period.period_code),
        (
            "Kỳ số liệu / Data cut-off",
            f"Từ {_fmt_date(period.cutoff_start_date)} đến {_fmt_date(period.cutoff_end_date)}",
        ),
        ("Hạn gửi Sở / Deadline", _fmt_date(period.reporter_deadline_date)),
        ("Phiên bản mẫu / Template", TEMPLATE_VERSION),
        ("Người lập báo cáo / Prepared by", None),
        ("Lãnh đạo đơn vị đã duyệt / Approved by the head", None),
    ]
    for offset, (label, value) in enumerate(rows):
        row = HEADER_ROW + offset
        label_cell = ws.cell(row=row, column=1, value=label)
        label_cell.font = Font(name=FONT, bold=True, size=11)
        label_cell.border = BORDER
        value_cell = ws.cell(row=row, column=2, value=value)
        _body(value_cell, editable=value is None)
    approval = DataValidation(
        type="list",
        formula1='"Đã duyệt / Approved,Chưa duyệt / Not yet"',
        allow_blank=True,
        showDropDown=False,
    )
    approval.add(f"B{HEADER_ROW + len(rows) - 1}")
    ws.add_data_validation(approval)
    parts = ["Chỉ tiêu"] + (["Vụ việc"] if obligation.reports_incidents else []) + [NARRATIVE_SHEET]
    instructions = [
        "Hướng dẫn / Instructions:",
        f"1. Điền số liệu vào các ô màu vàng ở trang {', '.join(repr(p) for p in parts)}; "
        "không sửa mã và tên. / Fill the yellow cells only; do not change codes or names.",
        "2. Chỉ nhập số nguyên không âm, không nhập công thức; để trống nếu không có số liệu. "
        "/ Whole numbers ≥ 0, no formulas; leave blank if not reported.",
        '3. "Phát hiện": số vụ việc đơn vị phát hiện, tiếp nhận trong kỳ số liệu (kể cả vụ chuyển cơ quan '
        'khác xử lý); "Đã xử lý": số vụ trong đó đã có quyết định xử lý (xử phạt, khởi tố, gỡ bỏ) trong kỳ. '
        'Số đã xử lý không được lớn hơn số phát hiện (tệp sai sẽ bị trả lại). / "Detected": cases the agency '
        'found or received in the period (including those passed on); "Handled": cases with a sanction, '
        "prosecution or removal decided in the period. Handled may not exceed detected (such a file is "
        "sent back).",
        "4. Tổng số vụ đã xử lý, tiền phạt, tin bài gỡ bỏ, số vụ khởi tố được tính từ các dòng vụ việc; "
        "không nhập lại ở trang Chỉ tiêu. / Totals of handled cases, fines, removals and prosecutions are "
        "computed from the incident rows; do not enter them again.",
        f"5. Trang '{NARRATIVE_SHEET}': kết quả nổi bật theo từng nhiệm vụ, khó khăn, vướng mắc và đề xuất, "
        f"kiến nghị, mỗi ô tối đa {MAX_NARRATIVE} ký tự; Sở trích dẫn vào báo cáo gửi Bộ. / Qualitative "
        "results per task, difficulties and proposals, quoted in the DIC's report.",
        f"6. Gửi tệp này về Sở chậm nhất ngày {_fmt_date(period.reporter_deadline_date)}. "
        f"/ Send this file back by {_fmt_date(period.reporter_deadline_date)} at the latest.",
    ]
    start = HEADER_ROW + len(rows) + 1
    for offset, line in enumerate(instructions):
        ws.merge_cells(start_row=start + offset, start_column=1, end_row=start + offset, end_column=2)
        cell = ws.cell(row=start + offset, column=1, value=line)
        cell.font = Font(name=FONT, size=11, bold=offset == 0, italic=offset > 0)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[start + offset].height = (32 if len(line) < 200 else 80) if offset else 18
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 70
    _print_setup(ws, landscape=False)
    _protect(ws)


def write_template(reference: Reference, agency_code: str, period_code: str, path: Path) -> Path:
    wb = build_workbook(reference, agency_code, period_code)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(wb, path)
    return path


def template_file_name(agency_code: str, period_code: str) -> str:
    return f"mau_bao_cao_{period_code}_{agency_code}.xlsx"
