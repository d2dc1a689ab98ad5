"""Địa bàn / Areas: counts per district-level unit and rates per 100,000
people where the population is known (ranked chart; no map tiles offline)."""

import streamlit as st

from dashboards import common, queries
from dashboards.i18n import name_col, t

AREA_COLUMNS = ["detected", "handled", "prosecuted_cases", "population", "per_100k"]
AREA_COLUMNS += ["detected_change_rate_vs_previous", "detected_change_rate_vs_last_year"]

period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_areas')} — {common.period_label(period)}")
    areas = queries.area_incidents(code)
    if areas.empty or areas.detected.sum() == 0:
        st.info(t("no_period_data"))
    else:
        areas = areas.rename(columns={"detected_per_100k": "per_100k"})
        chart = common.ranked_bars(
            areas,
            "detected",
            f"{t('ranked_areas')} — {common.period_label(period)}",
            x_title=f"{t('detected')} ({t('cases').lower()})",
            color="#4e79a7",
            height=360,
            tooltip=["detected", "handled", "per_100k"],
        )
        st.altair_chart(chart, width="stretch")
        known = areas[areas.has_population]
        if not known.empty:
            title = f"{t('per_100k')} — {common.period_label(period)}"
            tooltip = ["per_100k", "population"]
            rate_chart = common.ranked_bars(
                known, "per_100k", title, color="#f28e2b", height=200, tooltip=tooltip
            )
            st.altair_chart(rate_chart, width="stretch")
        unknown = areas[~areas.has_population.astype(bool)]
        # areas without a population are named, never silently left out of the ranking
        names = ", ".join(unknown[name_col()])
        missing = f" {t('population_unknown')}: {names}." if names else ""
        st.caption(t("population_note") + missing + " " + t("statistical_region_note"))

        common.show_table(
            areas,
            [("area", name_col(), None), *AREA_COLUMNS],
        )
        common.downloads(areas.drop(columns=["is_statistical_region"]), f"dia_ban_{code}")
