"""`netsafe check`: run the expectation suites over the warehouse, read the
validation-rule and outlier marts and the last dbt build's tests, record the
run in the quality history, build GX Data Docs, and say what is wrong and
where. Error-level failures make the run fail; warnings do not."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

import pandas as pd

from netsafe import build, dates, formatting, periods, records, warehouse
from netsafe.errors import NetsafeError
from netsafe.quality import history, suites, wording
from netsafe.settings import Settings, freshness_days
from netsafe.store import open_store

RESULT_COLUMNS = [
    "run_id",
    "check_kind",
    "check_name",
    "target",
    "severity",
    "success",
    "failed_count",
    "agency_code",
    "subject_code",
    "period_code",
    "observed",
    "expected",
    "message_vi",
    "message_en",
]


@dataclass
class CheckReport:
    run: dict
    results: pd.DataFrame

    @property
    def failed(self) -> pd.DataFrame:
        return self.results[~self.results.success]

    @property
    def has_errors(self) -> bool:
        failed = self.failed
        return bool((failed.severity == "error").any())


def expected_agencies(settings: Settings, period_code: str) -> list[str]:
    """Agencies in force on the period's deadline whose kind must report that
    report type, computed from the dimensions (independently of the marts'
    own expected-report logic, which this checks)."""
    frame = warehouse.query(
        settings,
        """
        select agencies.agency_code
        from marts.dim_periods as periods
        inner join marts.dim_reporting_obligations as obligations
            on periods.report_type = obligations.report_type
            and obligations.valid_from <= periods.reporter_deadline_date
            and (obligations.valid_to is null or obligations.valid_to > periods.reporter_deadline_date)
        inner join marts.dim_agencies as agencies
            on agencies.agency_kind = obligations.agency_kind
            and agencies.valid_from <= periods.reporter_deadline_date
            and (agencies.valid_to is null or agencies.valid_to > periods.reporter_deadline_date)
        where periods.period_code = ?
        order by 1
        """,
        [period_code],
    )
    return frame.agency_code.tolist()


def _frame(settings: Settings, table: str, period_column: str | None, period_code: str) -> pd.DataFrame:
    where = f" where {period_column} = ?" if period_column else ""
    read = open_store(settings).read_raw if table.startswith("raw.") else partial(warehouse.query, settings)
    frame = read(f"select * from {table}{where}", [period_code] if period_column else [])
    for column in frame.columns:
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, Decimal)).any():
            frame[column] = frame[column].astype(float)
    return frame


def _run_expectations(settings: Settings, period_code: str, run_id: str) -> tuple[list[dict], Path | None]:
    """Every suite over its table (raw landing or a mart) for the period;
    one result row per expectation; GX keeps suites, results and Data Docs."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx  # slow import: only when checking

    context = _gx_context(settings)
    source = context.data_sources.add_or_update_pandas("netsafe_warehouse")
    parameters = {
        "expected_agencies": expected_agencies(settings, period_code),
        "freshness_floor": dates.now() - timedelta(days=freshness_days()),
    }
    rows: list[dict] = []
    for spec in suites.specs(settings.seed_dir):
        frame = _frame(settings, spec.table, spec.period_column, period_code)
        checkpoint = _checkpoint(gx, context, source, spec)
        result = checkpoint.run(batch_parameters={"dataframe": frame}, expectation_parameters=parameters)
        for validation in result.run_results.values():
            rows.extend(_result_row(spec, outcome, period_code) for outcome in validation.results)
    docs = context.get_docs_sites_urls()
    docs_path = Path(docs[0]["site_url"].removeprefix("file://")) if docs else None
    return rows, docs_path


def _gx_context(settings: Settings):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    root = settings.quality_dir
    root.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(root))
    # no progress bars in a steward's terminal
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


