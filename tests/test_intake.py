"""Intake: templates, validation that names every error, versioned landing."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from netsafe import build, warehouse
from netsafe.intake import feedback, ingest, read, templates
from netsafe.intake import reference as reference_module
from netsafe.intake.validate import whole_number
from netsafe.store import open_store
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"


def raw_counts(settings):
    frame = open_store(settings).read_raw(
        "select (select count(*) from raw.submissions) s, (select count(*) from raw.indicator_values) i,"
        " (select count(*) from raw.incident_counts) c",
    )
    return tuple(int(x) for x in frame.iloc[0])


# ---------------------------------------------------------------- templates


def test_template_is_fillable_and_protected(ref):
    wb = load_workbook(io.BytesIO(template_bytes(ref, "BT_POLICE")))
    assert wb.sheetnames == ["Thông tin", "Chỉ tiêu", "Vụ việc", "Nhận xét, kiến nghị", "_meta"]
    cover = wb["Thông tin"]
    texts = [str(c.value) for row in cover.iter_rows() for c in row if c.value]
    assert "Công an tỉnh Bình Thuận" in texts
    assert any("Quý III/2024" in t for t in texts)
    assert any("Từ 15/06/2024 đến 14/09/2024" in t for t in texts)
    assert "17/09/2024" in texts
    indicators = wb["Chỉ tiêu"]
    assert indicators.protection.sheet and not indicators.protection.password
    assert indicators["B5"].protection.locked and not indicators["E5"].protection.locked
    codes = [indicators.cell(row=r, column=2).value for r in range(5, indicators.max_row + 1)]
    assert "PEOPLE_PROSECUTED" in codes and "INSPECTIONS_CONDUCTED" not in codes
    assert "CASES_PROSECUTED" not in codes  # derived from the incident rows, never asked for
    validations = indicators.data_validations.dataValidation
    assert any(v.type == "whole" and v.formula1 == "0" for v in validations)
    incidents = wb["Vụ việc"]
    header = [incidents.cell(row=4, column=c).value for c in range(1, incidents.max_column + 1)]
    assert header[-1] == "Khởi tố (vụ)"
    assert incidents.max_row - 4 == 10 * 9  # ten districts × nine violation types
    assert incidents.page_setup.orientation == "landscape"
    assert wb["_meta"].sheet_state == "hidden"
    assert any(v.type == "list" for v in cover.data_validations.dataValidation)


def test_templates_differ_by_agency_kind(ref):
    district = load_workbook(io.BytesIO(template_bytes(ref, "BT_PC_LA_GI")))
    incidents = district["Vụ việc"]
    assert incidents.max_row - 4 == 9  # its own area only
    assert "Khởi tố (vụ)" not in [incidents.cell(row=4, column=c).value for c in range(1, 12)]
    department = load_workbook(io.BytesIO(template_bytes(ref, "BT_DOH")))
    assert "Vụ việc" not in department.sheetnames


def test_template_for_an_agency_not_expected_is_refused(ref):
    with pytest.raises(Exception) as error:
        templates.build_workbook(ref, "BT_DIC", "2025-Q3")
    assert "không phải báo cáo" in str(error.value)


# ------------------------------------------------------------- round trip


def receive(wh, ref, name: str, content: bytes, received_on: date, channel: str = "upload"):
    """One file received on a day: its outcome."""
    return ingest.ingest(wh, [(name, content)], ref, received_on=received_on, channel=channel)[0]


def test_round_trip_template_to_marts(wh, ref):
    filled = fill_template(
        template_bytes(ref, "BT_POLICE"),
        {"PEOPLE_PROSECUTED": 3, "PROPAGANDA_SESSIONS": 4},
        {
            ("PHAN_THIET", "FRAUD"): {"Phát hiện (vụ)": 7, "Đã xử lý (vụ)": 5, "Khởi tố (vụ)": 2},
            ("HAM_TAN", "GAMBLING"): {"Phát hiện (vụ)": 3, "Đã xử lý (vụ)": 3, "Tiền phạt (đồng)": 15000000},
        },
    )
    late = fill_template(
        template_bytes(ref, "BT_PC_LA_GI"),
        {"PROPAGANDA_SESSIONS": 2},
        {("LA_GI", "FRAUD"): {"Phát hiện (vụ)": 1, "Đã xử lý (vụ)": 1}},
    )
    on_time = receive(wh, ref, "cong_an.xlsx", filled, date(2024, 9, 16), channel="email")
    late_outcome = receive(wh, ref, "la_gi.xlsx", late, date(2024, 9, 20), channel="paper")
    assert [on_time.status, late_outcome.status] == ["accepted", "accepted"]
    build.build(wh, quiet=True)

    counts = warehouse.query(
        wh,
        "select area_code, violation_type_code, detected, handled, fined_vnd, prosecuted_cases "
        "from marts.fct_incident_counts where period_code = ? order by agency_code, area_code",
        [PERIOD],
    )
    counts = counts.astype(object).where(counts.notna(), None)
    assert counts.values.tolist() == [
        ["LA_GI", "FRAUD", 1, 1, None, None],
        ["HAM_TAN", "GAMBLING", 3, 3, 15000000, None],
        ["PHAN_THIET", "FRAUD", 7, 5, None, 2],
    ]
    fraud = warehouse.query(
        wh,
        "select detected, handled, prosecuted_cases from marts.rpt_violation_summary "
        "where period_code = ? and violation_type_code = 'FRAUD'",
        [PERIOD],
    ).iloc[0]
    # the counting rule: detected and prosecuted as the police report them, handled as
    # the DIC does (no DIC report here); the district's case is stated by source only
    assert (fraud.detected, fraud.handled, fraud.prosecuted_cases) == (7, 0, 2)
    sources = warehouse.query(
        wh,
        "select source_kind, detected, handled from marts.rpt_violation_by_source "
        "where period_code = ? and violation_type_code = 'FRAUD' order by source_kind",
        [PERIOD],
    )
    assert sources.values.tolist() == [["district", 1, 1], ["police", 7, 5]]
    compliance = warehouse.query(
        wh,
        "select agency_code, compliance_status, days_late from marts.rpt_agency_compliance "
        "where period_code = ? and agency_code in ('BT_POLICE', 'BT_PC_LA_GI') order by agency_code",
        [PERIOD],
    )
    assert compliance.values.tolist() == [["BT_PC_LA_GI", "late", 3], ["BT_POLICE", "on_time", 0]]


def test_same_file_twice_and_a_new_version(wh, ref):
    first = fill_template(template_bytes(ref, "BT_DOH"), {"PROPAGANDA_SESSIONS": 2}, {})
    outcome = receive(wh, ref, "y_te.xlsx", first, date(2024, 9, 10))
    again = receive(wh, ref, "y_te_copy.xlsx", first, date(2024, 9, 11))
    assert again.status == "duplicate" and again.submission_id == outcome.submission_id
    corrected = fill_template(template_bytes(ref, "BT_DOH"), {"PROPAGANDA_SESSIONS": 5}, {})
    assert receive(wh, ref, "y_te_v2.xlsx", corrected, date(2024, 9, 12)).status == "accepted"
    assert raw_counts(wh) == (2, 2, 0)
    build.build(wh, quiet=True)
    in_use = "select indicator_value from marts.fct_indicator_values where agency_code = 'BT_DOH'"
    assert warehouse.scalar(wh, in_use + " and period_code = ?", [PERIOD]) == 5
    history = warehouse.query(
        wh, "select version_number, is_latest from marts.fct_submissions where agency_code = 'BT_DOH'"
    )
    assert sorted(history.values.tolist()) == [[1, False], [2, True]]


def test_csv_files_for_machines(wh, ref):
    indicators = (
        b"agency_code,period_code,indicator_code,value\n"
        b"BT_DIC,2024-Q3,INSPECTIONS_CONDUCTED,4\nBT_DIC,2024-Q3,FINES_VND,25000000\n"
    )
    incidents = (
        b"agency_code,period_code,area_code,violation_type_code,detected,handled,fined_vnd,removed_items,"
        b"prosecuted_cases\nBT_DIC,2024-Q3,PHAN_THIET,FAKE_NEWS,6,4,20000000,5,\n"
    )
    outcomes = ingest.ingest(wh, [("c.csv", incidents), ("i.csv", indicators)], ref, channel="api")
    # the fines sent as an indicator (25.000.000) contradict the rows (20.000.000)
    assert [o.status for o in outcomes] == ["accepted", "rejected"]
    assert "Tiền xử phạt" in outcomes[1].problems[0].vi
    agreeing = indicators.replace(b"25000000", b"20000000")
    assert [o.status for o in ingest.ingest(wh, [("i2.csv", agreeing)], ref, channel="api")] == ["accepted"]
    rows = open_store(wh).read_raw("select detected, handled, prosecuted_cases from raw.incident_counts")
    assert rows.iloc[0].tolist()[:2] == [6, 4] and rows.prosecuted_cases.isna().all()


# ------------------------------------------------------------ bad files


def _xlsx_with(ref, agency, mutate) -> bytes:
    return fill_template(template_bytes(ref, agency), {}, {}, extra=mutate)


def _set(sheet, ref_cell, value):
    def mutate(wb):
        wb[sheet][ref_cell].value = value

    return mutate


def bad_corpus(ref):
    """(name, content, a fragment every expected message contains)."""
    police = template_bytes(ref, "BT_POLICE")
    la_gi = template_bytes(ref, "BT_PC_LA_GI")

    def many(wb):
        ws = wb["Vụ việc"]
        ws["F5"].value = 3
        ws["G5"].value = 5  # handled > detected
        ws["F6"].value = -1  # negative
        ws["F7"].value = 2.5  # not whole
        ws["F8"].value = "=1+1"  # formula

    def wrong_version(wb):
        wb["_meta"]["B1"].value = "NETSAFE-0"

    def unknown_agency(wb):
        wb["_meta"]["B2"].value = "BT_NOBODY"

    def not_expected(wb):
        wb["_meta"]["B3"].value = "2021-Q1"

    def bad_area(wb):
        wb["Vụ việc"]["B5"].value = "PHU_QUY"
        wb["Vụ việc"]["F5"].value = 1

    def duplicate_row(wb):
        ws = wb["Chỉ tiêu"]
        ws["B6"].value = ws["B5"].value
        ws["E5"].value = 1
        ws["E6"].value = 2

    def prosecuted_from_district(wb):
        ws = wb["Vụ việc"]
        ws["J4"].value = "Khởi tố (vụ)"
        ws["J5"].value = 1

    macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(police)) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00macro")
    truncated = police[: len(police) // 2]
    return [
        ("empty.xlsx", b"", "Tệp rỗng"),
        ("anh.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "không phải Excel"),
        ("mat_khau.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600, "có mật khẩu"),
        ("hong.xlsx", truncated, "bị hỏng"),
        ("macro.xlsx", macro.getvalue(), "macro"),
        (
            "huge.csv",
            b"agency_code,period_code,indicator_code,value\n" + b"x" * (6 * 1024 * 1024),
            "giới hạn",
        ),
        ("la_lung.csv", b"a,b,c\n1,2,3\n", "tiêu đề CSV"),
        ("phien_ban.xlsx", _xlsx_with(ref, "BT_POLICE", wrong_version), "Phiên bản mẫu"),
        ("don_vi.xlsx", _xlsx_with(ref, "BT_POLICE", unknown_agency), "BT_NOBODY"),
        ("khong_phai_nop.xlsx", _xlsx_with(ref, "BT_POLICE", not_expected), "không phải báo cáo kỳ"),
        ("nhieu_loi.xlsx", fill_template(police, {}, {}, extra=many), "lớn hơn số phát hiện"),
        # codes, rows and columns are the template's: any edit is named by cell
        ("dia_ban.xlsx", fill_template(la_gi, {}, {}, extra=bad_area), "Ô B5 là 'PHU_QUY', mẫu là 'LA_GI'"),
        ("lap.xlsx", fill_template(la_gi, {}, {}, extra=duplicate_row), "Ô B6 là"),
        ("khoi_to.xlsx", fill_template(la_gi, {}, {}, extra=prosecuted_from_district), "Ô J4 là"),
        (
            "khoi_to.csv",
            b"agency_code,period_code,area_code,violation_type_code,detected,handled,fined_vnd,removed_items,"
            b"prosecuted_cases\nBT_PC_LA_GI,2024-Q3,LA_GI,FRAUD,2,1,,,1\n",
            "Chỉ Công an tỉnh",
        ),
        ("trong.xlsx", police, "không có số liệu nào"),
        (
            "hai_don_vi.csv",
            b"agency_code,period_code,indicator_code,value\nBT_DIC,2024-Q3,FINES_VND,1\n"
            b"BT_DOH,2024-Q3,PROPAGANDA_SESSIONS,1\n",
            "một đơn vị",
        ),
        (
            "so_sai.csv",
            b"agency_code,period_code,indicator_code,value\nBT_DIC,2024-Q3,FINES_VND,1.000.000\n",
            "không phải là số",
        ),
        (
            "chi_tieu_khac.csv",
            b"agency_code,period_code,indicator_code,value\nBT_DOH,2024-Q3,FINES_VND,1\n",
            "không thuộc nhiệm vụ",
        ),
    ]


def test_every_bad_file_is_rejected_with_its_reason_and_lands_no_values(wh, ref):
    corpus = bad_corpus(ref)
    outcomes = ingest.ingest(wh, [(name, content) for name, content, _ in corpus], ref)
    for (name, _, fragment), outcome in zip(corpus, outcomes, strict=True):
        assert outcome.status == "rejected", name
        text = "\n".join(str(p) for p in outcome.problems)
        assert fragment in text, f"{name}: {text}"
        assert f"tệp {name}" in text and f"file {name}" in text  # names the file, in both languages
        assert " / " in text
    # every rejection is recorded and archived, no value reached raw
    assert raw_counts(wh) == (len(corpus), 0, 0)
    assert len({p.name for p in wh.archive_dir.iterdir()}) == len(corpus)
    statuses = open_store(wh).read_raw("select distinct status from raw.submissions").status.tolist()
    assert statuses == ["rejected"]


def test_all_problems_are_reported_at_once_with_sheet_row_column(ref):
    police = template_bytes(ref, "BT_POLICE")

    def many(wb):
        ws = wb["Vụ việc"]
        ws["F5"].value, ws["G5"].value = 3, 5
        ws["F6"].value = -1
        ws["F7"].value = 2.5
        ws["F8"].value = "=1+1"

    version, problems = ingest.prepare(
        "x.xlsx", fill_template(police, {}, {}, extra=many), ref, ingest.received_moment(None), "email"
    )
    assert version.status == "rejected"
    where = [(p.sheet, p.row, p.column) for p in problems]
    assert where == [
        ("Vụ việc", 5, "Đã xử lý (vụ)"),
        ("Vụ việc", 6, "Phát hiện (vụ)"),
        ("Vụ việc", 7, "Phát hiện (vụ)"),
        ("Vụ việc", 8, "Phát hiện (vụ)"),
    ]
    assert "công thức" in problems[3].vi and "formula" in problems[3].en


def test_feedback_workbook_highlights_bad_cells(ref, tmp_path):
    def bad(wb):
        wb["Vụ việc"]["F6"].value = -4

    content = fill_template(template_bytes(ref, "BT_POLICE"), {}, {}, extra=bad)
    _, problems = ingest.prepare("cong_an.xlsx", content, ref, ingest.received_moment(None), "email")
    path = feedback.write_feedback(tmp_path, "cong_an.xlsx", content, problems)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == feedback.ERROR_SHEET
    errors = wb[feedback.ERROR_SHEET]
    assert errors["B3"].value == 6 and "số âm" in errors["D3"].value and "negative" in errors["E3"].value
    assert wb["Vụ việc"]["F6"].fill.fgColor.rgb.endswith("F4B6B6")
    assert "số âm" in wb["Vụ việc"]["F6"].comment.text


# ------------------------------------------------------ property-based CSV


@given(st.integers(min_value=0, max_value=10**12))
def test_whole_numbers_round_trip(number):
    assert whole_number(str(number)) == (number, None)
    assert whole_number(number) == (number, None)
    assert whole_number(float(number)) == (number, None)


@given(st.integers(max_value=-1))
def test_negative_numbers_are_refused(number):
    assert whole_number(str(number)) == (None, "negative")


@given(st.text())
def test_csv_reader_never_crashes_and_always_explains(text):
    result = read.read("x.csv", text.encode("utf-8"))
    if result.kind == "unreadable":
        assert result.problems and all(p.vi and p.en for p in result.problems)


cells = st.one_of(st.none(), st.integers(0, 1000), st.integers(-5, -1), st.sampled_from(["x", "1.5", ""]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=6))
def test_incident_csv_accepts_exactly_the_valid_rows(rows):
    """Generated CSVs: a file is accepted iff every cell is blank or a whole
    number >= 0 and handled <= detected, and some figure is present."""

    lines = [
        "agency_code,period_code,area_code,violation_type_code,detected,handled,fined_vnd,"
        "removed_items,prosecuted_cases"
    ]
    areas = ["PHAN_THIET", "LA_GI", "TUY_PHONG", "BAC_BINH", "HAM_TAN", "DUC_LINH"]
    valid = True
    present = False
    for (detected, handled), area in zip(rows, areas, strict=False):

        def text(v):
            return "" if v is None else str(v)

        lines.append(f"BT_POLICE,2024-Q3,{area},FRAUD,{text(detected)},{text(handled)},,,")
        parsed = [whole_number(v) for v in (detected, handled)]
        (det, det_error), (han, han_error) = parsed
        if det_error or han_error or (det is not None and han is not None and han > det):
            valid = False
        if any(value is not None for value, _ in parsed):
            present = True
    result = read.read("gen.csv", "\n".join(lines).encode())
    assert result.kind == "incidents_csv"
    assert len(result.incident_lines) == len(rows)
    from netsafe.intake.validate import check

    checked = check(result, _REFERENCE["ref"])
    assert (not checked.problems) == (valid and present)


_REFERENCE: dict = {}


@pytest.fixture(autouse=True, scope="module")
def _shared_reference(empty_warehouse):
    _REFERENCE["ref"] = reference_module.load(empty_warehouse)
    yield
    _REFERENCE.clear()
