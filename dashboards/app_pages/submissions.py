"""Nộp báo cáo / Submissions: templates for agencies, receiving filled files,
each file's verdict and every error, and the feedback file to send back."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import label_col, lang, name_col, t
from netsafe import services
from netsafe.contract import CHANNELS
from netsafe.errors import NetsafeError
from netsafe.settings import get_settings

st.title(t("page_submissions"))
if common.require_warehouse():
    settings = get_settings()
    periods = queries.open_periods()
    if periods.empty:
        st.info(t("no_data"))
    else:
        labels = dict(zip(periods.period_code, periods[label_col()], strict=True))
        period_code = st.selectbox(
            t("period"), periods.period_code.tolist(), format_func=labels.get, key="intake_period"
        )

        st.subheader(t("template_download"))
        expected = queries.expected_agencies(period_code)
        names = dict(zip(expected.agency_code, expected[name_col()], strict=True))
        agency_code = st.selectbox(
            t("agency"), expected.agency_code.tolist(), format_func=names.get, key="template_agency"
        )
        if agency_code:
            template_name, template_content = queries.template_file(agency_code, period_code)
            st.download_button(
                f"⬇ {template_name}",
                template_content,
                file_name=template_name,
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key="template_download",
            )

        st.subheader(t("upload"))
        uploads = st.file_uploader(
            t("upload"), accept_multiple_files=True, key="uploads", label_visibility="collapsed"
        )
        left, right = st.columns(2)
        received_on = left.date_input(
            t("received_date"), value=date.today(), format="DD/MM/YYYY", key="received_on"
        )
        channel = right.selectbox(t("channel"), CHANNELS, index=0, key="channel")
        if st.button(t("ingest_button"), type="primary", disabled=not uploads):
            run = None
            with st.spinner(t("rebuilding")):
                try:
                    run = services.ingest_files(
                        settings,
                        [(upload.name, upload.getvalue()) for upload in uploads],
                        received_on=received_on,
                        channel=channel,
                        raise_build_errors=False,
                    )
                except NetsafeError as error:
                    st.error(error.vi if lang() == "vi" else error.en)
            st.session_state["last_outcomes"] = run.outcomes if run else []
            if run is not None and run.build_error is not None:
                st.error(run.build_error.vi if lang() == "vi" else run.build_error.en)
            elif run is not None and run.build is not None:
                st.cache_data.clear()
                st.success(t("rebuilt"))

        for index, outcome in enumerate(st.session_state.get("last_outcomes", [])):
            who = f"{outcome.agency_code or '?'} · {outcome.period_code or '?'}"
            if outcome.status == "accepted":
                st.success(f"✔ {outcome.file_name} — {t('accepted_msg')} ({who})")
            elif outcome.status == "duplicate":
                st.warning(f"= {outcome.file_name} — {t('duplicate_msg')} ({outcome.earlier_status})")
            else:
                st.error(f"✘ {outcome.file_name} — {t('rejected_msg')} ({len(outcome.problems)})")
                problems = pd.DataFrame(
                    {
                        "Trang / Sheet": [p.sheet or "" for p in outcome.problems],
                        "Dòng / Row": [p.row or "" for p in outcome.problems],
                        "Cột / Column": [p.column or "" for p in outcome.problems],
                        "Lỗi": [p.vi for p in outcome.problems],
                        "Problem": [p.en for p in outcome.problems],
                    }
                )
                st.dataframe(problems, hide_index=True, width="stretch")
                feedback_name, feedback_content = services.feedback_file(outcome)
                st.download_button(
                    t("feedback_download"),
                    feedback_content,
                    file_name=feedback_name,
                    key=f"feedback-{index}",
                )

        st.subheader(f"{t('versions_in_period')} — {labels[period_code]}")
        history = queries.submission_history(period_code=period_code)
        if history.empty:
            st.caption("–")
        else:
            common.show_submission_history(history, by_agency=True)