def _checkpoint(gx, context, source, spec: suites.SuiteSpec):
    """The suite, its dataframe asset and a checkpoint that updates Data Docs."""
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    suite = gx.ExpectationSuite(name=spec.name)
    for item in spec.expectations:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=item["type"], kwargs=item["kwargs"], severity=item["severity"])
        )
    suite = context.suites.add_or_update(suite)
    try:
        asset = source.get_asset(spec.name)
    except LookupError:
        asset = source.add_dataframe_asset(name=spec.name)
    try:
        batch = asset.get_batch_definition("whole")
    except KeyError:
        batch = asset.add_batch_definition_whole_dataframe("whole")
    definition = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=spec.name, data=batch, suite=suite)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=spec.name,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
        )
    )


def _result_row(spec: suites.SuiteSpec, outcome, period_code: str) -> dict:
    """One expectation's outcome as a quality-history row, in both languages."""
    config = outcome.expectation_config
    kwargs = config.kwargs
    column = (
        kwargs.get("column")
        or ", ".join(kwargs.get("column_list") or [])
        or (f"{kwargs.get('column_A')} ≥ {kwargs.get('column_B')}" if kwargs.get("column_A") else "")
    )
    details = outcome.result or {}
    examples = details.get("partial_unexpected_list") or []
    failed = details.get("unexpected_count")
    if not outcome.success and failed is None:
        failed = 1
    observed = details.get("observed_value")
    what = f"{config.type} ({column})" if column else config.type
    table = spec.table
    return {
        "check_kind": "expectation",
        "check_name": what,
        "target": table,
        "severity": "error" if str(config.severity).lower().endswith("critical") else "warning",
        "success": bool(outcome.success),
        "failed_count": failed or 0,
        "period_code": period_code if spec.period_column else None,
        "observed": _short(observed if observed is not None else examples[:5]),
        "expected": _short({k: v for k, v in kwargs.items() if k not in ("column", "batch_id")}),
        "message_vi": f"{table}: {what} — {failed or 0} giá trị không đạt"
        + (f", ví dụ {examples[:5]}" if examples else "")
        + (f", giá trị quan sát {observed}" if observed is not None else ""),
        "message_en": f"{table}: {what} — {failed or 0} values fail"
        + (f", e.g. {examples[:5]}" if examples else "")
        + (f", observed {observed}" if observed is not None else ""),
    }


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def _rule_rows(settings: Settings, period: periods.Period) -> list[dict]:
    frame = warehouse.query(
        settings,
        """
        select violations.*, agencies.name_vi as agency_name_vi, agencies.name_en as agency_name_en
        from marts.rpt_validation_violations as violations
        left join marts.dim_agencies as agencies using (agency_code)
        where violations.period_code = ?
        order by violations.severity, violations.rule_code, violations.agency_code
        """,
        [period.period_code],
    )
    rows = []
    for row in frame.itertuples():
        said = {}
        for lang in ("vi", "en"):
            left = formatting.number(row.left_value, lang)
            right = formatting.number(row.right_value, lang)
            # a constant right side reads "equal to 0", a measure "equal to detected in the province (12)"
            if not wording.is_constant(row.right_side):
                right = f"{wording.side_words(row.right_side, lang)} ({right})"
            said[lang] = (
                wording.side_words(row.left_side, lang),
                left,
                wording.operator_words(row.operator, lang),
                right,
            )
        who_vi = f"{row.agency_name_vi or row.agency_code} ({row.agency_code})"
        who_en = f"{row.agency_name_en or row.agency_code} ({row.agency_code})"
        (left_vi, value_vi, op_vi, right_vi), (left_en, value_en, op_en, right_en) = said["vi"], said["en"]
        rows.append(
            {
                "check_kind": "rule",
                "check_name": row.rule_code,
                "target": "rpt_validation_violations",
                "severity": row.severity,
                "success": False,
                "failed_count": 1,
                "agency_code": row.agency_code,
                "period_code": row.period_code,
                "observed": f"{left_vi} = {value_vi}",
                "expected": f"{op_vi} {right_vi}",
                "message_vi": f"{row.rule_name_vi}: {who_vi}, {period.label_vi}: "
                f"{left_vi} là {value_vi}, cần {op_vi} {right_vi}",
                "message_en": f"{row.rule_name_en}: {who_en}, {period.label_en}: "
                f"{left_en} is {value_en}, must be {op_en} {right_en}",
            }
        )
    return rows


