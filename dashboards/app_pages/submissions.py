"""Nộp báo cáo / Submissions: templates for agencies, receiving filled files,
each file's verdict and every error, and the feedback file to send back."""

import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import label_col, lang, name_col, t
from netsafe import dates, services
from netsafe.contract import CHANNELS
from netsafe.errors import NetsafeError
from netsafe.formatting import printable
from netsafe.settings import get_settings


def receive(files, received_on, channel) -> None:
    """Land the files, rebuild once, and keep each file's verdict for display."""
    run = None
    # one bar per file: half once read, full once checked; then one build for them all
    bars = {name: st.progress(0.0, text=f"{common.plain(name)} — {t('checking')}") for name, _ in files}

    def checked(name: str, status: str) -> None:
        if status == "read":
            bars[name].progress(0.5, text=f"{common.plain(name)} — {t('checking')}")
            return
        verdict = t("accepted_msg") if status == "accepted" else t("rejected_msg")
        bars[name].progress(1.0, text=f"{common.plain(name)} — {verdict}")

    with st.spinner(t("rebuilding")):
        try:
            run = services.ingest_files(
                settings,
                files,
                received_on=received_on,
                channel=channel,
                raise_build_errors=False,
                by=common.acting(),
                progress=checked,
            )
        except NetsafeError as error:
            st.error(error.vi if lang() == "vi" else error.en)
    st.session_state["last_outcomes"] = run.outcomes if run else []
    if run is not None and run.build_error is not None:
        st.error(run.build_error.vi if lang() == "vi" else run.build_error.en)
    elif run is not None and run.build is not None:
        st.cache_data.clear()
        st.success(t("rebuilt"))


st.title(t("page_submissions"))
if common.require_warehouse():
    settings = get_settings()
    me = common.user()
    # an agency reporter sees only their own agency (and its predecessors or successors)
    own = None if me.can("view_all") else services.related_agencies(settings, me.agency_code)
    period = common.current_period()  # the sidebar's period: one choice for every page
    if period is not None:
        period_code = period.period_code
        labels = {period_code: common.period_label(period)}
        st.caption(f"{t('period')}: **{labels[period_code]}** — {t('period_from_sidebar')}")

        st.subheader(t("template_download"))
        expected = queries.expected_agencies(period_code)
        if own is not None:
            expected = expected[expected.agency_code.isin(own)]
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
        common.uploader_in_language()
        uploads = st.file_uploader(
            t("upload"), accept_multiple_files=True, key="uploads", label_visibility="collapsed"
        )
        received_on, channel = None, "upload"
        if me.can("ingest_any"):  # paper and e-mail receipts, with their date, are an analyst's
            left, right = st.columns(2)
            received_on = left.date_input(
                t("received_date"), value=dates.today(), format="DD/MM/YYYY", key="received_on"
            )
            channel = right.selectbox(
                t("channel"), CHANNELS, index=0, key="channel", format_func=lambda code: t(f"channel_{code}")
            )
        files = [(upload.name, upload.getvalue()) for upload in uploads or []]
        if st.button(t("ingest_button"), type="primary", disabled=not uploads):
            try:
                # a correction with fewer rows than the version in use is landed only when confirmed
                dropping = services.rows_to_drop(settings, files, received_on=received_on)
            except NetsafeError as error:
                st.error(error.vi if lang() == "vi" else error.en)
                dropping = None
            if dropping:
                st.session_state["pending"] = (files, received_on, channel, dropping)
            elif dropping is not None:
                st.session_state.pop("pending", None)
                receive(files, received_on, channel)
        pending = st.session_state.get("pending")
        if pending and [name for name, _ in pending[0]] == [name for name, _ in files]:
            for name, rows in pending[3].items():
                st.warning(
                    f"{common.plain(name)}: {t('rows_will_disappear')} ({len(rows)}): "
                    + common.plain(", ".join(rows[:30]))
                    + (" …" if len(rows) > 30 else "")
                )
            if st.button(t("confirm_receive"), key="confirm_receive"):
                st.session_state.pop("pending", None)
                receive(*pending[:3])

        all_agencies, all_periods = queries.agencies(), queries.period_labels()
        agency_names = dict(zip(all_agencies.agency_code, all_agencies[name_col()], strict=True))
        period_names = dict(zip(all_periods.period_code, all_periods[label_col()], strict=True))
        for index, outcome in enumerate(st.session_state.get("last_outcomes", [])):
            # in words: the agency's name and the period's label, never their codes
            who = common.plain(
                f"{agency_names.get(outcome.agency_code, '?')} · {period_names.get(outcome.period_code, '?')}"
            )
            shown_name = common.plain(outcome.file_name)
            if outcome.status == "accepted":
                st.success(f"✔ {shown_name} — {t('accepted_msg')} ({who})")
            elif outcome.status == "resent":
                st.info(f"↺ {shown_name} — {t('resent_msg')} ({who})")
            elif outcome.status == "duplicate":
                st.warning(f"= {shown_name} — {t('duplicate_msg')} ({outcome.earlier_status})")
            else:
                st.error(f"✘ {shown_name} — {t('rejected_msg')} ({len(outcome.problems)})")
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
        if own is not None:
            history = history[history.agency_code.isin(own)]
        if history.empty:
            st.caption("–")
        else:
            common.show_submission_history(history, by_agency=True)
            usable = history[history.is_accepted & ~history.is_withdrawn.fillna(False).astype(bool)]
            if not usable.empty and me.can("withdraw"):
                with st.expander(t("withdraw_title")):
                    names = {
                        row.submission_id: f"{row[name_col()] or row.agency_code} · v{row.version_number} · "
                        f"{printable(row.source_file_name or '')} [{row.submission_id}]"
                        for _, row in usable.iterrows()
                    }
                    chosen = st.selectbox(
                        t("withdraw_version"), list(names), format_func=names.get, key="withdraw_id"
                    )
                    reason = st.text_area(t("withdraw_reason"), max_chars=2000, key="withdraw_reason")
                    if st.button(t("withdraw_button"), disabled=not reason.strip(), key="withdraw_button"):
                        try:
                            with st.spinner(t("rebuilding")):
                                services.withdraw_submission(settings, chosen, reason, by=common.acting())
                            st.cache_data.clear()
                            st.success(t("withdrawn_msg"))
                        except NetsafeError as error:
                            st.error(error.vi if lang() == "vi" else error.en)
