"""The registry of reporters after the 2025 reorganisation (#13): the
province's list of commune People's Committees imported with `netsafe
registry import FILE`, every row checked (one wrong row and nothing lands),
archived by hash, versioned by validity, and merged into dim_agencies so
they are expected, get templates and are chased like any reporter."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from netsafe import services, warehouse
from netsafe.errors import NetsafeError
from netsafe.intake import templates
from netsafe.intake.reference import load as load_reference
from netsafe.registry import HEADER
from netsafe.store import open_store
from netsafe.store.base import archive_path

HEAD = ",".join(HEADER)
GOOD = f"""{HEAD}
LD_CPC_PHU_THUY,Ủy ban nhân dân phường Phú Thủy,Phú Thủy Ward People's Committee,PHAN_THIET,2025-07-01,,
LD_CPC_HAM_TIEN,Ủy ban nhân dân phường Hàm Tiến,,PHAN_THIET,2025-07-01,,
LD_CPC_LUONG_SON,Ủy ban nhân dân xã Lương Sơn,Lương Sơn Commune,BAC_BINH,2025-07-01,,theo danh sách tỉnh
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(settings) -> int:
    return int(open_store(settings).read_raw("select count(*) as n from raw.registry_agencies").n.iat[0])


def test_the_provinces_list_makes_commune_committees_reporters(wh, tmp_path):
    result = services.import_registry(wh, write(tmp_path, "xa_phuong.csv", GOOD))
    assert (result.added, result.replaced) == (3, 0)
    assert archive_path(wh, result.file_sha256).exists()
    communes = warehouse.query(
        wh,
        "select agency_code, name_vi, name_en, agency_kind, agency_role, parent_agency_code, area_code, "
        "reporting_area_code, valid_from from marts.dim_agencies where agency_kind = 'commune' order by 1",
    )
    assert communes.agency_code.tolist() == ["LD_CPC_HAM_TIEN", "LD_CPC_LUONG_SON", "LD_CPC_PHU_THUY"]
    assert set(communes.parent_agency_code) == {"LD_PPC"} and set(communes.reporting_area_code) == {
        "BINH_THUAN"
    }
    # a name in English is optional: the Vietnamese one stands in
    assert communes.set_index("agency_code").name_en["LD_CPC_HAM_TIEN"] == "Ủy ban nhân dân phường Hàm Tiến"
    expected = warehouse.query(
        wh,
        "select period_code from marts.rpt_agency_compliance "
        "where agency_code = 'LD_CPC_PHU_THUY' and is_expected order by 1",
    ).period_code.tolist()
    assert expected and expected[0] == "2025-Q3" and "2025-Q2" not in expected
    # a commune's template asks for incidents on its statistical region only
    ref = load_reference(wh)
    out = io.BytesIO()
    templates.build_workbook(ref, "LD_CPC_LUONG_SON", "2025-Q4").save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))[templates.INCIDENT_SHEET]
    regions = {sheet.cell(row=r, column=2).value for r in range(templates.FIRST_DATA_ROW, sheet.max_row + 1)}
    assert regions == {"BAC_BINH"}

    # a corrected list replaces those codes' rows; nothing is deleted from raw
    corrected = GOOD.replace("Ủy ban nhân dân phường Hàm Tiến,", "Ủy ban nhân dân phường Hàm Tiến - Mũi Né,")
    again = services.import_registry(wh, write(tmp_path, "xa_phuong_sua.csv", corrected))
    assert (again.added, again.replaced) == (0, 3)
    assert imported(wh) == 6
    name = warehouse.scalar(
        wh, "select name_vi from marts.dim_agencies where agency_code = 'LD_CPC_HAM_TIEN'"
    )
    assert name == "Ủy ban nhân dân phường Hàm Tiến - Mũi Né"
    trail = open_store(wh).read_raw(
        "select action, outcome from raw.audit_log where action = 'registry_import'"
    )
    assert trail.outcome.tolist() == ["ok", "ok"]


def test_one_wrong_row_and_nothing_is_imported_each_problem_named(wh, tmp_path):
    hostile = f"""{HEAD}
BT_DOH,Sở Y tế giả,,PHAN_THIET,2025-07-01,,
LD_CPC_A,Ủy ban nhân dân xã A,,NOWHERE,2025-07-01,,
LD_CPC_B,Ủy ban nhân dân xã B,,PHAN_THIET,2024-01-01,,
LD_CPC_C,"=HYPERLINK(""http://x"",""y"")",,PHAN_THIET,2025-07-01,,
LD_CPC_D,Ủy ban nhân dân xã D,,PHAN_THIET,2025-07-01,2025-01-01,
LD_CPC_D,Ủy ban nhân dân xã D,,PHAN_THIET,2025-07-01,,
ld cpc e,,,PHAN_THIET,01/07/2025,,
LD_CPC_F,Ủy ban nhân dân xã F,,PHAN_THIET,2025-07-01,,{"x" * 600}
"""
    with pytest.raises(NetsafeError) as refused:
        services.import_registry(wh, write(tmp_path, "sai.csv", hostile))
    vi, en = refused.value.vi, refused.value.en
    for expected in (
        "dòng 2, cột agency_code: BT_DOH đã là đơn vị trong danh mục gốc",
        "dòng 3, cột statistical_region_code: 'NOWHERE' không phải vùng thống kê",
        "dòng 4, cột valid_from: UBND cấp xã báo cáo từ ngày 01/07/2025",
        "dòng 5, cột name_vi: không được là công thức",
        "dòng 6, cột valid_to: phải sau valid_from",
        "dòng 7, cột agency_code: LD_CPC_D bị lặp (đã có ở dòng 6)",
        "dòng 8, cột name_vi: bắt buộc",
        "dòng 8, cột agency_code: 'LD CPC E' không hợp lệ",
        "dòng 8, cột valid_from: không phải ngày YYYY-MM-DD",
        "dòng 9, cột note: dài quá 500 ký tự",
    ):
        assert expected in vi, expected
    assert "row 3, column statistical_region_code" in en and "nothing imported" in en
    assert imported(wh) == 0
    with pytest.raises(NetsafeError) as header:
        services.import_registry(wh, write(tmp_path, "tieu_de.csv", "ma,ten\nX,Y\n"))
    assert "dòng tiêu đề phải là" in header.value.vi and imported(wh) == 0


def test_the_cli_imports_and_refuses_in_both_languages(wh, tmp_path):
    env = dict(os.environ, NETSAFE_DATA_DIR=str(wh.data_dir))
    netsafe = [sys.executable, "-m", "netsafe.cli"]
    bad = subprocess.run(
        [*netsafe, "registry", "import", str(write(tmp_path, "sai.csv", f"{HEAD}\nX1,,,,,,\n"))],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert bad.returncode != 0 and "Lỗi:" in bad.stderr and "Error:" in bad.stderr and "row 2" in bad.stderr
    good = subprocess.run(
        [*netsafe, "registry", "import", str(write(tmp_path, "xa.csv", GOOD))],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert good.returncode == 0, good.stderr
    assert "3 mới / new" in good.stdout