def _outlier_rows(settings: Settings, period: periods.Period) -> list[dict]:
    frame = warehouse.query(
        settings,
        f"""
        select outliers.*, {warehouse.OUTLIER_NAMES}
        {warehouse.OUTLIERS_NAMED_FROM}
        where outliers.period_code = ?
        order by outliers.series_kind, outliers.subject_code, outliers.measure_code
        """,
        [period.period_code],
    )
    rows = []
    for row in frame.itertuples():
        is_agency = row.series_kind == "indicator"
        subject = formatting.mid_sentence(row.subject_name_vi or row.subject_code)
        subject_vi, subject_en = f"Địa bàn {subject}", f"Area {row.subject_name_en or row.subject_code}"
        measure_vi = formatting.mid_sentence(row.measure_name_vi or row.measure_code)
        measure_en = row.measure_name_en or row.measure_code
        if is_agency:  # with the code a steward looks an agency up by
            subject_vi = f"Đơn vị {row.subject_name_vi or row.subject_code} ({row.subject_code})"
            subject_en = f"Agency {row.subject_name_en or row.subject_code} ({row.subject_code})"
        else:
            measure_vi, measure_en = f"số vụ {measure_vi} phát hiện", f"{measure_en} detected"
        said = {}
        for lang in ("vi", "en"):
            low, high = formatting.number(row.expected_low, lang), formatting.number(row.expected_high, lang)
            score = "" if pd.isna(row.score) else f"; z = {formatting.number(row.score, lang, 2)}"
            said[lang] = (
                formatting.number(row.observed_value, lang),
                f"{low} – {high}",
                f"{wording.outlier_method(row.method, lang).lower()}{score}",
            )
        (value_vi, usual_vi, how_vi), (value_en, usual_en, how_en) = said["vi"], said["en"]
        direction_vi = "cao" if row.direction == "high" else "thấp"
        rows.append(
            {
                "check_kind": "outlier",
                "check_name": f"{row.series_kind}:{row.measure_code}",
                "target": "rpt_outliers",
                "severity": "warning",
                "success": False,
                "failed_count": 1,
                "agency_code": row.subject_code if is_agency else None,
                "subject_code": row.subject_code,
                "period_code": row.period_code,
                "observed": value_vi,
                "expected": usual_vi,
                "message_vi": f"{subject_vi}, {measure_vi}, {period.label_vi}: giá trị {value_vi} "
                f"ngoài khoảng thường gặp {usual_vi} ({direction_vi} bất thường; {how_vi})",
                "message_en": f"{subject_en}, {measure_en}, {period.label_en}: value {value_en} "
                f"outside the usual range {usual_en} (unusually {row.direction}; {how_en})",
            }
        )
    return rows


def _consistency_rows(settings: Settings, period_code: str) -> list[dict]:
    """Figures the report for the period would print that contradict each
    other (netsafe.report.consistency); the period's own rule errors are
    already rule rows, its quarters' are added for a longer period."""
    from netsafe.report import consistency

    return [
        {
            "check_kind": "consistency",
            "check_name": item.kind,
            "target": "report",
            "severity": "error",
            "success": False,
            "failed_count": 1,
            "agency_code": item.agency_code,
            "period_code": item.period_code,
            "observed": f"{item.left_vi} = {formatting.number(item.left_value, 'vi')}",
            "expected": f"{item.right_vi} = {formatting.number(item.right_value, 'vi')}",
            "message_vi": "Mâu thuẫn trong báo cáo — " + item.message_vi,
            "message_en": "Contradiction in the report — " + item.message_en,
        }
        for item in consistency.contradictions(settings, period_code)
        if not (item.kind == "rule" and item.period_code == period_code)
    ]


def _dbt_rows(settings: Settings) -> tuple[list[dict], int, int]:
    last = build.last_build(settings)
    if last is None:
        return [], 0, 0
    rows = [
        {
            "check_kind": "dbt_test",
            "check_name": failure.split(":", 1)[0].lstrip("- "),
            "target": "dbt",
            "severity": "error",
            "success": False,
            "failed_count": 1,
            "message_vi": failure,
            "message_en": failure,
        }
        for failure in last.failures
    ]
    return rows, last.tests_total, len(last.failures)


