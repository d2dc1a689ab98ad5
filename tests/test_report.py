"""The consolidated report and reminder letters: Decree 30 layout, figures
equal to the marts, the issuer in force on the report date, reproducibility
with --as-of, and a rendering a person can look at."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from netsafe import build, dates, warehouse
from netsafe.contract import IncidentCount
from netsafe.formatting import safe_cell_text
from netsafe.report import annex, generate, reminders
from netsafe.report.consolidated import ReportOptions
from netsafe.report.document import place_date
from netsafe.settings import Settings
from netsafe.store import open_store
from tests.documents import texts
from tests.factories import accepted_version


@pytest.fixture(scope="module")
def report_wh(demo_warehouse, tmp_path_factory):
    """A private copy: generating reports records them in raw landing."""
    target = tmp_path_factory.mktemp("report-wh") / "data"
    shutil.copytree(demo_warehouse.data_dir, target, ignore=shutil.ignore_patterns("build"))
    return Settings(data_dir=target)


@pytest.fixture(scope="module")
def q3_report(report_wh, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    # dated after every receipt of the quarter: its figures are today's marts
    options = ReportOptions(report_date=date(2024, 10, 25), number="12", signer="Nguyễn Văn Bình")
    return generate.generate(report_wh, "2024-Q3", options, out_dir=out)


def test_decree_30_date_line():
    assert place_date("Bình Thuận", date(2022, 1, 5)) == "Bình Thuận, ngày 05 tháng 01 năm 2022"
    assert place_date("Bình Thuận", date(2024, 9, 25)) == "Bình Thuận, ngày 25 tháng 9 năm 2024"
    assert place_date("Lâm Đồng", date(2025, 3, 7)) == "Lâm Đồng, ngày 07 tháng 3 năm 2025"


def test_report_layout_follows_decree_30(q3_report):
    doc = Document(q3_report.docx_path)
    section = doc.sections[0]

    def mm(length):
        return round(length.mm)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)  # A4
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    found = texts(doc)
    for expected in (
        "UBND TỈNH BÌNH THUẬN",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BC-STTTT",
        "Bình Thuận, ngày 25 tháng 10 năm 2024",
        "BÁO CÁO",
        "Kết quả công tác phòng ngừa, chống vi phạm pháp luật và tội phạm trên mạng Internet, Quý III/2024",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Nguyễn Văn Bình",
    ):
        assert expected in found, expected
    headings = [text for text in found if text[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert [h.split(".")[0] for h in headings[:5]] == ["I", "II", "III", "IV", "V"]
    runs = [run for p in doc.paragraphs for run in p.runs if run.text.strip()]
    assert all(run.font.name == "Times New Roman" for run in runs)
    body_sizes = {run.font.size.pt for p in doc.paragraphs if p.text.startswith("Trong kỳ") for run in p.runs}
    assert body_sizes == {14}
    title = next(p for p in doc.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold
    motto = [p for t in doc.tables[:1] for c in t.rows[0].cells for p in c.paragraphs if "Độc lập" in p.text][
        0
    ]
    assert motto.runs[0].bold and 13 <= motto.runs[0].font.size.pt <= 14


def test_table_totals_equal_the_marts(q3_report, demo_warehouse):
    doc = Document(q3_report.docx_path)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Loại vi phạm")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert len(rows) == 1 + 9 + 1 and rows[-1][0] == "Tổng cộng"
    marts = warehouse.query(
        demo_warehouse,
        "select sum(detected) d, sum(handled) h, sum(prosecuted_cases) p, sum(fined_vnd) f "
        "from marts.rpt_violation_summary where period_code = '2024-Q3'",
    ).iloc[0]

    def value(text):
        return int(text.replace(".", ""))

    column = {label: index for index, label in enumerate(rows[0])}
    assert value(rows[-1][1]) == marts.d == sum(value(r[1]) for r in rows[1:-1])
    assert value(rows[-1][column["Đã xử lý"]]) == marts.h
    assert value(rows[-1][column["Tiền phạt (đồng)"]]) == marts.f
    assert value(rows[-1][column["Khởi tố"]]) == marts.p
    # handled (the DIC's) over detected (the police's) would compare unlike things
    assert "Tỷ lệ xử lý" not in column


def test_annex_has_every_table_with_totals_and_safe_text(q3_report, demo_warehouse):
    wb = load_workbook(q3_report.xlsx_path)
    assert wb.sheetnames == [
        "1. Loại vi phạm",
        "1b. Theo nguồn báo cáo",
        "2. Địa bàn",
        "2b. Địa bàn × loại vi phạm",
        "3. Chỉ tiêu",
        "4. Gửi báo cáo",
        "5. Chất lượng số liệu",
        "6. Ý kiến của đơn vị",
    ]
    ws = wb["1. Loại vi phạm"]
    detected = [ws.cell(row=r, column=2).value for r in range(4, 13)]
    assert ws.cell(row=13, column=1).value == "Tổng cộng"
    assert ws.cell(row=13, column=2).value == sum(detected)
    # the area × type pivot adds up both ways to the same counted total
    pivot = wb["2b. Địa bàn × loại vi phạm"]
    last = pivot.max_row
    assert pivot.cell(row=last, column=1).value == "Tổng cộng"
    assert pivot.cell(row=last, column=pivot.max_column).value == sum(
        pivot.cell(row=r, column=pivot.max_column).value for r in range(4, last)
    )
    areas = wb["2. Địa bàn"]
    counted = areas.cell(row=areas.max_row, column=3).value
    assert pivot.cell(row=last, column=pivot.max_column).value == counted
    # every area is listed; a rate only where the population is known
    for r in range(4, areas.max_row):
        population, rate = areas.cell(row=r, column=2).value, areas.cell(row=r, column=4).value
        assert (rate is None) == (population is None)
        assert (areas.cell(row=r, column=8).value == "Chưa có số liệu dân số") == (population is None)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    compliance = wb["4. Gửi báo cáo"]
    assert compliance.max_row - 3 == warehouse.scalar(
        demo_warehouse,
        "select count(*) from marts.rpt_agency_compliance where period_code = '2024-Q3' and is_expected",
    )
    assert safe_cell_text('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell_text("+1") == "'+1" and safe_cell_text("Sở Y tế") == "Sở Y tế"
    assert safe_cell_text(" \t=1") == "'  =1"


def test_annex_cells_keep_text_as_text_and_every_value_by_its_type():
    """The annex's writer, given what agencies and marts can hand it: text
    that a spreadsheet would take for a formula, a link or a number stays the
    text it was; numbers, dates and gaps keep their type and their look."""
    buffer = io.BytesIO()
    book = annex._Book(buffer, "Kèm theo Báo cáo số 12/BC-SKHCN")
    formula, link = '=HYPERLINK("http://x","y")', "https://lua-dao.example/vn"
    digits, control = "0123", "Sở\x07 Y tế"
    received = datetime(2024, 9, 16, 8, 30)
    headers = ["Văn bản", "Liên kết", "Mã", "Cơ quan", "Số vụ", "Tỷ lệ", "Nhận lúc", "Trống"]
    rows = [
        [formula, link, digits, control, np.int64(7), 0.25, pd.Timestamp(received), pd.NA],
        ["  +1", " @SUM(A1)", "", "Sở Y tế", Decimal("12"), float("nan"), pd.NaT, None],
    ]
    total = ["Tổng cộng", None, None, None, 19, None, None, None]
    annex._sheet(book, "Thử", "Phụ lục thử", headers, rows, [20] * 8, total=total, number_format={5: "#,##0"})
    book.workbook.close()
    ws = load_workbook(io.BytesIO(buffer.getvalue()))["Thử"]

    assert ws["A1"].value == "Phụ lục thử" and ws["A2"].value == "Kèm theo Báo cáo số 12/BC-SKHCN"
    assert [c.value for c in ws[3]] == headers
    texts_in = {ws["A4"], ws["B4"], ws["C4"], ws["D4"], ws["A5"], ws["B5"]}
    assert all(cell.data_type == "s" and cell.hyperlink is None for cell in texts_in)
    assert ws["A4"].value == "'" + formula and ws["B4"].value == link and ws["C4"].value == digits
    assert ws["A5"].value == "'  +1" and ws["B5"].value == "' @SUM(A1)" and ws["D4"].value == "Sở  Y tế"
    assert ws["E4"].value == 7 and ws["E5"].value == 12 and ws["E4"].number_format == "#,##0"
    assert ws["F4"].value == 0.25 and ws["F5"].value is None
    assert ws["G4"].value == received and ws["G4"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["G5"].value is None and ws["H4"].value is None and ws["C5"].value is None
    # a gap keeps its cell's border: the table prints whole
    assert ws["H4"].border.left.style == "thin" and ws["H5"].border.bottom.style == "thin"
    assert ws["A6"].value == "Tổng cộng" and ws["A6"].font.b and ws["E6"].value == 19 and ws["E6"].font.b
    assert not ws["A4"].font.b and ws["A4"].font.name == "Times New Roman"
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0

    # a long answer, or one of several lines, gets the height it prints in
    # (a spreadsheet keeps the default height, and it would print over the
    # rows below); a short row keeps the default
    buffer = io.BytesIO()
    book = annex._Book(buffer, None)
    answer = "Thiếu cán bộ chuyên trách an toàn thông tin; kinh phí tuyên truyền còn hạn chế. " * 6
    rows = [
        ["Sở Y tế", answer],
        ["Công an tỉnh", "+ Đề nghị tập huấn\n- lừa đảo\n- cờ bạc"],
        ["Sở Tư pháp", "Ngắn"],
    ]
    annex._sheet(book, "Ý kiến", "Phụ lục 6", ["Cơ quan, đơn vị", "Nội dung"], rows, [36, 80])
    book.workbook.close()
    ws = load_workbook(io.BytesIO(buffer.getvalue()))["Ý kiến"]
    per_line = int(80 * annex.CHARS_PER_WIDTH)
    lines = -(-len(answer) // per_line)
    assert lines > 4 and ws.row_dimensions[4].height == annex.LINE_POINTS * lines
    assert ws.row_dimensions[5].height == 3 * annex.LINE_POINTS
    assert ws.row_dimensions[6].height is None and ws.row_dimensions[3].height is None

    # a table of one column keeps its heading (nothing to merge)
    buffer = io.BytesIO()
    book = annex._Book(buffer, None)
    annex._sheet(book, "Một cột", "Phụ lục một cột", ["Cơ quan"], [["Sở Y tế"]], [30])
    book.workbook.close()
    ws = load_workbook(io.BytesIO(buffer.getvalue()))["Một cột"]
    assert [c.value for c in ws["A"]] == ["Phụ lục một cột", None, "Cơ quan", "Sở Y tế"]
    # a value of no known kind stops the annex, naming its type
    with pytest.raises(TypeError, match="no cell type for object"):
        annex._sheet(annex._Book(io.BytesIO(), None), "Lạ", "Phụ lục lạ", ["x"], [[object()]], [10])


def test_report_after_the_2025_reorganisation_is_issued_by_the_body_in_force(report_wh, tmp_path):
    options = ReportOptions(report_date=date(2025, 9, 20), number="7")
    result = generate.generate(report_wh, "2025-Q3", options, out_dir=tmp_path)
    found = texts(Document(result.docx_path))
    assert "UBND TỈNH LÂM ĐỒNG" in found
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in found
    assert "Số: 7/BC-SKHCN" in found
    assert "Lâm Đồng, ngày 20 tháng 9 năm 2025" in found
    assert any("Bộ Khoa học và Công nghệ" in text for text in found)


def test_as_of_reproduces_an_earlier_report_after_a_resubmission(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    options = ReportOptions(report_date=dates.today())
    first = generate.generate(settings, "2024-Q3", options, out_dir=tmp_path / "first")
    records = open_store(settings).read_raw(
        "select * from raw.generated_reports where report_id = ?", [first.report_id]
    )
    assert records.figures_sha256.iat[0] == first.figures_sha256
    # a later correction of the police's incident part changes the figures (its
    # prosecutions still add up to the number their indicator part states)
    prosecuted = warehouse.scalar(
        settings,
        "select sum(prosecuted_cases) from marts.fct_incident_counts "
        "where agency_code = 'BT_POLICE' and period_code = '2024-Q3'",
    )
    open_store(settings).land(
        [
            accepted_version(
                "BT_POLICE",
                "2024-Q3",
                dates.now() + timedelta(seconds=1),
                IncidentCount("PHU_QUY", "FRAUD", 30, 20, None, None, int(prosecuted)),
                channel="email",
            )
        ],
    )
    later = generate.generate(settings, "2024-Q3", options, out_dir=tmp_path / "later")
    assert later.figures_sha256 != first.figures_sha256
    # ...but what was known when the first report was made is reproduced exactly
    again = generate.generate(settings, "2024-Q3", options, out_dir=tmp_path / "again", as_of=first.as_of)
    assert again.figures_sha256 == first.figures_sha256
    build.build(settings, quiet=True)
    recorded = warehouse.query(
        settings,
        "select report_id, figures_sha256 from marts.fct_generated_reports where document_kind = 'report'",
    )
    hashes = dict(zip(recorded.report_id, recorded.figures_sha256, strict=True))
    assert hashes[first.report_id] == hashes[again.report_id] == first.figures_sha256
    assert hashes[later.report_id] == later.figures_sha256


def test_reminders_for_missing_agencies(demo_warehouse_copy, tmp_path):
    options = reminders.ReminderOptions(letter_date=date(2024, 6, 25), number="88")
    targets = reminders.targets_on(demo_warehouse_copy, "2024-Q2", options)
    assert {"BT_ETHNIC", "BT_DOJ"} <= set(targets.agency_code)
    paths = reminders.generate(demo_warehouse_copy, "2024-Q2", options, tmp_path)
    assert len(paths) == len(targets)
    letter = texts(Document(next(p for p in paths if "BT_ETHNIC" in p.name)))
    assert "Kính gửi: Ban Dân tộc tỉnh Bình Thuận." in letter
    assert any("đã quá hạn 8 ngày" in text for text in letter)
    assert "Số: 88/STTTT-TTBCXB" in letter
    combined = reminders.generate(demo_warehouse_copy, "2024-Q2", options, tmp_path / "all", combined=True)
    text = texts(Document(combined[0]))
    assert "- Ban Dân tộc tỉnh Bình Thuận;" in text or "- Ban Dân tộc tỉnh Bình Thuận." in text


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftoppm") is None, reason="LibreOffice/poppler absent")
def test_report_renders_to_pdf_and_png(q3_report, tmp_path):
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(q3_report.docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (q3_report.docx_path.stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10000
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    keep = Path(__file__).resolve().parent / "screenshots"
    keep.mkdir(exist_ok=True)
    shutil.copy(pages[0], keep / "report_page_1.png")
