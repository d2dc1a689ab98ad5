"""Địa bàn / Areas: counts per district-level unit and rates per 100,000
people where the population is known (ranked chart; no map tiles offline)."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import name_col, num, signed_pct, t

period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_areas')} — {common.period_label(period)}")
    areas = queries.area_incidents(code)
    if areas.empty or areas.detected.sum() == 0:
        st.info(t("no_period_data"))
    else:
        areas = areas.rename(columns={"detected_per_100k": "per_100k"})
        chart = (
            alt.Chart(areas, title=f"{t('ranked_areas')} — {common.period_label(period)}")
            .mark_bar(color="#4e79a7")
            .encode(
                x=alt.X("detected:Q", title=f"{t('detected')} ({t('cases').lower()})"),
                y=alt.Y(f"{name_col()}:N", sort="-x", title=t("area"), axis=alt.Axis(labelLimit=260)),
                tooltip=[name_col(), "detected", "handled", "per_100k"],
            )
            .properties(height=360)
        )
        st.altair_chart(chart, width="stretch")
        known = areas[areas.has_population]
        if not known.empty:
            rate_chart = (
                alt.Chart(known, title=f"{t('per_100k')} — {common.period_label(period)}")
                .mark_bar(color="#f28e2b")
                .encode(
                    x=alt.X("per_100k:Q", title=t("per_100k")),
                    y=alt.Y(f"{name_col()}:N", sort="-x", title=t("area"), axis=alt.Axis(labelLimit=260)),
                    tooltip=[name_col(), "per_100k", "population"],
                )
                .properties(height=200)
            )
            st.altair_chart(rate_chart, width="stretch")
        st.caption(t("population_note") + " " + t("statistical_region_note"))

        table = pd.DataFrame(
            {
                t("area"): areas[name_col()],
                t("detected"): areas.detected.map(num),
                t("handled"): areas.handled.map(num),
                t("prosecuted_cases"): areas.prosecuted_cases.map(num),
                t("population"): areas.population.map(num),
                t("per_100k"): areas.per_100k.map(lambda v: num(v, 1)),
                f"{t('change')} ({t('vs_previous')})": areas.detected_change_rate_vs_previous.map(signed_pct),
                f"{t('change')} ({t('vs_last_year')})": areas.detected_change_rate_vs_last_year.map(
                    signed_pct
                ),
            }
        )
        st.dataframe(table, hide_index=True, width="stretch")
        common.downloads(areas.drop(columns=["is_statistical_region"]), f"dia_ban_{code}")
