"""The Great Expectations suites, written as readable Python and committed as
JSON under expectations/suites/ (`python -m netsafe.quality.suites` rewrites
them; a test keeps the two in step). Accepted codes come from the seeds.

Severity: "critical" fails `netsafe check` (exit code 1); "warning" is shown
but does not fail it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from netsafe.contract import INCIDENT_STAGES
from netsafe.settings import PROJECT_DIR

SUITES_DIR = PROJECT_DIR / "expectations" / "suites"
SEEDS_DIR = PROJECT_DIR / "seeds"


@dataclass
class SuiteSpec:
    """One suite: the warehouse table it checks and its expectations."""

    name: str
    table: str
    period_column: str | None
    expectations: list[dict] = field(default_factory=list)

    def expect(self, kind: str, severity: str = "critical", **kwargs) -> SuiteSpec:
        self.expectations.append({"type": kind, "kwargs": kwargs, "severity": severity, "meta": {}})
        return self

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "expectations": self.expectations,
            "meta": {"netsafe_table": self.table, "netsafe_period_column": self.period_column},
        }


def _codes(seed: str, column: str) -> list[str]:
    with open(SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as handle:
        return sorted({row[column] for row in csv.DictReader(handle)})


def specs() -> list[SuiteSpec]:
    agencies = _codes("agencies", "agency_code")
    areas = _codes("areas", "area_code")
    violation_types = _codes("violation_types", "violation_type_code")
    indicators = _codes("indicators", "indicator_code")

    submissions = (
        SuiteSpec("raw_submissions", "staging.stg_raw__submissions", None)
        .expect("expect_column_values_to_be_unique", column="submission_id")
        .expect("expect_column_values_to_be_unique", column="file_sha256")
        .expect("expect_column_values_to_not_be_null", column="received_at")
        .expect(
            "expect_column_values_to_be_in_set",
            column="submission_status",
            value_set=["accepted", "rejected"],
        )
        .expect(
            "expect_column_values_to_be_in_set",
            column="channel",
            value_set=["email", "paper", "upload", "api"],
        )
        # rejected files keep an agency code only when it was a known one
        .expect("expect_column_values_to_be_in_set", column="agency_code", value_set=agencies)
        .expect("expect_column_values_to_be_between", column="row_count", min_value=0)
        .expect(
            "expect_column_max_to_be_between",
            "warning",
            column="received_at",
            min_value={"$PARAMETER": "freshness_floor"},
        )
    )
    indicator_values = (
        SuiteSpec("raw_indicator_values", "staging.stg_raw__indicator_values", None)
        .expect("expect_column_values_to_not_be_null", column="submission_id")
        .expect("expect_column_values_to_be_in_set", column="indicator_code", value_set=indicators)
        .expect("expect_column_values_to_be_between", column="indicator_value", min_value=0)
        .expect("expect_compound_columns_to_be_unique", column_list=["submission_id", "indicator_code"])
    )
    incident_counts = (
        SuiteSpec("raw_incident_counts", "staging.stg_raw__incident_counts", None)
        .expect("expect_column_values_to_be_in_set", column="area_code", value_set=areas)
        .expect("expect_column_values_to_be_in_set", column="violation_type_code", value_set=violation_types)
        .expect(
            "expect_compound_columns_to_be_unique",
            column_list=["submission_id", "area_code", "violation_type_code"],
        )
    )
    for stage in INCIDENT_STAGES:
        incident_counts.expect("expect_column_values_to_be_between", column=stage, min_value=0)

    fct_submissions = (
        SuiteSpec("fct_submissions", "marts.fct_submissions", "period_code")
        .expect(
            "expect_compound_columns_to_be_unique",
            column_list=["agency_code", "period_code", "version_number"],
        )
        .expect("expect_column_values_to_be_between", column="days_late", min_value=0)
        .expect(
            "expect_column_values_to_be_in_set",
            column="submission_status",
            value_set=["accepted", "rejected"],
        )
    )
    fct_incidents = (
        SuiteSpec("fct_incident_counts", "marts.fct_incident_counts", "period_code")
        .expect(
            "expect_compound_columns_to_be_unique",
            column_list=["area_code", "violation_type_code", "period_code", "agency_code"],
        )
        .expect("expect_column_values_to_be_in_set", column="agency_code", value_set=agencies)
        .expect(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="detected",
            column_B="handled",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
    )
    for stage in INCIDENT_STAGES:
        fct_incidents.expect("expect_column_values_to_be_between", column=stage, min_value=0)
    fct_indicators = (
        SuiteSpec("fct_indicator_values", "marts.fct_indicator_values", "period_code")
        .expect(
            "expect_compound_columns_to_be_unique",
            column_list=["agency_code", "period_code", "indicator_code"],
        )
        .expect("expect_column_values_to_be_between", column="indicator_value", min_value=0)
        .expect("expect_column_values_to_be_in_set", column="indicator_code", value_set=indicators)
    )
    compliance = (
        SuiteSpec("rpt_agency_compliance", "marts.rpt_agency_compliance", "period_code")
        .expect("expect_compound_columns_to_be_unique", column_list=["agency_code", "period_code"])
        .expect(
            "expect_column_values_to_be_in_set",
            column="compliance_status",
            value_set=["on_time", "late", "missing", "rejected", "not_due"],
        )
        .expect(
            "expect_column_distinct_values_to_contain_set",
            column="agency_code",
            value_set={"$PARAMETER": "expected_agencies"},
        )
        .expect(
            "expect_column_values_to_be_between", column="period_reporting_rate", min_value=0, max_value=1
        )
        .expect("expect_column_values_to_be_between", column="period_on_time_rate", min_value=0, max_value=1)
    )
    summary = (
        SuiteSpec("rpt_violation_summary", "marts.rpt_violation_summary", "period_code")
        .expect("expect_compound_columns_to_be_unique", column_list=["violation_type_code", "period_code"])
        .expect("expect_column_values_to_be_in_set", column="violation_type_code", value_set=violation_types)
        .expect("expect_column_values_to_be_between", column="detected", min_value=0)
        .expect("expect_column_values_to_be_between", column="handled_rate", min_value=0, max_value=1)
    )
    areas_suite = (
        SuiteSpec("rpt_area_incidents", "marts.rpt_area_incidents", "period_code")
        .expect(
            "expect_compound_columns_to_be_unique",
            column_list=["area_code", "violation_type_code", "period_code"],
        )
        .expect("expect_column_values_to_be_between", column="detected", min_value=0)
    )
    indicator_summary = (
        SuiteSpec("rpt_indicator_summary", "marts.rpt_indicator_summary", "period_code")
        .expect("expect_compound_columns_to_be_unique", column_list=["indicator_code", "period_code"])
        .expect("expect_column_values_to_be_between", column="total_value", min_value=0)
    )
    return [
        submissions,
        indicator_values,
        incident_counts,
        fct_submissions,
        fct_incidents,
        fct_indicators,
        compliance,
        summary,
        areas_suite,
        indicator_summary,
    ]


def render(spec: SuiteSpec) -> str:
    return json.dumps(spec.as_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(directory: Path = SUITES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs():
        path = directory / f"{spec.name}.json"
        path.write_text(render(spec), encoding="utf-8")
        paths.append(path)
    return paths


def load_all(directory: Path = SUITES_DIR) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(directory.glob("*.json"))]


if __name__ == "__main__":
    for written in write_all():
        print(written)