def run_check(settings: Settings, period_code: str | None = None, today: date | None = None) -> CheckReport:
    started = dates.now()
    if period_code is None:
        period_code = periods.latest_complete_period(settings, "quarterly", today or dates.today())
        if period_code is None:
            raise NetsafeError("Chưa có kỳ báo cáo nào đã kết thúc.", "No reporting period has ended yet.")
    period = periods.get_period(settings, period_code)
    run_id = records.new_record_id(started)
    expectation_rows, docs_path = _run_expectations(settings, period_code, run_id)
    rule_rows = _rule_rows(settings, period)
    outlier_rows = _outlier_rows(settings, period)
    consistency_rows = _consistency_rows(settings, period_code)
    dbt_rows, dbt_total, dbt_failed = _dbt_rows(settings)
    results = pd.DataFrame(expectation_rows + rule_rows + consistency_rows + outlier_rows + dbt_rows)
    for column in RESULT_COLUMNS:
        if column not in results.columns:
            results[column] = None
    results["run_id"] = run_id
    results = results[RESULT_COLUMNS]
    failed = results[~results.success.astype(bool)]
    run = {
        "run_id": run_id,
        "started_at": started,
        "finished_at": dates.now(),
        "period_code": period_code,
        "expectations_total": len(expectation_rows),
        "expectations_failed": sum(1 for row in expectation_rows if not row["success"]),
        "rule_errors": sum(1 for row in rule_rows if row["severity"] == "error"),
        "rule_warnings": sum(1 for row in rule_rows if row["severity"] == "warning"),
        "outliers": len(outlier_rows),
        "contradictions": len(consistency_rows),
        "dbt_tests_total": dbt_total,
        "dbt_tests_failed": dbt_failed,
        "status": "fail" if (failed.severity == "error").any() else "pass",
        "docs_path": str(docs_path) if docs_path else None,
    }
    # not recorded (history.RUN_COLUMNS): how the period reads, for render()
    run["period_label_vi"], run["period_label_en"] = period.label_vi, period.label_en
    history.record(settings, run, results)
    return CheckReport(run=run, results=results)


def render(report: CheckReport) -> str:
    run = report.run
    failed = report.failed
    lines = [
        f"Kiểm tra chất lượng dữ liệu {run['period_label_vi']} / data quality check for "
        f"{run['period_label_en']} (lần chạy / run {run['run_id']})",
        f"  Kỳ vọng GX / expectations: {run['expectations_total'] - run['expectations_failed']}"
        f"/{run['expectations_total']} đạt / passed",
        f"  Quy tắc kiểm tra / validation rules: {run['rule_errors']} lỗi / errors, "
        f"{run['rule_warnings']} cảnh báo / warnings",
        f"  Mâu thuẫn giữa các số liệu của báo cáo / contradictions: {run.get('contradictions', 0)}",
        f"  Giá trị bất thường / outliers: {run['outliers']}",
        f"  Kiểm thử dbt / dbt tests: {run['dbt_tests_total'] - run['dbt_tests_failed']}"
        f"/{run['dbt_tests_total']} đạt / passed",
    ]
    for severity, title in (("error", "LỖI / ERRORS"), ("warning", "CẢNH BÁO / WARNINGS")):
        subset = failed[failed.severity == severity]
        if subset.empty:
            continue
        lines.append(f"\n{title} ({len(subset)}):")
        for row in subset.itertuples():
            lines.append(f"  - {row.message_vi}")
            lines.append(f"    {row.message_en}")
    verdict = (
        "KẾT QUẢ: có lỗi phải sửa trước khi lập báo cáo. / RESULT: errors must be fixed before reporting."
        if report.has_errors
        else "KẾT QUẢ: không có lỗi nghiêm trọng. / RESULT: no error-level problems."
    )
    lines.append("\n" + verdict)
    if run["docs_path"]:
        lines.append(f"Data Docs: {run['docs_path']}")
    return "\n".join(lines)
