"""Tổng quan / Overview: the headline figures leadership asks for."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import label_col, name_col, num, pct, signed_num, signed_pct, t

period = common.current_period()
if period is not None:
    st.title(f"{t('page_overview')} — {common.period_label(period)}")
    code = period.period_code
    codes = tuple(c for c in (code, period.previous_period_code, period.same_period_last_year_code) if c)
    summary = queries.violation_summary(codes)
    totals = summary.groupby("period_code")[
        ["detected", "handled", "fined_vnd", "prosecuted_cases", "removed_items"]
    ].sum()

    def total(period_code, column):
        return totals[column].get(period_code) if period_code in totals.index else None

    def rate(period_code):
        detected = total(period_code, "detected")
        return None if not detected else total(period_code, "handled") / detected

    def change(now, before):
        if now is None or before in (None, 0) or pd.isna(before):
            return None
        return (now - before) / before

    compliance = {c: queries.period_compliance(c) for c in codes}

    def comp(period_code, column):
        frame = compliance.get(period_code)
        return None if frame is None or frame.empty else frame[column].iat[0]

    prev, last_year = period.previous_period_code, period.same_period_last_year_code
    metrics = [
        ("detected", total(code, "detected"), total(prev, "detected"), total(last_year, "detected"), num),
        ("handled", total(code, "handled"), total(prev, "handled"), total(last_year, "handled"), num),
        ("handled_rate", rate(code), rate(prev), rate(last_year), pct),
        ("fined_vnd", total(code, "fined_vnd"), total(prev, "fined_vnd"), total(last_year, "fined_vnd"), num),
        (
            "prosecuted_cases",
            total(code, "prosecuted_cases"),
            total(prev, "prosecuted_cases"),
            total(last_year, "prosecuted_cases"),
            num,
        ),
        (
            "reporting_rate",
            comp(code, "reporting_rate"),
            comp(prev, "reporting_rate"),
            comp(last_year, "reporting_rate"),
            pct,
        ),
        (
            "on_time_rate",
            comp(code, "on_time_rate"),
            comp(prev, "on_time_rate"),
            comp(last_year, "on_time_rate"),
            pct,
        ),
    ]
    if summary[summary.period_code == code].empty:
        st.info(t("no_period_data"))

    def delta_text(now, before, is_rate):
        if now is None or before is None or pd.isna(now) or pd.isna(before):
            return None
        if is_rate:
            return f"{signed_num((now - before) * 100, 1)} {t('points')}"
        ratio = change(now, before)
        return None if ratio is None else signed_pct(ratio)

    columns = st.columns(4)
    for index, (key, now, before, year_ago, fmt) in enumerate(metrics):
        with columns[index % 4]:
            is_rate = fmt is pct
            vs_previous = delta_text(now, before, is_rate)
            vs_year = delta_text(now, year_ago, is_rate)
            st.metric(
                t(key),
                fmt(now),
                delta=f"{vs_previous} {t('vs_previous')}" if vs_previous else None,
            )
            st.caption(f"{t('vs_last_year')}: {vs_year or '–'}")

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
                x=alt.X(f"{label_col()}:N", sort=by_quarter[label_col()].tolist(), title=t("quarter")),
                y=alt.Y("n:Q", title=t("cases")),
                color=alt.Color("stage:N", title=t("stage")),
                tooltip=[label_col(), "stage", "n"],
            )
            .properties(height=300)
        )
        st.altair_chart(chart, width="stretch")

    left, right = st.columns(2)
    with left:
        st.subheader(t("rose_most"))
        current = summary[summary.period_code == code].copy()
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
                alt.Chart(areas, title=f"{t('top_areas')} ({t('cases')})")
                .mark_bar(color="#4e79a7")
                .encode(
                    x=alt.X("detected:Q", title=t("detected")),
                    y=alt.Y(f"{name_col()}:N", sort="-x", title=t("area"), axis=alt.Axis(labelLimit=260)),
                    tooltip=[name_col(), "detected", "handled"],
                )
                .properties(height=220)
            )
        )
        if chart is None:
            st.caption("–")
        else:
            st.altair_chart(chart, width="stretch")
