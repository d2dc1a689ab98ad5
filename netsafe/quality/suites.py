"""The Great Expectations suites, written as readable Python, one function
per suite. Accepted codes come from the seeds of the data dir being checked
(scaled copies included), so editing a seed needs no manual step: `netsafe
check` builds the suites afresh every run and GX stores them as JSON in its
file context under $NETSAFE_DATA_DIR/quality/. `python -m
netsafe.quality.suites [DIR]` writes them out as JSON to read.

Severity: "critical" fails `netsafe check` (exit code 1); "warning" is shown
but does not fail it.
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from netsafe.contract import CHANNELS, INCIDENT_STAGES, STATUSES
from netsafe.settings import get_settings

COMPLIANCE_STATUSES = ["on_time", "late", "partial", "missing", "rejected", "not_due"]


@dataclass
class SuiteSpec:
    """One suite: the table it checks (raw.* is raw landing as received,
    read through the store; anything else a mart) and its expectations."""

    name: str
    table: str
    period_column: str | None
    expectations: list[dict] = field(default_factory=list)

    def expect(self, kind: str, severity: str = "critical", **kwargs) -> SuiteSpec:
        self.expectations.append({"type": kind, "kwargs": kwargs, "severity": severity, "meta": {}})
        return self

    def unique(self, *columns: str) -> SuiteSpec:
        if len(columns) == 1:
            return self.expect("expect_column_values_to_be_unique", column=columns[0])
        return self.expect("expect_compound_columns_to_be_unique", column_list=list(columns))

    def in_set(self, column: str, values) -> SuiteSpec:
        return self.expect("expect_column_values_to_be_in_set", column=column, value_set=list(values))

    def at_least_zero(self, *columns: str) -> SuiteSpec:
        for column in columns:
            self.expect("expect_column_values_to_be_between", column=column, min_value=0)
        return self

    def a_rate(self, *columns: str) -> SuiteSpec:
        for column in columns:
            self.expect("expect_column_values_to_be_between", column=column, min_value=0, max_value=1)
        return self

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "expectations": self.expectations,
            "meta": {"netsafe_table": self.table, "netsafe_period_column": self.period_column},
        }


@dataclass(frozen=True)
class Codes:
    """The codes reference data allows, read from one seed folder."""

    agencies: list[str]
    areas: list[str]
    violation_types: list[str]
    indicators: list[str]

    @classmethod
    def from_seeds(cls, seed_dir: Path) -> Codes:
        def codes(seed: str, column: str) -> list[str]:
            with open(seed_dir / f"{seed}.csv", encoding="utf-8", newline="") as handle:
                return sorted({row[column] for row in csv.DictReader(handle)})

        return cls(
            agencies=codes("agencies", "agency_code"),
            areas=codes("areas", "area_code"),
            violation_types=codes("violation_types", "violation_type_code"),
            indicators=codes("indicators", "indicator_code"),
        )


def raw_submissions(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("raw_submissions", "raw.submissions", None)
        .unique("submission_id")
        .unique("file_sha256")
        .expect("expect_column_values_to_not_be_null", column="received_at")
        .in_set("status", STATUSES)
        .in_set("channel", CHANNELS)
        # rejected files keep an agency code only when it was a known one
        .in_set("agency_code", codes.agencies)
        .at_least_zero("row_count")
        .expect(
            "expect_column_max_to_be_between",
            "warning",
            column="received_at",
            min_value={"$PARAMETER": "freshness_floor"},
        )
    )


def raw_indicator_values(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("raw_indicator_values", "raw.indicator_values", None)
        .expect("expect_column_values_to_not_be_null", column="submission_id")
        .in_set("indicator_code", codes.indicators)
        .at_least_zero("value")
        .unique("submission_id", "indicator_code")
    )


def raw_incident_counts(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("raw_incident_counts", "raw.incident_counts", None)
        .in_set("area_code", codes.areas)
        .in_set("violation_type_code", codes.violation_types)
        .unique("submission_id", "area_code", "violation_type_code")
        .at_least_zero(*INCIDENT_STAGES)
    )


def fct_submissions(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("fct_submissions", "marts.fct_submissions", "period_code")
        .unique("agency_code", "period_code", "version_number")
        .at_least_zero("days_late")
        .in_set("submission_status", STATUSES)
    )


def fct_incident_counts(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("fct_incident_counts", "marts.fct_incident_counts", "period_code")
        .unique("area_code", "violation_type_code", "period_code", "agency_code")
        .in_set("agency_code", codes.agencies)
        .expect(
            "expect_column_pair_values_a_to_be_greater_than_b",
            column_A="detected",
            column_B="handled",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        )
        .at_least_zero(*INCIDENT_STAGES)
    )


def fct_indicator_values(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("fct_indicator_values", "marts.fct_indicator_values", "period_code")
        .unique("agency_code", "period_code", "indicator_code")
        .at_least_zero("indicator_value")
        .in_set("indicator_code", codes.indicators)
    )


def rpt_agency_compliance(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("rpt_agency_compliance", "marts.rpt_agency_compliance", "period_code")
        .unique("agency_code", "period_code")
        .in_set("compliance_status", COMPLIANCE_STATUSES)
        .expect(
            "expect_column_distinct_values_to_contain_set",
            column="agency_code",
            value_set={"$PARAMETER": "expected_agencies"},
        )
        .a_rate("period_reporting_rate", "period_on_time_rate")
    )


def rpt_violation_summary(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("rpt_violation_summary", "marts.rpt_violation_summary", "period_code")
        .unique("violation_type_code", "period_code")
        .in_set("violation_type_code", codes.violation_types)
        .at_least_zero("detected")
        .a_rate("handled_rate")
    )


def rpt_area_incidents(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("rpt_area_incidents", "marts.rpt_area_incidents", "period_code")
        .unique("area_code", "violation_type_code", "period_code")
        .at_least_zero("detected")
    )


def rpt_indicator_summary(codes: Codes) -> SuiteSpec:
    return (
        SuiteSpec("rpt_indicator_summary", "marts.rpt_indicator_summary", "period_code")
        .unique("indicator_code", "period_code")
        .at_least_zero("total_value")
    )


SUITES = (
    raw_submissions,
    raw_indicator_values,
    raw_incident_counts,
    fct_submissions,
    fct_incident_counts,
    fct_indicator_values,
    rpt_agency_compliance,
    rpt_violation_summary,
    rpt_area_incidents,
    rpt_indicator_summary,
)


def specs(seed_dir: Path) -> list[SuiteSpec]:
    codes = Codes.from_seeds(seed_dir)
    return [suite(codes) for suite in SUITES]


def render(spec: SuiteSpec) -> str:
    return json.dumps(spec.as_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(seed_dir: Path, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs(seed_dir):
        path = directory / f"{spec.name}.json"
        path.write_text(render(spec), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("expectations") / "suites"
    for written in write_all(get_settings().seed_dir, target):
        print(written)
