"""Everything a report shows, read from the marts of one warehouse (the
served one, or one rebuilt as of an earlier moment). Nothing here
recomputes what a model computed; it only selects and arranges."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from netsafe import warehouse
from netsafe.contract import INCIDENT_STAGES
from netsafe.errors import NetsafeError
from netsafe.settings import Settings
from netsafe.succession import Succession


@dataclass
class Issuer:
    agency_code: str
    name_vi: str
    short_name_vi: str
    doc_symbol: str
    parent_header_vi: str
    parent_name_vi: str
    province_vi: str
    ministry_name_vi: str
    # who signs and whom to contact (seeds/issuer_contacts.csv); empty if unset
    sign_lines: tuple[str, ...] = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name_vi: str = ""
    contact_line_vi: str = ""
    contact_is_example: bool = False


@dataclass
class ReportFigures:
    period: pd.Series
    components: list[str]
    violations: pd.DataFrame
    # each kind of reporter's own counts (rpt_violation_by_source), summed over types
    by_source: pd.DataFrame
    areas: pd.DataFrame
    agency_indicators: pd.DataFrame
    indicator_totals: pd.DataFrame
    compliance: pd.DataFrame
    period_compliance: pd.DataFrame
    rule_violations: pd.DataFrame
    outliers: pd.DataFrame
    submission_ids: list[str]
    data_cut: pd.Timestamp | None
    # wording (not figures, so not hashed): task titles from dim_tasks
    task_titles: dict[int, str] = field(default_factory=dict)
    # the territory the figures cover: each province-level area of the expected
    # reporters, whether it is now a statistical region and what it belongs to
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)
    # counted detections per area × violation type (the annex's pivot)
    area_types: pd.DataFrame = field(default_factory=pd.DataFrame)
    # what agencies wrote: results per task, difficulties, proposals (fct_narratives)
    narratives: pd.DataFrame = field(default_factory=pd.DataFrame)
    # the DIC in force at the period's end and each successor since: (name, from)
    period_issuers: list[tuple[str, date]] = field(default_factory=list)

    def canonical(self) -> dict:
        """The figures as plain, ordered data: what the hash covers."""

        def table(frame: pd.DataFrame, keys: list[str]) -> list[list[str]]:
            if frame.empty:
                return []
            ordered = frame.sort_values(keys)
            return [[_plain(value) for value in row] for row in ordered.itertuples(index=False)]

        return {
            "period": self.period.period_code,
            "components": self.components,
            "violations": table(self.violations, ["violation_type_code"]),
            "by_source": table(self.by_source, ["source_kind"]),
            "areas": table(self.areas, ["area_code"]),
            "agency_indicators": table(self.agency_indicators, ["agency_code", "indicator_code"]),
            "indicator_totals": table(self.indicator_totals, ["indicator_code"]),
            "compliance": table(self.compliance, ["period_code", "agency_code"]),
            "rule_violations": table(self.rule_violations, ["period_code", "rule_code", "agency_code"]),
            "outliers": table(self.outliers, ["period_code", "series_kind", "subject_code", "measure_code"]),
            "submission_ids": sorted(self.submission_ids),
            # the agencies' own words quoted in sections II and V
            "narratives": table(
                self.narratives, ["period_code", "agency_code", "narrative_section", "task_number"]
            ),
        }

    @property
    def sha256(self) -> str:
        text = json.dumps(self.canonical(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) in ("<NA>", "NaT", "nan"):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def load(settings: Settings, period_code: str) -> ReportFigures:
    q = lambda sql, params=None: warehouse.query(settings, sql, params)  # noqa: E731
    period = q("select * from marts.dim_periods where period_code = ?", [period_code])
    if period.empty:
        raise NetsafeError(f"Không có kỳ báo cáo {period_code}.", f"No period {period_code}.")
    components = q(
        "select component_period_code from marts.dim_period_components where period_code = ? order by 1",
        [period_code],
    ).component_period_code.tolist()
    violations = q(
        """
        select summary.violation_type_code, types.name_vi, summary.detected, summary.handled,
               summary.handled_rate, summary.fined_vnd, summary.removed_items, summary.prosecuted_cases,
               summary.detected_previous, summary.detected_change_rate_vs_previous,
               summary.detected_last_year, summary.detected_change_rate_vs_last_year
        from marts.rpt_violation_summary as summary
        inner join marts.dim_violation_types as types using (violation_type_code)
        where summary.period_code = ?
        order by types.display_order
        """,
        [period_code],
    )
    if violations.empty:
        raise NetsafeError(
            f"Kỳ {period_code} chưa có số liệu đầy đủ trong kho (chưa kết thúc hoặc chưa có báo cáo nào).",
            f"Period {period_code} has no complete figures in the warehouse (not over, or nothing reported).",
        )
    by_source = q(
        f"""
        with names as (
            select agencies.agency_kind, min(agencies.name_vi) as agency_name_vi,
                   count(distinct incidents.agency_code) as agency_count
            from marts.rpt_agency_incidents as incidents
            inner join marts.dim_agencies as agencies using (agency_code)
            where incidents.period_code = ?
            group by agencies.agency_kind
        )
        select by_source.source_kind, kinds.agency_kind_name_vi, kinds.agency_kind_order,
               names.agency_name_vi, names.agency_count,
               {", ".join(f"sum(by_source.{s}) as {s}" for s in INCIDENT_STAGES)},
               {", ".join(f"bool_or(by_source.{s}_counts) as {s}_counts" for s in INCIDENT_STAGES)}
        from marts.rpt_violation_by_source as by_source
        inner join (
            select distinct agency_kind, agency_kind_name_vi, agency_kind_order from marts.dim_agencies
        ) as kinds on by_source.source_kind = kinds.agency_kind
        left join names on by_source.source_kind = names.agency_kind
        where by_source.period_code = ?
        group by by_source.source_kind, kinds.agency_kind_name_vi, kinds.agency_kind_order,
                 names.agency_name_vi, names.agency_count
        order by kinds.agency_kind_order
        """,
        [period_code, period_code],
    )
    areas = q(
        """
        select incidents.area_code, areas.name_vi, areas.population,
               sum(incidents.detected) as detected, sum(incidents.handled) as handled,
               sum(incidents.prosecuted_cases) as prosecuted_cases,
               sum(incidents.detected_last_year) as detected_last_year
        from marts.rpt_area_incidents as incidents
        inner join marts.dim_areas as areas using (area_code)
        where incidents.period_code = ?
        group by incidents.area_code, areas.name_vi, areas.population
        order by detected desc, incidents.area_code
        """,
        [period_code],
    )
    area_types = q(
        """
        select areas.name_vi as area_name_vi, types.name_vi as type_name_vi, types.display_order,
               incidents.detected
        from marts.rpt_area_incidents as incidents
        inner join marts.dim_areas as areas using (area_code)
        inner join marts.dim_violation_types as types using (violation_type_code)
        where incidents.period_code = ?
        """,
        [period_code],
    )
    agency_indicators = q(
        """
        select agency_values.agency_code, agencies.name_vi as agency_name_vi, agencies.agency_kind_order,
               agency_values.indicator_code, indicators.name_vi as indicator_name_vi, indicators.unit_vi,
               indicators.task_code, indicators.task_number, indicators.display_order,
               agency_values.total_value
        from marts.rpt_agency_indicators as agency_values
        inner join marts.dim_agencies as agencies using (agency_code)
        inner join marts.dim_indicators as indicators using (indicator_code)
        where agency_values.period_code = ?
        order by indicators.task_number, agencies.agency_kind_order, agency_values.agency_code,
                 indicators.display_order
        """,
        [period_code],
    )
    indicator_totals = q(
        """
        select summary.indicator_code, indicators.name_vi, indicators.unit_vi, indicators.task_number,
               summary.total_value, summary.reporting_agency_count, summary.total_value_previous,
               summary.total_value_last_year
        from marts.rpt_indicator_summary as summary
        inner join marts.dim_indicators as indicators using (indicator_code)
        where summary.period_code = ?
        order by indicators.display_order
        """,
        [period_code],
    )
    marks = ", ".join("?" for _ in components) or "null"
    compliance = q(
        f"""
        select compliance.period_code, periods.label_vi as period_label_vi, compliance.agency_code,
               agencies.name_vi, agencies.agency_kind_order,
               compliance.compliance_status, compliance.days_late, compliance.submission_count,
               compliance.first_accepted_at
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies using (agency_code)
        inner join marts.dim_periods as periods using (period_code)
        where compliance.period_code in ({marks}) and compliance.is_expected
        order by compliance.period_code, agencies.agency_kind_order, compliance.agency_code
        """,
        components,
    )
    period_compliance = q(
        f"select * from marts.rpt_period_compliance where period_code in ({marks}) order by period_code",
        components,
    )
    rule_violations = q(
        f"""
        select violations.period_code, periods.label_vi as period_label_vi, violations.rule_code,
               violations.rule_name_vi, violations.severity,
               violations.agency_code, agencies.name_vi as agency_name_vi, violations.left_side,
               violations.left_value, violations.operator, violations.right_side, violations.right_value
        from marts.rpt_validation_violations as violations
        left join marts.dim_agencies as agencies using (agency_code)
        left join marts.dim_periods as periods using (period_code)
        where violations.period_code in ({marks})
        """,
        components,
    )
    outliers = q(
        f"""
        select outliers.period_code, periods.label_vi as period_label_vi, outliers.series_kind,
               outliers.subject_code, coalesce(agencies.name_vi, areas.name_vi) as subject_name_vi,
               outliers.measure_code, coalesce(indicators.name_vi, types.name_vi) as measure_name_vi,
               indicators.unit_vi, outliers.observed_value, outliers.expected_low, outliers.expected_high,
               outliers.direction
        {warehouse.OUTLIERS_NAMED_FROM}
        where outliers.period_code in ({marks})
        """,
        components,
    )
    submissions = q(
        f"""
        select submission_id, landed_at from marts.fct_submissions
        where is_latest and period_code in ({marks})
        """,
        components,
    )
    narratives = q(
        f"""
        select narratives.period_code, narratives.agency_code, agencies.name_vi as agency_name_vi,
               agencies.agency_kind_order, narratives.narrative_section, narratives.task_number,
               narratives.narrative_text
        from marts.fct_narratives as narratives
        inner join marts.dim_agencies as agencies using (agency_code)
        where narratives.period_code in ({marks})
        order by narratives.period_code, agencies.agency_kind_order, narratives.agency_code,
                 narratives.task_number
        """,
        components,
    )
    coverage = q(
        f"""
        select coalesce(parents.name_vi, areas.name_vi) as area_name_vi,
               coalesce(parents.administrative_until, areas.administrative_until) as administrative_until,
               successors.name_vi as successor_name_vi,
               count(distinct compliance.agency_code) as agency_count
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies using (agency_code)
        inner join marts.dim_areas as areas on agencies.reporting_area_code = areas.area_code
        left join marts.dim_areas as parents
            on areas.area_level <> 'province' and areas.parent_area_code = parents.area_code
        left join marts.dim_areas as successors
            on coalesce(parents.successor_area_code, areas.successor_area_code) = successors.area_code
        where compliance.period_code in ({marks}) and compliance.is_expected
        group by 1, 2, 3
        order by 4 desc, 1
        """,
        components,
    )
    cut = q("select max(landed_at) as cut from marts.fct_submissions").cut.iat[0]
    tasks = q("select task_number, name_vi from marts.dim_tasks order by task_number")
    return ReportFigures(
        period=period.iloc[0],
        components=components,
        violations=violations,
        by_source=by_source,
        areas=areas,
        agency_indicators=agency_indicators,
        indicator_totals=indicator_totals,
        compliance=compliance,
        period_compliance=period_compliance,
        rule_violations=rule_violations,
        outliers=outliers,
        submission_ids=submissions.submission_id.tolist(),
        data_cut=None if pd.isna(cut) else pd.Timestamp(cut),
        task_titles={int(row.task_number): row.name_vi for row in tasks.itertuples()},
        coverage=coverage,
        area_types=area_types,
        narratives=narratives,
        period_issuers=_issuer_chain(settings, pd.Timestamp(period.cutoff_end_date.iat[0]).date()),
    )


def _issuer_chain(settings: Settings, on: date) -> list[tuple[str, date]]:
    """The DIC in force on `on` and every successor since, with the day each
    took over (from the registry's successor chain)."""
    bodies = Succession.served(settings, role="dic")
    current = bodies.in_force_on(on)
    return [
        (bodies.agencies.at[code, "name_vi"], bodies.agencies.at[code, "valid_from"].date())
        for code in bodies.chain(current[0] if current else None)
    ]


def issuer(settings: Settings, on: date) -> Issuer:
    """The DIC (or its successor) in force on the report date, its parent
    People's Committee and the ministry it reports to."""
    frame = warehouse.query(
        settings,
        """
        select agencies.agency_code, agencies.name_vi, agencies.short_name_vi, agencies.doc_symbol,
               parents.header_name_vi as parent_header_vi, parents.name_vi as parent_name_vi,
               agencies.sign_authority_vi, agencies.signer_title_vi, agencies.signer_name_vi,
               agencies.contact_name_vi, agencies.contact_unit_vi, agencies.contact_phone,
               agencies.contact_email, agencies.is_contact_example
        from marts.dim_agencies as agencies
        inner join marts.dim_governing_bodies as parents on agencies.parent_agency_code = parents.body_code
        where agencies.agency_kind = 'dic'
          and agencies.valid_from <= ? and (agencies.valid_to is null or agencies.valid_to > ?)
        """,
        [on, on],
    )
    ministry = warehouse.query(
        settings,
        """
        select name_vi from marts.dim_governing_bodies
        where body_type = 'ministry' and valid_from <= ? and (valid_to is null or valid_to > ?)
        """,
        [on, on],
    )
    if frame.empty or ministry.empty:
        raise NetsafeError(
            f"Không xác định được cơ quan ban hành báo cáo vào ngày {on:%d/%m/%Y}.",
            f"No issuing body is in force on {on.isoformat()}.",
        )
    row = frame.iloc[0]
    return Issuer(
        agency_code=row.agency_code,
        name_vi=row.name_vi,
        short_name_vi=row.short_name_vi,
        doc_symbol=row.doc_symbol,
        parent_header_vi=row.parent_header_vi,
        parent_name_vi=row.parent_name_vi,
        province_vi=row.parent_name_vi.split("tỉnh ", 1)[-1],
        ministry_name_vi=ministry.name_vi.iat[0],
        sign_lines=tuple(
            line for line in (row.sign_authority_vi, row.signer_title_vi) if isinstance(line, str) and line
        )
        or ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        signer_name_vi=row.signer_name_vi if isinstance(row.signer_name_vi, str) else "",
        contact_line_vi=_contact_line(row),
        contact_is_example=bool(row.is_contact_example),
    )


def _contact_line(row) -> str:
    """'Lê Thị Thu Hà, Phòng …, điện thoại 0252 3822 456, thư điện tử …'."""
    parts = [
        row.contact_name_vi,
        row.contact_unit_vi,
        f"điện thoại {row.contact_phone}" if isinstance(row.contact_phone, str) else None,
        f"thư điện tử {row.contact_email}" if isinstance(row.contact_email, str) else None,
    ]
    return ", ".join(part for part in parts if isinstance(part, str) and part)
