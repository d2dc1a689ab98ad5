"""Chất lượng dữ liệu / Data quality: the checks of the latest build and the
submissions rejected in the period, with their reasons."""

import common
import data
import pandas as pd
import streamlit as st
from i18n import moment, name_col, num, t

from netsafe import build
from netsafe.settings import get_settings

period = common.current_period()
if period is not None:
    st.title(f"{t('page_quality')} — {common.period_label(period)}")
    st.subheader(t("dbt_tests"))
    last = build.last_build(get_settings())
    if last is None:
        st.info(t("no_warehouse"))
    else:
        cols = st.columns(3)
        cols[0].metric(t("tests_passed"), f"{num(last.tests_passed)}/{num(last.tests_total)}")
        cols[1].metric("Models", num(last.counts.get("model:success", 0)))
        cols[2].metric(t("built_at"), last.built_at.replace("T", " ")[:16])
        if last.failures:
            st.error("\n".join(last.failures))

    st.subheader(t("rejected_in_period"))
    history = data.submission_history(period_code=period.period_code)
    rejected = history[history.submission_status == "rejected"] if not history.empty else history
    if rejected.empty:
        st.success(t("no_rejections"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("agency"): rejected[name_col()].fillna(rejected.agency_code),
                    t("received_at"): rejected.received_at.map(moment),
                    t("file"): rejected.source_file_name,
                    t("reasons"): rejected.note.fillna(""),
                }
            ),
            hide_index=True,
            width="stretch",
        )
