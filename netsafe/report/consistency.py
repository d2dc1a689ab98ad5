"""The consistency gate: figures a report for a period would print that
contradict each other. `netsafe check --period P` fails on any, and
`netsafe report` refuses to write such a report unless forced (recorded).

Every comparison reads the marts the report reads: two figures that should
be one quantity (a provincial total and the counted sources it sums, a
derived indicator and the incident rows it is derived from, a total and its
parts), plus the error-level validation rules of the period's quarters (a
derived indicator sent anyway that differs from its rows, participants with
no session, …).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from netsafe import formatting, periods, warehouse
from netsafe.contract import INCIDENT_STAGES, STAGES
from netsafe.quality import wording
from netsafe.settings import Settings

STAGE_LABELS = {stage.field: (stage.label_vi, stage.label_en) for stage in STAGES}


@dataclass(frozen=True)
class Contradiction:
    period_code: str
    agency_code: str | None
    agency_name_vi: str | None
    what_vi: str
    what_en: str
    left_vi: str
    left_value: float
    right_vi: str
    right_value: float
    # rule: an error-level validation rule; figures: two printed figures disagree
    kind: str = "figures"
    left_en: str | None = None
    right_en: str | None = None
    # how the period reads ("Quý III/2026"), set by contradictions()
    period_label_vi: str | None = None
    period_label_en: str | None = None

    @property
    def message_vi(self) -> str:
        who = f"{self.agency_name_vi}, " if self.agency_name_vi else ""
        return (
            f"{self.what_vi} ({who}{self.period_label_vi or 'kỳ ' + self.period_code}): {self.left_vi} = "
            f"{formatting.number(self.left_value, 'vi')}, nhưng {self.right_vi} = "
            f"{formatting.number(self.right_value, 'vi')}"
        )

    @property
    def message_en(self) -> str:
        who = f"{self.agency_code}, " if self.agency_code else ""
        left = self.left_en or self.left_vi
        return (
            f"{self.what_en} ({who}{self.period_label_en or self.period_code}): {left} = "
            f"{formatting.number(self.left_value, 'en')} but {self.right_en or self.right_vi} = "
            f"{formatting.number(self.right_value, 'en')}"
        )


def contradictions(settings: Settings, period_code: str) -> list[Contradiction]:
    found: list[Contradiction] = []
    found += _rule_errors(settings, period_code)
    found += _provincial_vs_sources(settings, period_code)
    found += _summary_vs_types(settings, period_code)
    found += _derived_vs_rows(settings, period_code)
    found += _indicator_totals(settings, period_code)
    if not found:
        return found
    labels = periods.all_periods(settings)
    return [
        replace(
            item,
            period_label_vi=labels[item.period_code].label_vi,
            period_label_en=labels[item.period_code].label_en,
        )
        if item.period_code in labels
        else item
        for item in found
    ]


def _q(settings: Settings, sql: str, params: list) -> pd.DataFrame:
    return warehouse.query(settings, sql, params)


def _rule_errors(settings: Settings, period_code: str) -> list[Contradiction]:
    frame = _q(
        settings,
        """
        select violations.*, agencies.name_vi as agency_name_vi
        from marts.rpt_validation_violations as violations
        left join marts.dim_agencies as agencies using (agency_code)
        where violations.severity = 'error' and violations.period_code in (
            select component_period_code from marts.dim_period_components where period_code = ?
        )
        order by violations.period_code, violations.rule_code, violations.agency_code
        """,
        [period_code],
    )
    return [
        Contradiction(
            row.period_code,
            row.agency_code,
            row.agency_name_vi,
            row.rule_name_vi,
            row.rule_name_en,
            wording.side_words(row.left_side, "vi"),
            row.left_value,
            wording.side_words(row.right_side, "vi"),
            row.right_value,
            kind="rule",
            left_en=wording.side_words(row.left_side, "en"),
            right_en=wording.side_words(row.right_side, "en"),
        )
        for row in frame.itertuples()
    ]


def _provincial_vs_sources(settings: Settings, period_code: str) -> list[Contradiction]:
    counted = " , ".join(
        f"sum(case when by_source.{stage}_counts then by_source.{stage} else 0 end) as {stage}"
        for stage in INCIDENT_STAGES
    )
    frame = _q(
        settings,
        f"""
        with sources as (
            select by_source.violation_type_code, {counted}
            from marts.rpt_violation_by_source as by_source
            where by_source.period_code = ?
            group by by_source.violation_type_code
        )
        select summary.violation_type_code, types.name_vi, types.name_en,
               {
            ", ".join(
                f"summary.{s} as province_{s}, coalesce(sources.{s}, 0) as sources_{s}"
                for s in INCIDENT_STAGES
            )
        }
        from marts.rpt_violation_summary as summary
        inner join marts.dim_violation_types as types using (violation_type_code)
        left join sources using (violation_type_code)
        where summary.period_code = ?
        """,
        [period_code, period_code],
    )
    found = []
    for row in frame.itertuples():
        for stage in INCIDENT_STAGES:
            province, sources = getattr(row, f"province_{stage}"), getattr(row, f"sources_{stage}")
            if int(province) != int(sources):
                label, label_en = STAGE_LABELS[stage]
                found.append(
                    Contradiction(
                        period_code,
                        None,
                        None,
                        f"Số toàn tỉnh khác tổng các nguồn được tính ({row.name_vi})",
                        f"Provincial figure differs from its counted sources ({row.name_en})",
                        f"{label} toàn tỉnh",
                        province,
                        f"{label} cộng theo quy tắc tính",
                        sources,
                        left_en=f"{label_en}, province",
                        right_en=f"{label_en}, summed by the counting rule",
                    )
                )
    return found


def _summary_vs_types(settings: Settings, period_code: str) -> list[Contradiction]:
    frame = _q(
        settings,
        f"""
        select {
            ", ".join(
                f"max(summary.{s}) as headline_{s}, sum(types.{s}) as types_{s}"
                for s in ("detected", "handled", "fined_vnd", "prosecuted_cases")
            )
        }
        from marts.rpt_period_summary as summary
        inner join marts.rpt_violation_summary as types using (period_code)
        where summary.period_code = ?
        """,
        [period_code],
    )
    found = []
    if frame.empty:
        return found
    row = frame.iloc[0]
    for stage in ("detected", "handled", "fined_vnd", "prosecuted_cases"):
        headline, types = row[f"headline_{stage}"], row[f"types_{stage}"]
        if pd.notna(headline) and pd.notna(types) and int(headline) != int(types):
            label, label_en = STAGE_LABELS[stage]
            found.append(
                Contradiction(
                    period_code,
                    None,
                    None,
                    "Số tổng hợp của kỳ khác tổng theo loại vi phạm",
                    "The period's headline differs from the sum over violation types",
                    f"{label} (tổng hợp)",
                    headline,
                    f"{label} (cộng các loại)",
                    types,
                    left_en=f"{label_en} (headline)",
                    right_en=f"{label_en} (sum of the types)",
                )
            )
    return found


def _derived_vs_rows(settings: Settings, period_code: str) -> list[Contradiction]:
    cases = " ".join(f"when '{stage}' then rows_.{stage}" for stage in INCIDENT_STAGES)
    frame = _q(
        settings,
        f"""
        with rows_ as (
            select agency_code, {", ".join(f"sum({s}) as {s}" for s in INCIDENT_STAGES)}
            from marts.rpt_agency_incidents where period_code = ? group by agency_code
        )
        select values_.agency_code, agencies.name_vi as agency_name_vi, indicators.name_vi,
               indicators.name_en, indicators.derived_from_stage, values_.total_value,
               case indicators.derived_from_stage {cases} end as row_total
        from marts.rpt_agency_indicators as values_
        inner join marts.dim_indicators as indicators using (indicator_code)
        inner join marts.dim_agencies as agencies using (agency_code)
        left join rows_ using (agency_code)
        where values_.period_code = ? and indicators.is_derived
        """,
        [period_code, period_code],
    )
    found = []
    for row in frame.itertuples():
        row_total = 0 if pd.isna(row.row_total) else row.row_total
        if float(row.total_value) != float(row_total):
            found.append(
                Contradiction(
                    period_code,
                    row.agency_code,
                    row.agency_name_vi,
                    f"Chỉ tiêu tính từ dòng vụ việc khác các dòng ({row.name_vi})",
                    f"A derived indicator differs from its incident rows ({row.name_en})",
                    row.name_vi,
                    row.total_value,
                    f"tổng cột {STAGE_LABELS[row.derived_from_stage][0]}",
                    row_total,
                    left_en=row.name_en,
                    right_en=f"the total of column {STAGE_LABELS[row.derived_from_stage][1]}",
                )
            )
    return found


def _indicator_totals(settings: Settings, period_code: str) -> list[Contradiction]:
    frame = _q(
        settings,
        """
        with agencies_ as (
            select indicator_code, sum(total_value) as agencies_total
            from marts.rpt_agency_indicators where period_code = ? group by indicator_code
        )
        select summary.indicator_code, indicators.name_vi, indicators.name_en, summary.total_value,
               coalesce(agencies_.agencies_total, 0) as agencies_total
        from marts.rpt_indicator_summary as summary
        inner join marts.dim_indicators as indicators using (indicator_code)
        left join agencies_ using (indicator_code)
        where summary.period_code = ?
        """,
        [period_code, period_code],
    )
    found = []
    for row in frame.itertuples():
        total = 0 if pd.isna(row.total_value) else float(row.total_value)
        if total != float(row.agencies_total):
            found.append(
                Contradiction(
                    period_code,
                    None,
                    None,
                    f"Tổng chỉ tiêu khác tổng các đơn vị ({row.name_vi})",
                    f"An indicator total differs from the sum over agencies ({row.name_en})",
                    "tổng toàn tỉnh",
                    total,
                    "cộng các đơn vị",
                    row.agencies_total,
                    left_en="province total",
                    right_en="sum over the agencies",
                )
            )
    return found
