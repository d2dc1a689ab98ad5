"""Đơn vị báo cáo / Agencies: who reported, on time or late, who to chase,
and each agency's submission history."""

import altair as alt
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import day, label_col, moment, name_col, num, pct, t
from netsafe import dates, services
from netsafe.settings import get_settings

period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_agencies')} — {common.period_label(period)}")
    trend = queries.compliance_trend()
    trend = trend[trend.report_type == "quarterly"]
    now = queries.period_compliance(code)
    if now.empty:
        st.info(t("no_period_data"))
        quarters = tuple(trend.period_code.tail(8))
    else:
        row = now.iloc[0]
        cols = st.columns(5)
        cols[0].metric(t("expected"), num(row.expected_count))
        cols[1].metric(t("submitted"), num(row.submitted_count))
        cols[2].metric(t("reporting_rate"), pct(row.reporting_rate))
        cols[3].metric(t("on_time_rate"), pct(row.on_time_rate))
        cols[4].metric(t("missing"), num(row.missing_count))
        ends = trend[trend.cutoff_end_date <= period.cutoff_end_date]
        quarters = tuple(ends.period_code.tail(8)) or (code,)

    if quarters:
        matrix = queries.agency_compliance(quarters)
        matrix = matrix.assign(status=matrix.compliance_status.map(t), period=matrix[f"period_{label_col()}"])
        statuses = list(common.STATUS_COLORS)
        chart = (
            alt.Chart(matrix, title=t("compliance_matrix"))
            .mark_rect(stroke="white")
            .encode(
                x=alt.X(
                    "period:N", sort=matrix.drop_duplicates("period_code").period.tolist(), title=t("period")
                ),
                y=alt.Y(
                    f"{name_col()}:N",
                    sort=None,
                    title=t("agency"),
                    axis=alt.Axis(labelLimit=320, labelOverlap=False),
                ),
                color=alt.Color(
                    "status:N",
                    scale=alt.Scale(
                        domain=[t(s) for s in statuses], range=list(common.STATUS_COLORS.values())
                    ),
                    title=t("status"),
                ),
                tooltip=[name_col(), "period", "status", "days_late", "submission_count"],
            )
            .properties(height=max(240, 24 * matrix.agency_code.nunique()))
        )
        st.altair_chart(chart, width="stretch")

    st.subheader(f"{t('to_chase')} — {common.period_label(period)}")
    current = queries.agency_compliance((code,))
    chase = current[current.compliance_status.isin(["missing", "rejected", "partial", "late", "not_due"])]
    if chase.empty:
        st.success(t("nobody_to_chase"))
    else:
        common.show_table(
            chase,
            [("agency", name_col(), None), ("status", "compliance_status", t), "days_late"]
            + [("missing_parts", "missing_parts", common.parts_words)]
            + [("deadline", "reporter_deadline_date", day), ("complete_at", "complete_at", moment)],
        )
        common.downloads(
            chase[["agency_code", name_col(), "compliance_status", "days_late", "reporter_deadline_date"]],
            f"don_doc_{code}",
        )
        outstanding = chase.compliance_status.isin(["missing", "rejected", "partial"])
        if outstanding.any() and common.user().can("remind") and st.button(t("reminders_download")):
            paths = services.write_reminders(
                get_settings(),
                code,
                services.reminder_options(dates.today()),
                combined=True,
                by=common.acting(),
            )
            st.download_button("⬇ DOCX", paths[0].read_bytes(), file_name=paths[0].name, key="reminder_docx")

    st.subheader(t("history"))
    agencies = queries.agencies()
    names = dict(zip(agencies.agency_code, agencies[name_col()], strict=True))
    chosen = st.selectbox(
        t("agency"), agencies.agency_code.tolist(), format_func=names.get, key="history_agency"
    )
    history = queries.submission_history(agency_code=chosen)
    if history.empty:
        st.info(t("no_history"))
    else:
        common.show_submission_history(history, by_agency=False)
