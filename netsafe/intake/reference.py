"""Reference data intake needs, read once from the served warehouse."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from netsafe import warehouse
from netsafe.periods import Period, all_periods
from netsafe.settings import Settings


@dataclass(frozen=True)
class Agency:
    agency_code: str
    name_vi: str
    name_en: str
    agency_kind: str
    agency_role: str
    area_code: str | None
    reporting_area_code: str | None = None


@dataclass(frozen=True)
class Obligation:
    """What an agency must send for a period."""

    reports_indicators: bool
    reports_incidents: bool
    incident_area_scope: str
    reports_prosecutions: bool


@dataclass(frozen=True)
class Named:
    code: str
    name_vi: str
    name_en: str
    unit_vi: str = ""
    unit_en: str = ""


@dataclass(frozen=True)
class Rule:
    """A validation rule (dim_validation_rules)."""

    rule_code: str
    name_vi: str
    name_en: str
    left_side: str
    operator: str
    right_side: str
    when_side: str | None
    severity: str
    description_vi: str


@dataclass
class Reference:
    agencies: dict[str, Agency]
    periods: dict[str, Period]
    obligations: dict[tuple[str, str], Obligation]
    indicators: dict[str, Named]
    indicator_roles: dict[str, set[str]]
    areas: dict[str, Named]
    violation_types: dict[str, Named]
    # derived indicator -> the incident stage it is the sum of
    derived: dict[str, str] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    # the letter's tasks: number → (title, the agency roles it is assigned to)
    tasks: dict[int, tuple[str, frozenset[str]]] = field(default_factory=dict)
    _area_order: list[str] = field(default_factory=list)
    _area_parent: dict[str, str] = field(default_factory=dict)

    def is_expected(self, agency_code: str, period_code: str) -> bool:
        return (agency_code, period_code) in self.obligations

    def indicators_for(self, agency_code: str) -> list[Named]:
        role = self.agencies[agency_code].agency_role
        return [ind for code, ind in self.indicators.items() if role in self.indicator_roles[code]]

    def asked_indicators_for(self, agency_code: str) -> list[Named]:
        """The indicators a template asks for: derived ones are computed."""
        return [ind for ind in self.indicators_for(agency_code) if ind.code not in self.derived]

    def tasks_for(self, agency_code: str) -> list[tuple[int, str]]:
        """The tasks of letter 2331 assigned to the agency's role: (number, title)."""
        role = self.agencies[agency_code].agency_role
        return [(number, title) for number, (title, roles) in sorted(self.tasks.items()) if role in roles]

    def areas_for(self, agency_code: str, period_code: str) -> list[Named]:
        obligation = self.obligations[(agency_code, period_code)]
        if not obligation.reports_incidents:
            return []
        agency = self.agencies[agency_code]
        if obligation.incident_area_scope == "own_area":
            return [self.areas[agency.area_code]]
        return [
            self.areas[code]
            for code in self._area_order
            if self._area_parent[code] == agency.reporting_area_code
        ]

    def expected_agencies(self, period_code: str) -> list[str]:
        return sorted(agency for agency, period in self.obligations if period == period_code)


def expected_reports(settings: Settings) -> pd.DataFrame:
    """Who must report for which period, with what (grain: agency × period):
    the obligation in force at the period's deadline for the agency's kind.
    The one query for "who is expected"; intake and the demo data use it."""
    return warehouse.query(
        settings,
        """
        select compliance.agency_code, compliance.period_code,
               periods.cutoff_end_date, periods.reporter_deadline_date,
               agencies.agency_kind, agencies.agency_role, agencies.area_code, agencies.reporting_area_code,
               obligations.reports_indicators, obligations.reports_incidents,
               obligations.incident_area_scope, obligations.reports_prosecutions
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies on compliance.agency_code = agencies.agency_code
        inner join marts.dim_periods as periods on compliance.period_code = periods.period_code
        inner join marts.dim_reporting_obligations as obligations
            on agencies.agency_kind = obligations.agency_kind
            and periods.report_type = obligations.report_type
            and periods.reporter_deadline_date >= obligations.valid_from
            and (obligations.valid_to is null or periods.reporter_deadline_date < obligations.valid_to)
        where compliance.is_expected
        order by periods.cutoff_end_date, compliance.agency_code
        """,
    )


def load(settings: Settings) -> Reference:
    agencies = warehouse.query(
        settings,
        "select agency_code, name_vi, name_en, agency_kind, agency_role, area_code, reporting_area_code "
        "from marts.dim_agencies",
    )
    obligations = expected_reports(settings)
    indicators = warehouse.query(
        settings,
        """
        select indicator_code, name_vi, name_en, unit_vi, unit_en, reporter_roles, derived_from_stage
        from marts.dim_indicators order by display_order
        """,
    )
    areas = warehouse.query(
        settings,
        "select area_code, name_vi, name_en, area_level, parent_area_code "
        "from marts.dim_areas order by area_code",
    )
    violation_types = warehouse.query(
        settings,
        "select violation_type_code, name_vi, name_en from marts.dim_violation_types order by display_order",
    )
    rules = warehouse.query(
        settings,
        "select rule_code, name_vi, name_en, left_side, operator, right_side, when_side, severity, "
        "description_vi from marts.dim_validation_rules order by rule_code",
    )
    tasks = warehouse.query(settings, "select task_number, name_vi, assignee_roles from marts.dim_tasks")
    district_order = [row.area_code for row in areas.itertuples() if row.area_level == "district"]
    return Reference(
        agencies={
            row.agency_code: Agency(
                row.agency_code,
                row.name_vi,
                row.name_en,
                row.agency_kind,
                row.agency_role,
                row.area_code if isinstance(row.area_code, str) else None,
                row.reporting_area_code,
            )
            for row in agencies.itertuples()
        },
        periods=all_periods(settings),
        obligations={
            (row.agency_code, row.period_code): Obligation(
                bool(row.reports_indicators),
                bool(row.reports_incidents),
                row.incident_area_scope,
                bool(row.reports_prosecutions),
            )
            for row in obligations.itertuples()
        },
        indicators={
            row.indicator_code: Named(row.indicator_code, row.name_vi, row.name_en, row.unit_vi, row.unit_en)
            for row in indicators.itertuples()
        },
        indicator_roles={
            row.indicator_code: set(row.reporter_roles.split("|")) for row in indicators.itertuples()
        },
        areas={row.area_code: Named(row.area_code, row.name_vi, row.name_en) for row in areas.itertuples()},
        violation_types={
            row.violation_type_code: Named(row.violation_type_code, row.name_vi, row.name_en)
            for row in violation_types.itertuples()
        },
        derived={
            row.indicator_code: row.derived_from_stage
            for row in indicators.itertuples()
            if isinstance(row.derived_from_stage, str) and row.derived_from_stage
        },
        rules=[
            Rule(**{key: (None if pd.isna(value) else value) for key, value in row._asdict().items()})
            for row in rules.itertuples(index=False)
        ],
        tasks={
            int(row.task_number): (
                row.name_vi,
                frozenset((row.assignee_roles or "").split("|"))
                if isinstance(row.assignee_roles, str)
                else frozenset(),
            )
            for row in tasks.itertuples()
        },
        _area_order=district_order,
        _area_parent={row.area_code: row.parent_area_code for row in areas.itertuples()},
    )
