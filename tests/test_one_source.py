"""One figure, one source: reports in parts, derived indicators computed
from the incident rows, the counting rule, cross-field rules at intake and
on landed data, and the report's consistency gate."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from netsafe import build, dates, formatting, services, warehouse
from netsafe.contract import IncidentCount, IndicatorValue, SubmissionVersion
from netsafe.errors import NetsafeError
from netsafe.intake import ingest
from netsafe.report import consistency
from netsafe.store import open_store
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"
RECEIVED = date(2024, 9, 16)
INDICATOR_HEADER = "agency_code,period_code,indicator_code,value\n"
INCIDENT_HEADER = (
    "agency_code,period_code,area_code,violation_type_code,detected,handled,fined_vnd,removed_items,"
    "prosecuted_cases\n"
)


def police_indicators(**values) -> bytes:
    rows = {"CASES_INVESTIGATED": 9, "PEOPLE_PROSECUTED": 5, "PROPAGANDA_SESSIONS": 2, **values}
    return (
        INDICATOR_HEADER + "".join(f"BT_POLICE,{PERIOD},{code},{v}\n" for code, v in rows.items())
    ).encode()


def police_incidents(*rows: tuple) -> bytes:
    rows = rows or (("PHAN_THIET", "FRAUD", 6, 4, 0, 0, 2), ("LA_GI", "GAMBLING", 3, 3, 0, 0, 1))
    lines = "".join(f"BT_POLICE,{PERIOD},{','.join(str(x) for x in row)}\n" for row in rows)
    return (INCIDENT_HEADER + lines).encode()


def land(settings, ref, *files: tuple[str, bytes]):
    return ingest.ingest(settings, list(files), ref, received_on=RECEIVED, channel="api")


def q(settings, sql, params=None) -> pd.DataFrame:
    return warehouse.query(settings, sql, params)


# ------------------------------------------------------------ report parts


def test_indicator_csv_then_incident_csv_leaves_both_parts_in_the_marts(wh, ref):
    first = land(wh, ref, ("chi_tieu.csv", police_indicators()))
    second = land(wh, ref, ("vu_viec.csv", police_incidents()))
    assert [o.status for o in first + second] == ["accepted", "accepted"]
    assert second[0].dropped == []  # the incident part replaces no indicator
    build.build(wh, quiet=True)
    values = q(
        wh,
        "select indicator_code, indicator_value, value_source from marts.fct_indicator_values "
        "where agency_code = 'BT_POLICE' and period_code = ? order by 1",
        [PERIOD],
    )
    by_code = dict(zip(values.indicator_code, values.indicator_value, strict=True))
    assert by_code["CASES_INVESTIGATED"] == 9 and by_code["PEOPLE_PROSECUTED"] == 5
    # derived from the rows (2 + 1), not asked for
    assert by_code["CASES_PROSECUTED"] == 3
    assert values.set_index("indicator_code").value_source["CASES_PROSECUTED"] == "derived"
    rows = q(wh, "select count(*) as n from marts.fct_incident_counts where agency_code = 'BT_POLICE'")
    assert rows.n.iat[0] == 2
    history = q(
        wh,
        "select report_parts, parts_in_use, is_latest from marts.fct_submissions "
        "where agency_code = 'BT_POLICE' order by version_number",
    )
    assert history.report_parts.tolist() == ["indicators", "incidents"]
    assert history.is_latest.tolist() == [True, True]
    compliance = q(
        wh,
        "select compliance_status, missing_parts from marts.rpt_agency_compliance "
        "where agency_code = 'BT_POLICE' and period_code = ?",
        [PERIOD],
    )
    assert compliance.compliance_status.iat[0] == "on_time" and pd.isna(compliance.missing_parts.iat[0])
    listing = services.submissions_text(wh, PERIOD, "BT_POLICE")
    assert "phần / parts: giá trị chỉ tiêu" in listing and "phần / parts: số vụ việc" in listing
    assert "đủ các phần ngày 16/09/2024" in listing


def test_a_report_with_a_part_missing_is_partial_and_chased(wh, ref):
    land(wh, ref, ("chi_tieu.csv", police_indicators()))
    build.build(wh, quiet=True)
    compliance = q(
        wh,
        "select compliance_status, missing_parts, has_submitted from marts.rpt_agency_compliance "
        "where agency_code = 'BT_POLICE' and period_code = ?",
        [PERIOD],
    )
    assert compliance.compliance_status.iat[0] == "partial"
    assert compliance.missing_parts.iat[0] == "incidents" and not compliance.has_submitted.iat[0]
    # a letter dated in the quarter's reporting window goes to the police themselves...
    chased = services.reminder_targets(wh, PERIOD, on=date(2024, 10, 1))
    assert "BT_POLICE" in chased.agency_code.tolist()
    # ...one dated today to the body that took over their functions, for their report
    today = services.reminder_targets(wh, PERIOD)
    owed = today[today.reporter_code == "BT_POLICE"]
    assert owed.agency_code.tolist() == ["LD_POLICE"] and owed.compliance_status.tolist() == ["partial"]
    assert "thiếu phần số vụ việc" in services.submissions_text(wh, PERIOD, "BT_POLICE")


def test_a_correction_of_one_part_keeps_the_other(wh, ref):
    land(wh, ref, ("chi_tieu.csv", police_indicators()), ("vu_viec.csv", police_incidents()))
    corrected = police_incidents(("PHAN_THIET", "FRAUD", 8, 5, 0, 0, 2), ("LA_GI", "GAMBLING", 3, 3, 0, 0, 1))
    [outcome] = land(wh, ref, ("vu_viec_bo_sung.csv", corrected))
    assert outcome.status == "accepted"
    build.build(wh, quiet=True)
    kept = q(
        wh,
        "select count(*) as n from marts.fct_indicator_values "
        "where agency_code = 'BT_POLICE' and value_source = 'reported'",
    )
    assert kept.n.iat[0] == 3
    detected = q(
        wh, "select sum(detected) as n from marts.fct_incident_counts where agency_code = 'BT_POLICE'"
    )
    assert detected.n.iat[0] == 11


# ------------------------------------------------- contradictions at intake


def test_participants_without_sessions_are_rejected_naming_the_cell(wh, ref):
    [outcome] = land(
        wh, ref, ("sai.csv", police_indicators(PROPAGANDA_SESSIONS=0, PROPAGANDA_PARTICIPANTS=180))
    )
    assert outcome.status == "rejected"
    [problem] = outcome.problems
    assert "Có người tham dự thì phải có buổi tuyên truyền" in problem.vi
    assert '"Số lượt người tham dự" là 180' in problem.vi and "là 0" in problem.vi
    assert problem.row == 4 and problem.column  # the sessions line of the CSV, its value field


def test_a_derived_indicator_that_disagrees_with_its_rows_is_rejected(wh, ref):
    land(wh, ref, ("vu_viec.csv", police_incidents()))
    [outcome] = land(wh, ref, ("chi_tieu.csv", police_indicators(CASES_PROSECUTED=5)))
    assert outcome.status == "rejected"
    text = outcome.problems[0].vi
    assert '"Số vụ khởi tố" là 5' in text and 'tổng cột "Khởi tố (vụ)" của các dòng vụ việc là 3' in text
    # equal to its rows, it is accepted (and still not used as the figure)
    [accepted] = land(wh, ref, ("chi_tieu_dung.csv", police_indicators(CASES_PROSECUTED=3)))
    assert accepted.status == "accepted"


def test_files_of_one_batch_are_checked_in_landing_order(wh, ref):
    outcomes = land(
        wh, ref, ("chi_tieu.csv", police_indicators(CASES_PROSECUTED=7)), ("vu_viec.csv", police_incidents())
    )
    # the indicators came first (nothing to compare yet); the rows then contradict them
    assert [o.status for o in outcomes] == ["accepted", "rejected"]
    assert "Số vụ khởi tố" in outcomes[1].problems[0].vi


def test_fewer_people_than_cases_prosecuted_is_rejected(wh, ref):
    land(wh, ref, ("vu_viec.csv", police_incidents()))
    [outcome] = land(wh, ref, ("chi_tieu.csv", police_indicators(PEOPLE_PROSECUTED=2)))
    assert outcome.status == "rejected"
    assert "Số bị can không ít hơn số vụ khởi tố" in outcome.problems[0].vi


def test_a_template_with_pupils_but_no_school_is_rejected_at_the_cell(ref):
    content = fill_template(template_bytes(ref, "BT_DOET"), {"SCHOOLS_REACHED": 0, "PUPILS_REACHED": 900}, {})
    version, problems = ingest.prepare("so_gddt.xlsx", content, ref, datetime(2024, 9, 16), "email")
    assert version.status == "rejected"
    [problem] = problems
    assert problem.sheet and problem.cell and problem.cell.startswith("E")
    assert "trường học" in problem.vi


def test_templates_do_not_ask_for_derived_indicators(ref):
    workbook = load_workbook(io.BytesIO(template_bytes(ref, "BT_DIC")))
    codes = {row[1] for row in workbook["Chỉ tiêu"].iter_rows(min_row=5, values_only=True) if row[1]}
    assert "INSPECTIONS_CONDUCTED" in codes
    assert not codes & {"FINES_VND", "VIOLATIONS_HANDLED", "CONTENT_REMOVED", "CASES_PROSECUTED"}


# ------------------------------------- landed contradictions: check, report


def test_landed_contradiction_fails_check_and_stops_the_report(wh, tmp_path):
    """Data landed before the rules (straight into raw) that contradicts
    itself: kept in raw, never used as a figure, flagged by check, and the
    report refuses unless forced (recorded)."""
    version = SubmissionVersion(
        b"old DIC report",
        "BT_DIC_2024-Q3.xlsx",
        "BT_DIC",
        PERIOD,
        datetime(2024, 9, 16, 8),
        "email",
        indicator_values=(
            IndicatorValue("INSPECTIONS_CONDUCTED", 2),
            IndicatorValue("FINES_VND", 47_500_000),
        ),
        incident_counts=(IncidentCount("PHAN_THIET", "FAKE_NEWS", 6, 4, 20_000_000, 5, None),),
        template_version="NETSAFE-1",
    )
    open_store(wh).land([version])
    build.build(wh, quiet=True)
    fines = q(
        wh,
        "select indicator_value, reported_value from marts.fct_indicator_values "
        "where agency_code = 'BT_DIC' and indicator_code = 'FINES_VND'",
    )
    assert fines.indicator_value.iat[0] == 20_000_000 and fines.reported_value.iat[0] == 47_500_000
    report = services.run_check(wh, PERIOD)
    assert report.has_errors
    [message] = [m for m in report.failed.message_vi if "Tiền xử phạt" in m]
    label = warehouse.scalar(wh, "select label_vi from marts.dim_periods where period_code = ?", [PERIOD])
    assert "BT_DIC" in message and label in message and "47.500.000" in message and "20.000.000" in message
    with pytest.raises(NetsafeError) as refused:
        services.generate_report(wh, PERIOD, services.report_options(dates.today()))
    assert "mâu thuẫn" in refused.value.vi
    forced = services.generate_report(wh, PERIOD, services.report_options(dates.today(), force=True))
    assert forced.docx_path.exists()
    recorded = open_store(wh).read_raw("select override_note from raw.generated_reports")
    assert "Tiền xử phạt" in recorded.override_note.iat[0]


# ----------------------------------------------------- the demo warehouse


def test_the_demo_contradicts_itself_nowhere(demo_warehouse):
    errors = q(demo_warehouse, "select * from marts.rpt_validation_violations where severity = 'error'")
    assert errors.empty, errors[["rule_code", "agency_code", "period_code"]]
    quarters = q(
        demo_warehouse,
        "select distinct period_code from marts.rpt_violation_summary where period_code like '%-Q%'",
    ).period_code
    assert len(quarters) > 10
    for period in quarters:
        assert consistency.contradictions(demo_warehouse, period) == [], period
    derived = q(
        demo_warehouse,
        "select count(*) as n from marts.fct_indicator_values where reported_value is not null "
        "and reported_value <> indicator_value",
    )
    assert derived.n.iat[0] == 0
    # the planted anomalies are still there for stewards to find
    assert not q(
        demo_warehouse, "select * from marts.rpt_validation_violations where severity = 'warning'"
    ).empty


def test_provincial_figures_follow_the_counting_rule(demo_warehouse):
    summary = q(
        demo_warehouse,
        "select period_code, violation_type_code, detected, handled, fined_vnd, prosecuted_cases "
        "from marts.rpt_violation_summary",
    )
    sources = q(demo_warehouse, "select * from marts.rpt_violation_by_source")
    police = sources[sources.source_kind == "police"].set_index(["period_code", "violation_type_code"])
    dic = sources[sources.source_kind == "dic"].set_index(["period_code", "violation_type_code"])
    joined = summary.set_index(["period_code", "violation_type_code"])
    both = joined.index.intersection(police.index).intersection(dic.index)
    assert len(both) > 100
    assert (joined.loc[both, "detected"] == police.loc[both, "detected"]).all()
    assert (joined.loc[both, "prosecuted_cases"] == police.loc[both, "prosecuted_cases"]).all()
    assert (joined.loc[both, "handled"] == dic.loc[both, "handled"]).all()
    assert (joined.loc[both, "fined_vnd"] == dic.loc[both, "fined_vnd"]).all()
    # districts report detections too, and they are not added in
    everyone = sources.groupby(["period_code", "violation_type_code"]).detected.sum()
    assert (everyone.loc[both] > joined.loc[both, "detected"]).any()


def test_every_number_of_table_1_is_the_annex_cell_and_the_mart_value(demo_warehouse, tmp_path):
    result = services.generate_report(
        demo_warehouse, PERIOD, services.report_options(date(2024, 10, 20)), out_dir=tmp_path
    )
    document = Document(str(result.docx_path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Loại vi phạm")
    header = [cell.text for cell in table.rows[0].cells]
    mart = q(
        demo_warehouse,
        "select types.name_vi, summary.* from marts.rpt_violation_summary as summary "
        "inner join marts.dim_violation_types as types using (violation_type_code) where period_code = ?",
        [PERIOD],
    ).set_index("name_vi")
    annex = load_workbook(result.xlsx_path)["1. Loại vi phạm"]
    annex_rows = {row[0]: row for row in annex.iter_rows(min_row=4, values_only=True) if row[0]}
    annex_header = [cell.value for cell in annex[3]]
    columns = {
        "Phát hiện": "detected",
        "Đã xử lý": "handled",
        "Tiền phạt (đồng)": "fined_vnd",
        "Khởi tố": "prosecuted_cases",
    }
    checked = 0
    for row in table.rows[1:-1]:
        cells = [cell.text for cell in row.cells]
        name = cells[0]
        for label, column in columns.items():
            printed = cells[header.index(label)]
            value = mart.loc[name, column]
            assert printed == formatting.number(value, "vi"), (name, label)
            assert annex_rows[name][annex_header.index(label)] == value, (name, label)
            checked += 1
    total = [cell.text for cell in table.rows[-1].cells]
    for label, column in columns.items():
        assert total[header.index(label)] == formatting.number(mart[column].sum(), "vi")
    assert checked == 4 * len(mart)


def test_intake_and_the_marts_agree_on_the_parts_in_use(demo_warehouse):
    from netsafe.store.base import CURRENT_PARTS_SQL

    on_raw = open_store(demo_warehouse).read_raw(
        f"select submission_id, part from ({CURRENT_PARTS_SQL}) as p"
    )
    in_marts = q(
        demo_warehouse, "select submission_id, parts_in_use from marts.fct_submissions where is_latest"
    )
    marts_pairs = {
        (row.submission_id, part) for row in in_marts.itertuples() for part in row.parts_in_use.split(",")
    }
    assert set(zip(on_raw.submission_id, on_raw.part, strict=True)) == marts_pairs
    assert len(marts_pairs) > 400
