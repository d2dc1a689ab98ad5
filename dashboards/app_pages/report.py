"""Báo cáo / Report: the consolidated report for the chosen period — preview
its figures, then generate and download the DOCX and its XLSX annex."""

import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import lang, moment, num, pct, signed_pct, t
from netsafe import dates, services
from netsafe.errors import NetsafeError
from netsafe.settings import get_settings


def show_approval(code: str) -> None:
    """The period's approval state; a leader approves or reopens it here."""
    st.subheader(t("approval"))
    status = queries.period_status(code)
    approved = status is not None and status.approval_state == "approved"
    if approved:
        st.info(
            t("approval_approved").format(
                by=common.plain(status.approved_by),
                at=moment(status.approved_at),
                cut=moment(status.approved_cut_at),
                pending=num(status.received_after_approval_count),
            )
        )
    else:
        st.caption(t("approval_open"))
    if not common.user().can("approve"):
        return
    try:
        if approved:
            reason = st.text_input(t("reopen_reason"), key="reopen_reason")
            if st.button(t("reopen_button"), key="reopen_button", disabled=len(reason.strip()) < 5):
                services.reopen_period(get_settings(), code, reason, by=common.acting())
                st.cache_data.clear()
                st.success(t("reopened_msg"))
        elif st.button(t("approve_button"), key="approve_button"):
            with st.spinner(t("rebuilding")):
                services.approve_period(get_settings(), code, by=common.acting())
            st.cache_data.clear()
            st.success(t("approved_msg"))
    except NetsafeError as error:
        st.error(error.vi if lang() == "vi" else error.en)


period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_report')} — {common.period_label(period)}")
    settings = get_settings()
    try:
        figures = services.report_figures(settings, code)
    except NetsafeError as error:
        st.info(error.vi if lang() == "vi" else error.en)
        figures = None
    if figures is not None:
        st.subheader(t("preview"))
        v = figures.violations
        st.dataframe(
            pd.DataFrame(
                {
                    t("violation_type"): v.name_vi,
                    t("detected"): v.detected.map(num),
                    t("handled"): v.handled.map(num),
                    t("fined_vnd"): v.fined_vnd.map(num),
                    t("prosecuted_cases"): v.prosecuted_cases.map(num),
                    f"{t('change')} ({t('vs_previous')})": v.detected_change_rate_vs_previous.map(signed_pct),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        comp = figures.period_compliance
        if not comp.empty:
            row = comp.iloc[-1]
            st.caption(
                f"{t('reporting_rate')}: {pct(row.reporting_rate)} · "
                f"{t('on_time_rate')}: {pct(row.on_time_rate)}"
                f" · {t('rule_violations')}: {num(len(figures.rule_violations))}"
                f" · {t('outliers')}: {num(len(figures.outliers))}"
            )

        show_approval(code)
        if not common.user().can("report"):
            st.stop()
        st.subheader(t("report_options"))
        left, right = st.columns(2)
        number = left.text_input(t("doc_number"), value="", key="report_number")
        report_date = right.date_input(
            t("report_date"), value=dates.today(), format="DD/MM/YYYY", key="report_date"
        )
        signer = left.text_input(t("signer"), value="", key="report_signer")
        proposals = st.text_area(
            t("proposals"),
            value="\n".join(services.draft_proposals(figures)),
            height=180,
            key="report_proposals",
        )
        if st.button(t("generate_report"), type="primary", key="generate_report"):
            options = services.report_options(
                report_date,
                number=number or None,
                signer=signer,
                proposals=[line.strip() for line in proposals.splitlines() if line.strip()] or None,
            )
            with st.spinner(t("generating")):
                try:
                    st.session_state["last_report"] = services.generate_report(
                        settings, code, options, by=common.acting()
                    )
                except NetsafeError as error:
                    st.error(error.vi if lang() == "vi" else error.en)
        result = st.session_state.get("last_report")
        if result is not None and result.period_code == code:
            st.success(f"{t('report_ready')} · SHA-256 {result.figures_sha256[:16]}…")
            files = (
                ("DOCX", result.docx_path, "wordprocessingml.document"),
                ("XLSX", result.xlsx_path, "spreadsheetml.sheet"),
            )
            for column, (kind, path, mime) in zip(st.columns(2), files, strict=True):
                column.download_button(
                    f"⬇ {kind}",
                    path.read_bytes(),
                    file_name=path.name,
                    mime=f"application/vnd.openxmlformats-officedocument.{mime}",
                    key=f"download_{kind.lower()}",
                )
