"""Data quality: every rule and expectation proven both ways, the demo's
planted anomalies found, and the history of runs kept."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime

import pandas as pd
import pytest

from netsafe import build, formatting, warehouse
from netsafe.contract import IncidentCount, IndicatorValue
from netsafe.quality import check, history, suites
from netsafe.settings import PROJECT_DIR, Settings
from netsafe.store import open_store
from tests.conftest import make_settings
from tests.factories import accepted_version

PERIOD = "2024-Q3"


def version(agency, period, *, indicators=(), incidents=(), tag=""):
    return accepted_version(
        agency, period, datetime(2024, 9, 15), *indicators, *incidents, channel="api", tag=tag
    )


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Settings:
    """A warehouse whose raw landing holds what an older system let through."""
    settings = make_settings(tmp_path_factory.mktemp("broken"))
    history_values = {
        "2022-Q3": 3,
        "2022-Q4": 4,
        "2023-Q1": 3,
        "2023-Q2": 5,
        "2023-Q3": 4,
        "2023-Q4": 3,
        "2024-Q1": 4,
    }
    versions = [
        version("BT_DIC", period, indicators=[IndicatorValue("INSPECTIONS_CONDUCTED", value)])
        for period, value in history_values.items()
    ]
    versions += [
        # a spike ten times the series median (4)
        version("BT_DIC", "2024-Q2", indicators=[IndicatorValue("INSPECTIONS_CONDUCTED", 40)]),
        version("BT_PC_LA_GI", PERIOD, incidents=[IncidentCount("LA_GI", "FRAUD", -2, 0)]),
        version("BT_PC_HAM_TAN", PERIOD, incidents=[IncidentCount("HAM_TAN", "GAMBLING", 3, 5)]),
        version("BT_PC_DUC_LINH", PERIOD, incidents=[IncidentCount("DUC_LINH", "FRAUD", 2, 1, 0, 0, 1)]),
        version(
            "BT_POLICE",
            PERIOD,
            incidents=[
                IncidentCount("PHAN_THIET", "FRAUD", 4, 2, None, None, 0),
                IncidentCount("LA_GI", "FRAUD", 3, 1, None, None, 0),
                IncidentCount("BINH_THUAN", "FRAUD", 9, 3, None, None, 0),
            ],
        ),
        version(
            "BT_PC_TUY_PHONG", PERIOD, incidents=[IncidentCount("TUY_PHONG", "GAMBLING", 1, 0, 5_000_000)]
        ),
    ]
    open_store(settings).land(versions)
    build.build(settings, quiet=True)
    return settings


def violations(settings, period=PERIOD):
    return warehouse.query(
        settings,
        "select rule_code, agency_code, left_value, right_value, severity "
        "from marts.rpt_validation_violations where period_code = ? order by rule_code, agency_code",
        [period],
    )


def test_each_rule_fails_on_its_broken_fixture(broken):
    found = {(row.rule_code, row.agency_code): row for row in violations(broken).itertuples()}
    negative = found[("NO_NEGATIVE_COUNTS", "BT_PC_LA_GI")]
    assert (negative.left_value, negative.severity) == (1, "error")
    assert found[("HANDLED_LE_DETECTED", "BT_PC_HAM_TAN")].severity == "error"
    assert found[("PROSECUTED_BY_POLICE_ONLY", "BT_PC_DUC_LINH")].left_value == 1
    areas = found[("AREAS_SUM_TO_PROVINCE", "BT_POLICE")]
    assert (areas.left_value, areas.right_value, areas.severity) == (7, 9, "warning")
    assert found[("FINED_ONLY_IF_HANDLED", "BT_PC_TUY_PHONG")].severity == "warning"
    # the clean reports of the same period break none of these rules
    assert ("HANDLED_LE_DETECTED", "BT_POLICE") not in found
    assert ("PROSECUTED_BY_POLICE_ONLY", "BT_POLICE") not in found


def test_a_spike_ten_times_the_median_is_an_outlier(broken):
    frame = warehouse.query(
        broken,
        "select * from marts.rpt_outliers "
        "where subject_code = 'BT_DIC' and measure_code = 'INSPECTIONS_CONDUCTED'",
    )
    assert frame.period_code.tolist() == ["2024-Q2"]
    row = frame.iloc[0]
    assert row.observed_value == 40 and row.direction == "high" and row.method == "modified_z"
    assert row.history_median == 4 and row.expected_high < 40


def test_check_fails_on_errors_and_names_agency_period_and_value(broken):
    report = check.run_check(broken, PERIOD)
    assert report.has_errors and report.run["status"] == "fail"
    failed = report.failed
    messages = "\n".join(failed.message_vi)
    assert "BT_PC_LA_GI" in messages and "Quý III/2024" in messages
    # the rule's measures in words, not their column names
    assert "số dòng có số đã xử lý lớn hơn số phát hiện là 1, cần bằng 0" in messages
    assert "tổng số phát hiện của các địa bàn là 7, cần bằng số phát hiện toàn tỉnh (9)" in messages
    english = "\n".join(failed.message_en)
    assert "rows with more handled than detected is 1, must be equal to 0" in english
    for code in ("handled_over_detected_rows", "province_detected", "2024-Q3", "=="):
        assert code not in messages and code not in english, code
    assert check.render(report).startswith(
        "Kiểm tra chất lượng dữ liệu Quý III/2024 / data quality check for Q3 2024"
    )
    gx_negative = failed[(failed.check_kind == "expectation") & failed.target.eq("marts.fct_incident_counts")]
    assert any("detected" in name for name in gx_negative.check_name)
    assert (gx_negative.severity == "error").all()
    assert "-2" in " ".join(gx_negative.observed.astype(str))


def test_an_outlier_is_told_by_name_period_and_method(broken):
    report = check.run_check(broken, "2024-Q2")
    [outlier] = report.failed[report.failed.check_kind == "outlier"].itertuples()
    dic, inspections = (
        warehouse.scalar(broken, f"select name_vi from marts.{table} where {key} = ?", [code])
        for table, key, code in (
            ("dim_agencies", "agency_code", "BT_DIC"),
            ("dim_indicators", "indicator_code", "INSPECTIONS_CONDUCTED"),
        )
    )
    assert outlier.message_vi.startswith(
        f"Đơn vị {dic} (BT_DIC), {formatting.mid_sentence(inspections)}, Quý II/2024: giá trị 40 "
    )
    assert "(cao bất thường; lệch xa trung vị các kỳ trước; z = " in outlier.message_vi
    assert "(unusually high; far from the median of earlier periods; z = " in outlier.message_en
    for code in ("INSPECTIONS_CONDUCTED", "modified_z", "2024-Q2"):
        assert code not in outlier.message_vi and code not in outlier.message_en


def test_missing_agency_and_duplicate_key_fail_their_expectations(broken, monkeypatch):
    original = check._frame

    def doctored(settings, table, period_column, period_code):
        frame = original(settings, table, period_column, period_code)
        if table == "marts.rpt_agency_compliance":
            frame = frame[frame.agency_code != "BT_DOH"]  # an expected agency silently dropped
        if table == "marts.fct_indicator_values" and not frame.empty:
            frame = pd.concat([frame, frame.iloc[[0]]])  # a duplicated key
        return frame

    monkeypatch.setattr(check, "_frame", doctored)
    report = check.run_check(broken, "2023-Q3")
    failed = report.failed
    missing = failed[failed.check_name.str.contains("expect_column_distinct_values_to_contain_set")]
    assert len(missing) == 1 and missing.iloc[0].severity == "error"
    duplicate = failed[
        failed.check_name.str.contains("expect_compound_columns_to_be_unique")
        & failed.target.eq("marts.fct_indicator_values")
    ]
    assert len(duplicate) == 1 and duplicate.iloc[0].failed_count == 2


def test_demo_data_is_clean_of_errors_and_its_planted_anomalies_are_found(demo_warehouse):
    errors = warehouse.scalar(
        demo_warehouse, "select count(*) from marts.rpt_validation_violations where severity = 'error'"
    )
    assert errors == 0
    planted = warehouse.query(
        demo_warehouse,
        "select subject_code, measure_code, period_code from marts.rpt_outliers order by period_code",
    )
    found = set(planted.itertuples(index=False, name=None))
    assert ("BAC_BINH", "FAKE_NEWS", "2023-Q2") in found
    assert ("HAM_TAN", "FRAUD", "2024-Q4") in found
    assert ("BT_DOET", "PUPILS_REACHED", "2022-Q4") in found
    assert len(found) < 30  # a short list a steward can act on
    fine = violations(demo_warehouse, "2024-Q2")
    assert fine[["rule_code", "agency_code"]].values.tolist() == [
        ["FINED_ONLY_IF_HANDLED", "BT_PC_TUY_PHONG"]
    ]


def test_check_on_clean_demo_data_passes_and_history_is_queryable(demo_warehouse_copy, capsys):
    first = check.run_check(demo_warehouse_copy, "2021-Q4")
    assert not first.has_errors
    expectation_failures = first.failed[first.failed.check_kind == "expectation"]
    assert (expectation_failures.severity != "error").all()
    second = check.run_check(demo_warehouse_copy, "2024-Q2")
    runs = history.read(
        demo_warehouse_copy, "select period_code, status from quality_runs order by started_at"
    )
    assert runs.values.tolist() == [["2021-Q4", "pass"], ["2024-Q2", "pass"]]
    stored = history.read(
        demo_warehouse_copy,
        "select count(*) as n from quality_results where run_id = ? and not success",
        [second.run["run_id"]],
    )
    assert stored.n.iat[0] == len(second.failed)
    assert (demo_warehouse_copy.quality_dir / "gx").exists()
    docs = list(demo_warehouse_copy.quality_dir.rglob("index.html"))
    assert docs, "GX Data Docs were not built"
    text = check.render(second)
    assert "FINED_ONLY_IF_HANDLED" not in text or "Chỉ có tiền phạt" in text
    assert "KẾT QUẢ" in text and "RESULT" in text


def test_suites_follow_the_seeds_with_no_manual_step(tmp_path):
    """A code added to a seed is accepted by the next check's suites; nothing
    generated is committed that could fall behind."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_DIR / "seeds", seeds)
    with open(seeds / "violation_types.csv", "a", encoding="utf-8") as handle:
        handle.write("NEW_TYPE,Loại mới,New type,,,false,99,#000000\n")
    by_name = {spec.name: spec.as_json() for spec in suites.specs(seeds)}
    allowed = next(
        item["kwargs"]["value_set"]
        for item in by_name["raw_incident_counts"]["expectations"]
        if item["kwargs"].get("column") == "violation_type_code"
    )
    assert "NEW_TYPE" in allowed and "FRAUD" in allowed
    assert set(by_name) == {suite.__name__ for suite in suites.SUITES}
    written = suites.write_all(seeds, tmp_path / "out")
    assert [json.loads(path.read_text(encoding="utf-8"))["name"] for path in written] == list(by_name)
    tracked = subprocess.run(
        ["git", "ls-files", "expectations"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [name for name in tracked if name.endswith(".json")], tracked


def test_cli_exit_code_follows_error_level(broken, demo_warehouse_copy):
    import os
    import subprocess
    import sys

    def run(settings, period):
        env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir))
        return subprocess.run(
            [sys.executable, "-m", "netsafe.cli", "check", "--period", period],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    bad = run(broken, PERIOD)
    assert bad.returncode == 1 and "LỖI / ERRORS" in bad.stdout
    good = run(demo_warehouse_copy, "2024-Q2")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "CẢNH BÁO / WARNINGS" in good.stdout and "Calculating Metrics" not in good.stderr
    shutil.rmtree(demo_warehouse_copy.quality_dir, ignore_errors=True)
