"""Intake attacked as a hostile or careless sender would: every rule proven
both ways where it applies (the good variant lands the right figures, the bad
one is rejected with its message and no row changes). The corpus is made
here, never committed as binaries."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from netsafe import build, dates, services, warehouse
from netsafe.errors import NetsafeError
from netsafe.intake import feedback, ingest, read, templates
from netsafe.store import open_store
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"
CSV_HEAD = "agency_code,period_code,indicator_code,value"


def template(ref, agency="BT_DOH", period=PERIOD) -> bytes:
    return template_bytes(ref, agency, period)


def edited(content: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def landed(wh) -> int:
    frame = open_store(wh).read_raw(
        "select (select count(*) from raw.indicator_values) + (select count(*) from raw.incident_counts) as n"
    )
    return int(frame.n.iat[0])


def verdict(wh, ref, name, content, received_on=date(2024, 9, 10)):
    before = landed(wh)
    outcome = ingest.ingest(wh, [(name, content)], ref, received_on=received_on)[0]
    text = "\n".join(str(problem) for problem in outcome.problems)
    if outcome.status == "rejected":
        assert landed(wh) == before, f"{name}: a rejected file landed values"
    return outcome, text


def indicator_value(wh, agency="BT_DOH", indicator="PROPAGANDA_SESSIONS"):
    return warehouse.scalar(
        wh,
        "select indicator_value from marts.fct_indicator_values "
        "where agency_code = ? and period_code = ? and indicator_code = ?",
        [agency, PERIOD, indicator],
    )


# ------------------------------------------------------------------ bounded


def test_an_unpacked_size_bomb_is_refused_before_anything_is_unpacked(wh, ref, monkeypatch):
    good = fill_template(template(ref), {"PROPAGANDA_SESSIONS": 4}, {})
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        # 60 MB of one letter: compresses to a few dozen KB, under the 5 MB upload limit
        dst.writestr("xl/sharedStrings2.xml", b"a" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024
    outcome, text = verdict(wh, ref, "bom.xlsx", bomb.getvalue())
    assert outcome.status == "rejected" and "vượt giới hạn 50 MB" in text and "over the 50 MB limit" in text
    outcome, _ = verdict(wh, ref, "tot.xlsx", good)
    assert outcome.status == "accepted"


def test_a_long_note_is_refused_naming_its_cell(wh, ref):
    def long_note(wb):
        wb[templates.INDICATOR_SHEET]["F5"] = "x" * 3000

    outcome, text = verdict(wh, ref, "ghi_chu_dai.xlsx", edited(template(ref), long_note))
    assert outcome.status == "rejected" and "F5" in text and "2.000" in text and "3,000 characters" in text

    def fine_note(wb):
        wb[templates.INDICATOR_SHEET]["E5"] = 2
        wb[templates.INDICATOR_SHEET]["F5"] = "- Tổ chức tại 3 xã " * 10

    assert verdict(wh, ref, "ghi_chu.xlsx", edited(template(ref), fine_note))[0].status == "accepted"


def test_an_overlong_code_in_a_csv_is_refused(wh, ref):
    csv = f"{CSV_HEAD}\nBT_DIC,{PERIOD},{'X' * 5000},1\n".encode()
    outcome, text = verdict(wh, ref, "ma_dai.csv", csv)
    assert outcome.status == "rejected" and "không quá 64 ký tự" in text and "indicator_code" in text


def test_data_far_outside_the_template_is_refused(wh, ref):
    def far(wb):
        wb[templates.INDICATOR_SHEET].cell(row=read.MAX_ROWS + 10, column=2, value="x")

    outcome, text = verdict(wh, ref, "xa.xlsx", edited(template(ref), far))
    assert outcome.status == "rejected" and "ngoài phạm vi mẫu" in text


# --------------------------------------------------------- template integrity


def test_a_column_inserted_is_refused_not_read_by_position(wh, ref):
    def insert_column(wb):
        ws = wb[templates.INDICATOR_SHEET]
        ws.insert_cols(5)
        ws["E4"] = "Số liệu"
        ws["E5"], ws["F5"] = 1, 500

    outcome, text = verdict(wh, ref, "them_cot.xlsx", edited(template(ref), insert_column))
    assert outcome.status == "rejected"
    assert "Ô E4 là 'Số liệu', mẫu là 'Giá trị'" in text and "Cell E4" in text
    good = fill_template(template(ref), {"PROPAGANDA_SESSIONS": 500}, {})
    assert verdict(wh, ref, "dung.xlsx", good)[0].status == "accepted"
    build.build(wh, quiet=True)
    assert indicator_value(wh) == 500


def test_swapped_codes_reordered_rows_and_edited_headers_are_refused(wh, ref):
    def swap_codes(wb):
        ws = wb[templates.INDICATOR_SHEET]
        ws["B5"], ws["B6"] = ws["B6"].value, ws["B5"].value
        ws["E5"] = 7

    def edit_header(wb):
        wb[templates.INDICATOR_SHEET]["C4"] = "Tên"

    def extra_sheet(wb):
        wb.create_sheet("Nháp")["A1"] = 12

    for name, change, fragment in (
        ("doi_ma.xlsx", swap_codes, "Ô B5 là"),
        ("tieu_de.xlsx", edit_header, "Ô C4 là 'Tên'"),
        ("trang_la.xlsx", extra_sheet, "Trang lạ 'Nháp'"),
    ):
        outcome, text = verdict(wh, ref, name, edited(template(ref), change))
        assert outcome.status == "rejected" and fragment in text, (name, text)
    # an empty extra sheet holds nothing to lose: accepted
    good = edited(
        fill_template(template(ref), {"PROPAGANDA_SESSIONS": 3}, {}), lambda wb: wb.create_sheet("X")
    )
    assert verdict(wh, ref, "trang_trong.xlsx", good)[0].status == "accepted"


# ---------------------------------------------------------- digits and text


def test_only_ascii_digits_count_as_numbers(wh, ref):
    for digits in ("１２", "٣", "12\u0661"):
        csv = f"{CSV_HEAD}\nBT_DIC,{PERIOD},INSPECTIONS_CONDUCTED,{digits}\n".encode()
        outcome, text = verdict(wh, ref, "so.csv", csv)
        assert outcome.status == "rejected" and "chữ số 0-9" in text, digits
    csv = f"{CSV_HEAD}\nBT_DIC,{PERIOD},INSPECTIONS_CONDUCTED,12\n".encode()
    assert verdict(wh, ref, "so_dung.csv", csv)[0].status == "accepted"


def test_formula_like_text_with_leading_blanks_is_refused(wh, ref):
    for note in ('  =HYPERLINK("http://x")', "\t+1", " @SUM(A1)"):

        def formula_note(wb, note=note):
            wb[templates.INDICATOR_SHEET]["E5"] = 1
            wb[templates.INDICATOR_SHEET]["F5"] = note

        outcome, text = verdict(wh, ref, "cong_thuc.xlsx", edited(template(ref), formula_note))
        assert outcome.status == "rejected" and "công thức" in text, note


def test_output_workbooks_write_formula_starts_as_text(tmp_path):
    problem = read.Problem("x.csv", "=1+1 sai", "=1+1 wrong", sheet="S", row=2, cell="A2")
    path = feedback.write_feedback(tmp_path, "x.csv", b"a,b\n", [problem])
    ws = load_workbook(path)[feedback.ERROR_SHEET]
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=1+1") for cell in cells)


def test_excel_csv_encodings_are_read_or_refused_with_the_save_as_choice(wh, ref):
    text = f"{CSV_HEAD}\r\nBT_DIC,{PERIOD},INSPECTIONS_CONDUCTED,5\r\n"
    utf16 = text.replace(",", "\t").encode("utf-16")  # Excel "Unicode text": BOM, tab-separated
    assert verdict(wh, ref, "unicode.txt", utf16)[0].status == "accepted"
    bom = ("\ufeff" + text.replace("5", "6")).encode("utf-8")
    assert verdict(wh, ref, "bom.csv", bom)[0].status == "accepted"
    # Windows-1258 (Vietnamese Windows' default "CSV"): tone marks combine, read as NFC
    # (Windows-1258 keeps tone marks as combining characters: "ộ" is "ô" + U+0323)
    decoded, problem = read.decode_csv("vn.csv", "Hà Nô\u0323i".encode("cp1258"))
    assert problem is None and decoded == "Hà Nội"
    no_bom_utf16 = text.encode("utf-16-le")
    outcome, message = verdict(wh, ref, "utf16_khong_bom.csv", no_bom_utf16)
    assert outcome.status == "rejected" and "CSV UTF-8" in message


def test_control_characters_and_markup_in_file_names_stay_text(wh, ref, tmp_path):
    names = ["bao\x07cao.csv", "bao\x07cao.xlsx", "[bấm](http://x)![a](http://y/i.png).csv"]
    files = [(name, f"a,b,c\n{index},2,3\n".encode()) for index, name in enumerate(names)]
    outcomes = ingest.ingest(wh, files, ref)
    paths = [services.write_feedback(tmp_path, outcome) for outcome in outcomes]
    assert len(set(paths)) == len(paths), "feedback files overwrote each other"
    for path in paths:
        load_workbook(path)  # written and readable despite control characters
    build.build(wh, quiet=True)
    from netsafe import submissions

    shown = submissions.render(services.list_submissions(wh))
    assert "\x07" not in shown and "bao cao.csv" in shown and "[bấm](http://x)" in shown


# ---------------------------------------------------------- dates and periods


def test_received_dates_and_periods_that_cannot_be(wh, ref):
    good = f"{CSV_HEAD}\nBT_DIC,{PERIOD},INSPECTIONS_CONDUCTED,3\n".encode()
    with pytest.raises(NetsafeError) as error:
        ingest.ingest(wh, [("tuong_lai.csv", good)], ref, received_on=dates.today() + timedelta(days=1))
    assert "tương lai" in error.value.vi and "future" in error.value.en
    with pytest.raises(NetsafeError) as error:
        ingest.ingest(wh, [("qua_som.csv", good)], ref, received_on=date(2020, 1, 1))
    assert "sớm hơn ngày bắt đầu kỳ" in error.value.vi and landed(wh) == 0
    future_period = f"{CSV_HEAD}\nBT_DIC,2030-Q4,INSPECTIONS_CONDUCTED,3\n".encode()
    outcome, text = verdict(wh, ref, "ky_sau.csv", future_period, received_on=dates.today())
    assert outcome.status == "rejected" and "chưa bắt đầu" in text
    assert verdict(wh, ref, "dung_han.csv", good, received_on=date(2024, 9, 16))[0].status == "accepted"


# --------------------------------------------------------------- versions


def _csv(value: int, *extra: str) -> bytes:
    lines = [CSV_HEAD, f"BT_DIC,{PERIOD},INSPECTIONS_CONDUCTED,{value}", *extra]
    return ("\n".join(lines) + "\n").encode()


def test_the_version_landed_last_is_in_use_whatever_its_received_date(wh, ref):
    first, correction = _csv(3, f"BT_DIC,{PERIOD},FINES_VND,1000"), _csv(9, f"BT_DIC,{PERIOD},FINES_VND,1000")
    assert verdict(wh, ref, "v1.csv", first, received_on=date(2024, 9, 12))[0].status == "accepted"
    # the correction is dated earlier (a paper copy logged late): it still replaces the first
    assert verdict(wh, ref, "v2.csv", correction, received_on=date(2024, 9, 5))[0].status == "accepted"
    build.build(wh, quiet=True)
    assert indicator_value(wh, "BT_DIC", "INSPECTIONS_CONDUCTED") == 9
    # the exact bytes of the version in use: nothing happens
    assert verdict(wh, ref, "v2_lai.csv", correction)[0].status == "duplicate"
    # the bytes of the superseded version: it is in use again, and the verdict says so
    outcome, _ = verdict(wh, ref, "v1_lai.csv", first)
    assert outcome.status == "resent" and "dùng lại" in ingest.describe(outcome)
    build.build(wh, quiet=True)
    assert indicator_value(wh, "BT_DIC", "INSPECTIONS_CONDUCTED") == 3
    history = services.list_submissions(wh, PERIOD, "BT_DIC")
    assert history.version_number.tolist() == [1, 2] and history.is_latest.tolist() == [True, False]


def test_a_shorter_correction_lists_the_rows_that_disappear(wh, ref):
    full = _csv(3, f"BT_DIC,{PERIOD},FINES_VND,1000")
    assert verdict(wh, ref, "day_du.csv", full)[0].status == "accepted"
    # previewing (the dashboard asks before landing) names the rows and lands nothing
    before = landed(wh)
    prepared = ingest.check_files(wh, [("thieu.csv", _csv(4))], ref, ingest.received_moment(None), "upload")
    assert prepared[0][4] == ["FINES_VND"] and landed(wh) == before
    outcome, _ = verdict(wh, ref, "thieu.csv", _csv(4))
    assert outcome.status == "accepted" and outcome.dropped == ["FINES_VND"]
    assert "FINES_VND" in ingest.describe(outcome) and "disappear" in ingest.describe(outcome)
    # a full correction drops nothing
    assert verdict(wh, ref, "du_lai.csv", _csv(5, f"BT_DIC,{PERIOD},FINES_VND,0"))[0].dropped == []


# ------------------------------------------------------------- withdrawals


def test_withdrawing_falls_back_then_leaves_the_agency_missing(wh, ref):
    first = fill_template(template(ref), {"PROPAGANDA_SESSIONS": 2}, {})
    second = fill_template(template(ref), {"PROPAGANDA_SESSIONS": 8}, {})
    v1 = verdict(wh, ref, "v1.xlsx", first, received_on=date(2024, 9, 10))[0]
    v2 = verdict(wh, ref, "v2.xlsx", second, received_on=date(2024, 9, 11))[0]
    build.build(wh, quiet=True)
    assert indicator_value(wh) == 8
    services.withdraw_submission(wh, v2.submission_id, "Số liệu nhập nhầm đơn vị", actor="steward@dic")
    assert indicator_value(wh) == 2
    services.withdraw_submission(wh, v1.submission_id, "Đơn vị đề nghị rút", actor="steward@dic")
    assert indicator_value(wh) is None
    status = warehouse.scalar(
        wh,
        "select compliance_status from marts.rpt_agency_compliance where agency_code = 'BT_DOH' "
        "and period_code = ?",
        [PERIOD],
    )
    assert status == "missing"
    history = services.list_submissions(wh, PERIOD, "BT_DOH")
    assert history.is_withdrawn.all() and set(history.withdrawn_by) == {"steward@dic"}
    from netsafe import submissions

    shown = submissions.render(history)
    assert shown.count("đã rút / withdrawn") == 2 and "Số liệu nhập nhầm đơn vị" in shown
    assert assert_archived(wh, first) and assert_archived(wh, second)
    with pytest.raises(NetsafeError):
        services.withdraw_submission(wh, v1.submission_id, "lần nữa")


def assert_archived(wh, content: bytes) -> bool:
    import hashlib

    return (wh.archive_dir / hashlib.sha256(content).hexdigest()).read_bytes() == content


def test_a_build_broken_by_one_version_recovers_when_it_is_withdrawn(wh):
    from netsafe.contract import IndicatorValue
    from netsafe.errors import BuildFailed
    from tests.factories import accepted_version

    bad = accepted_version("BT_POLICE", PERIOD, datetime(2024, 9, 1), IndicatorValue("NO_SUCH_INDICATOR", 1))
    open_store(wh).land([bad])
    with pytest.raises(BuildFailed):
        build.build(wh, quiet=True)
    services.withdraw_submission(wh, bad.submission_id, "Mã chỉ tiêu không tồn tại")
    assert bool(warehouse.scalar(wh, "select is_withdrawn from marts.fct_submissions"))
