"""The dashboard's only way to the data: marts, read through
netsafe.warehouse (read-only, one query per connection), cached per frame
with a TTL and keyed on the warehouse file's identity, so a rebuild shows
at once and a reader never holds the file."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from netsafe import services, warehouse
from netsafe.settings import get_settings

TTL_SECONDS = 300


def warehouse_version() -> tuple | None:
    """Changes whenever a build publishes; cached frames are keyed on it."""
    return warehouse.version(get_settings())


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _query(sql: str, params: tuple, version: tuple[str, int, int] | None) -> pd.DataFrame:
    return warehouse.query(get_settings(), sql, list(params))


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    return _query(sql, params, warehouse_version())


def available() -> bool:
    return warehouse.exists(get_settings())


def periods_with_data() -> pd.DataFrame:
    return query(
        """
        select periods.period_code, periods.report_type, periods.label_vi, periods.label_en,
               periods.cutoff_start_date, periods.cutoff_end_date, periods.reporter_deadline_date,
               periods.previous_period_code, periods.same_period_last_year_code
        from marts.dim_periods as periods
        where periods.period_code in (select distinct period_code from marts.rpt_violation_summary)
           or periods.period_code in (select distinct period_code from marts.rpt_agency_compliance
                                      where has_submitted or is_deadline_passed)
           -- the period being collected now, so the intake page can take its reports
           or (periods.cutoff_start_date <= current_date
               and periods.period_code in (select period_code from marts.rpt_agency_compliance
                                           where is_expected))
        order by periods.cutoff_end_date
        """
    )


def violation_types() -> pd.DataFrame:
    return query(
        """
        select violation_type_code, name_vi, name_en, penal_code_basis, administrative_basis,
               penal_code_basis_en, administrative_basis_en, is_basis_confirmed, color_hex, display_order
        from marts.dim_violation_types order by display_order
        """
    )


def violation_summary(period_codes: tuple[str, ...]) -> pd.DataFrame:
    marks = ", ".join("?" for _ in period_codes) or "null"
    return query(
        f"""
        select summary.*, types.name_vi, types.name_en, types.color_hex, types.display_order
        from marts.rpt_violation_summary as summary
        inner join marts.dim_violation_types as types using (violation_type_code)
        where summary.period_code in ({marks})
        order by types.display_order
        """,
        period_codes,
    )


def period_status(period_code: str) -> pd.Series | None:
    frame = query("select * from marts.rpt_period_status where period_code = ?", (period_code,))
    return None if frame.empty else frame.iloc[0]


def audit_trail(period_code: str | None = None) -> pd.DataFrame:
    """The audit trail (raw landing, read briefly): not cached, it is the record."""
    return services.audit_trail(get_settings(), period_code)


def user_for(identity: str):
    """The user an identity maps to (raw landing's users), or None."""
    return services.find_user(get_settings(), identity)


def violation_by_source(period_code: str) -> pd.DataFrame:
    """Each kind of reporter's own counts for a period, and which of its
    stages the counting rule takes into the provincial figures."""
    stages = ("detected", "handled", "fined_vnd", "removed_items", "prosecuted_cases")
    return query(
        f"""
        select by_source.source_kind, kinds.agency_kind_name_vi, kinds.agency_kind_name_en,
               {", ".join(f"sum(by_source.{s}) as {s}" for s in stages)},
               {", ".join(f"bool_or(by_source.{s}_counts) as {s}_counts" for s in stages)},
               cast(sum(by_source.handled) as numeric(20, 6)) / nullif(sum(by_source.detected), 0)
                   as handled_rate
        from marts.rpt_violation_by_source as by_source
        inner join (
            select distinct agency_kind, agency_kind_name_vi, agency_kind_name_en, agency_kind_order
            from marts.dim_agencies
        ) as kinds on by_source.source_kind = kinds.agency_kind
        where by_source.period_code = ?
        group by by_source.source_kind, kinds.agency_kind_name_vi, kinds.agency_kind_name_en,
                 kinds.agency_kind_order
        order by kinds.agency_kind_order
        """,
        (period_code,),
    )


def violation_trend(report_type: str = "quarterly") -> pd.DataFrame:
    return query(
        """
        select summary.period_code, periods.label_vi, periods.label_en, periods.cutoff_end_date,
               summary.violation_type_code, types.name_vi, types.name_en, types.color_hex,
               summary.detected, summary.handled, summary.prosecuted_cases, summary.fined_vnd
        from marts.rpt_violation_summary as summary
        inner join marts.dim_periods as periods using (period_code)
        inner join marts.dim_violation_types as types using (violation_type_code)
        where summary.report_type = ?
        order by periods.cutoff_end_date, types.display_order
        """,
        (report_type,),
    )


def reorganisation_date():
    """The day the 2025 reorganisation merged the province away (from the
    area registry: the first day an area stopped being administrative)."""
    frame = query("select min(administrative_until) as since from marts.dim_areas")
    since = frame.since.iat[0] if not frame.empty else None
    return None if since is None or pd.isna(since) else pd.Timestamp(since)


def area_incidents(period_code: str) -> pd.DataFrame:
    """Per area (summed over types), rates and changes as the mart computes them."""
    return query(
        """
        select summary.area_code, areas.name_vi, areas.name_en, areas.is_statistical_region,
               summary.population, summary.has_population, summary.detected, summary.handled,
               summary.prosecuted_cases, summary.detected_per_100k, summary.detected_previous,
               summary.detected_last_year, summary.detected_change_rate_vs_previous,
               summary.detected_change_rate_vs_last_year
        from marts.rpt_area_summary as summary
        inner join marts.dim_areas as areas using (area_code)
        where summary.period_code = ?
        order by summary.detected desc, summary.area_code
        """,
        (period_code,),
    )


def period_summary(period_code: str) -> pd.Series | None:
    """The province's headline figures for a period, with their comparisons."""
    frame = query("select * from marts.rpt_period_summary where period_code = ?", (period_code,))
    return None if frame.empty else frame.iloc[0]


def area_by_type(period_code: str, violation_type_code: str) -> pd.DataFrame:
    return query(
        """
        select incidents.area_code, areas.name_vi, areas.name_en, incidents.detected, incidents.handled,
               incidents.prosecuted_cases, incidents.detected_per_100k
        from marts.rpt_area_incidents as incidents
        inner join marts.dim_areas as areas using (area_code)
        where incidents.period_code = ? and incidents.violation_type_code = ?
        order by incidents.detected desc
        """,
        (period_code, violation_type_code),
    )


def agency_by_type(period_code: str, violation_type_code: str) -> pd.DataFrame:
    return query(
        """
        select incidents.agency_code, agencies.name_vi, agencies.name_en, incidents.detected,
               incidents.handled, incidents.prosecuted_cases, incidents.fined_vnd
        from marts.rpt_agency_incidents as incidents
        inner join marts.dim_agencies as agencies using (agency_code)
        where incidents.period_code = ? and incidents.violation_type_code = ?
        order by incidents.detected desc
        """,
        (period_code, violation_type_code),
    )


def period_compliance(period_code: str) -> pd.DataFrame:
    return query("select * from marts.rpt_period_compliance where period_code = ?", (period_code,))


def compliance_trend() -> pd.DataFrame:
    return query(
        """
        select compliance.*, periods.label_vi, periods.label_en, periods.cutoff_end_date
        from marts.rpt_period_compliance as compliance
        inner join marts.dim_periods as periods using (period_code)
        where compliance.expected_count > 0 and compliance.not_due_count < compliance.expected_count
        order by periods.cutoff_end_date
        """
    )


def agency_compliance(period_codes: tuple[str, ...]) -> pd.DataFrame:
    marks = ", ".join("?" for _ in period_codes) or "null"
    return query(
        f"""
        select compliance.*, agencies.name_vi, agencies.name_en, agencies.agency_kind,
               agencies.agency_kind_order, periods.label_vi as period_label_vi,
               periods.label_en as period_label_en, periods.cutoff_end_date
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies using (agency_code)
        inner join marts.dim_periods as periods using (period_code)
        where compliance.period_code in ({marks}) and compliance.is_expected
        order by agencies.agency_kind_order, agencies.agency_code, periods.cutoff_end_date
        """,
        period_codes,
    )


def period_labels() -> pd.DataFrame:
    """Every period's label (a file may be for any period, not only those with data)."""
    return query("select period_code, label_vi, label_en from marts.dim_periods")


def agencies() -> pd.DataFrame:
    return query(
        """
        select agency_code, name_vi, name_en, agency_kind, valid_from, valid_to
        from marts.dim_agencies order by agency_kind_order, agency_code
        """
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _submission_history(agency_code: str | None, period_code: str | None, version) -> pd.DataFrame:
    frame = services.list_submissions(get_settings(), period_code, agency_code)
    return frame.sort_values("received_at", ascending=False, kind="stable").reset_index(drop=True)


def submission_history(agency_code: str | None = None, period_code: str | None = None) -> pd.DataFrame:
    """Received versions (newest first), the same listing as `netsafe submissions`."""
    return _submission_history(agency_code, period_code, warehouse_version())


def expected_agencies(period_code: str) -> pd.DataFrame:
    return query(
        """
        select compliance.agency_code, agencies.name_vi, agencies.name_en, compliance.compliance_status
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies using (agency_code)
        where compliance.period_code = ? and compliance.is_expected
        order by agencies.agency_kind_order, compliance.agency_code
        """,
        (period_code,),
    )


def _history_version() -> tuple[str, int] | None:
    path = get_settings().quality_history_path
    try:
        return (str(path), path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _history(sql: str, params: tuple, version) -> pd.DataFrame:
    from netsafe.quality import history

    return history.read(get_settings(), sql, list(params))


def quality_runs() -> pd.DataFrame:
    """Every recorded `netsafe check` run, newest first (empty when none)."""
    return _history("select * from quality_runs order by started_at desc", (), _history_version())


def quality_failures(run_id: str) -> pd.DataFrame:
    return _history(
        "select * from quality_results where run_id = ? and not success order by severity, check_kind",
        (run_id,),
        _history_version(),
    )


def validation_violations(period_code: str) -> pd.DataFrame:
    return query(
        """
        select violations.*, agencies.name_vi, agencies.name_en
        from marts.rpt_validation_violations as violations
        left join marts.dim_agencies as agencies using (agency_code)
        where violations.period_code = ?
        order by violations.severity, violations.rule_code
        """,
        (period_code,),
    )


def outliers(period_code: str) -> pd.DataFrame:
    """Flagged values with the names of what they are about (agency or area,
    indicator or violation type), in both languages."""
    return query(
        f"""
        select outliers.*, {warehouse.OUTLIER_NAMES}
        {warehouse.OUTLIERS_NAMED_FROM}
        where outliers.period_code = ?
        order by outliers.series_kind, outliers.subject_code
        """,
        (period_code,),
    )


@st.cache_data(ttl=TTL_SECONDS, show_spinner=False)
def _template(agency_code: str, period_code: str, version) -> tuple[str, bytes]:
    return services.template_file(get_settings(), agency_code, period_code)


def template_file(agency_code: str, period_code: str) -> tuple[str, bytes]:
    """An agency's template for a period; built once per warehouse version,
    not on every rerun of the page."""
    return _template(agency_code, period_code, warehouse_version())
