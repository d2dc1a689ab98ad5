"""Tổng quan / Overview: the headline figures leadership asks for."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import label_col, name_col, num, pct, signed_num, signed_pct, t

# a rise in these is bad news (warning colour); in the others it is good news
RISE_IS_BAD = {"detected", "fined_vnd"}

period = common.current_period()
if period is not None:
    st.title(f"{t('page_overview')} — {common.period_label(period)}")
    code = period.period_code
    figures = queries.period_summary(code)
    if figures is None:
        st.info(t("no_period_data"))
    else:
        # a provincial handled rate only where the counting rule takes handled and
        # detected from the same reporters (rpt_violation_summary.handled_rate)
        comparable = pd.notna(figures.get("handled_rate"))
        shown = ("detected", "handled", *(("handled_rate",) if comparable else ()), "fined_vnd")
        shown += ("removed_items", "prosecuted_cases")
        rates = ("handled_rate", "reporting_rate", "on_time_rate")

        def delta(key: str, versus: str) -> tuple[str | None, float | None]:
            """The mart's change as text and number: a rate of change for
            counts, points for rates."""
            column = f"{key}_change_vs_{versus}" if key in rates else f"{key}_change_rate_vs_{versus}"
            value = figures.get(column)
            if value is None or pd.isna(value):
                return None, None
            text = f"{signed_num(value * 100, 1)} {t('points')}" if key in rates else signed_pct(value)
            return text, float(value)

        columns = st.columns(4)
        for index, key in enumerate(shown + rates[1:]):
            with columns[index % 4]:
                text, change = delta(key, "previous")
                st.metric(
                    t(key),
                    (pct if key in rates else num)(figures[key]),
                    delta=f"{text} {t('vs_previous')}" if text else None,
                    # more violations or fines is bad news: shown in the warning colour
                    delta_color="off" if change == 0 else ("inverse" if key in RISE_IS_BAD else "normal"),
                    delta_arrow="off" if change == 0 else "auto",
                )
                st.caption(f"{t('vs_last_year')}: {delta(key, 'last_year')[0] or '–'}")
        st.caption(common.counting_rule_note(code))

    st.subheader(t("trend_by_quarter"))
    trend = queries.violation_trend("quarterly")
    if trend.empty:
        st.info(t("no_data"))
    else:
        by_quarter = (
            trend.groupby(["period_code", label_col(), "cutoff_end_date"], as_index=False)[
                ["detected", "handled"]
            ]
            .sum()
            .sort_values("cutoff_end_date")
        )
        long = by_quarter.melt(
            id_vars=["period_code", label_col()],
            value_vars=["detected", "handled"],
            var_name="stage",
            value_name="n",
        )
        long["stage"] = long.stage.map(t)
        chart = (
            alt.Chart(long, title=f"{t('detected')} / {t('handled')} — {t('trend_by_quarter')}")
            .mark_line(point=True)
            .encode(
                x=common.period_axis(by_quarter, title=t("quarter")),
                y=alt.Y("n:Q", title=t("cases")),
                color=alt.Color("stage:N", title=t("stage")),
                tooltip=[label_col(), "stage", "n"],
            )
            .properties(height=300)
        )
        st.altair_chart(common.with_period_marks(chart, trend, code), width="stretch")

    left, right = st.columns(2)
    with left:
        st.subheader(t("rose_most"))
        current = queries.violation_summary((code,)).copy()
        current = current.sort_values("detected_change_vs_previous", ascending=False)
        rose = current[current.detected_change_vs_previous > 0].head(3)
        table = pd.DataFrame(
            {
                t("violation_type"): rose[name_col()],
                t("detected"): rose.detected.map(num),
                t("previous"): rose.detected_previous.map(num),
                t("change"): rose.detected_change_rate_vs_previous.map(signed_pct),
            }
        )
        if table.empty:
            st.caption("–")
        else:
            st.dataframe(table, hide_index=True, width="stretch")
    with right:
        st.subheader(t("top_areas"))
        areas = queries.area_incidents(code).head(5)
        chart = (
            None
            if areas.empty
            else (
                common.ranked_bars(
                    areas,
                    "detected",
                    f"{t('top_areas')} ({t('cases')})",
                    height=220,
                    tooltip=["detected", "handled"],
                )
            )
        )
        if chart is None:
            st.caption("–")
        else:
            st.altair_chart(chart, width="stretch")
