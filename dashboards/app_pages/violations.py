"""Vi phạm / Violations: each violation type over time, the provincial
figures (counting rule), who reported what, and drill-down to areas and
reporting agencies."""

import json

import altair as alt
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import label_col, lang, name_col, t

TYPE_COLUMNS = ["detected", "handled", "handled_rate", "fined_vnd", "removed_items", "prosecuted_cases"]
TYPE_COLUMNS += ["detected_change_rate_vs_previous", "detected_change_rate_vs_last_year"]

period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_violations')} — {common.period_label(period)}")

    trend = queries.violation_trend("quarterly")
    if not trend.empty:
        # small multiples: one panel per type on a shared scale (nine stacked
        # colours cannot be read), each with the chosen period and the
        # reorganisation marked
        st.subheader(t("by_type_over_time"))
        st.caption(t("small_multiples_note"))
        top = float(trend.detected.max() or 1)
        # a label every fourth quarter keeps the small panels legible
        every_fourth = trend.drop_duplicates("period_code")[label_col()].tolist()[::4]
        shown = json.dumps(every_fourth, ensure_ascii=False)
        x = common.period_axis(
            trend, labelAngle=-90, labelExpr=f"indexof({shown}, datum.label) >= 0 ? datum.label : ''"
        )
        panels = []
        for name, rows in trend.groupby(name_col(), sort=False):
            colour = rows.color_hex.iat[0]
            line = (
                alt.Chart(rows, title=alt.TitleParams(name, fontSize=12, anchor="start", limit=200))
                .mark_line(point=alt.OverlayMarkDef(size=14, color=colour), color=colour)
                .encode(
                    x=x,
                    y=alt.Y("detected:Q", title=None, scale=alt.Scale(domain=[0, top])),
                    tooltip=[label_col(), "detected", "handled"],
                )
                .properties(height=140, width=200)
            )
            panels.append(common.with_period_marks(line, trend, code, labels=False))
        st.altair_chart(alt.concat(*panels, columns=3), width="content")

    summary = queries.violation_summary((code,))
    if summary.empty or summary.detected.sum() == 0:
        st.info(t("no_period_data"))
    else:
        common.show_table(
            summary,
            [("violation_type", name_col(), None), *TYPE_COLUMNS],
            static=True,
        )
        common.downloads(
            summary[
                [
                    "violation_type_code",
                    name_col(),
                    "period_code",
                    "detected",
                    "handled",
                    "handled_rate",
                    "fined_vnd",
                    "removed_items",
                    "prosecuted_cases",
                    "detected_previous",
                    "detected_last_year",
                ]
            ],
            f"vi_pham_{code}",
        )

        st.subheader(t("by_source"))
        st.caption(t("by_source_note"))
        sources = queries.violation_by_source(code)
        common.show_table(
            common.counted_stages(sources),
            [
                ("source", f"agency_kind_name_{lang()}", None),
                "detected",
                "handled",
                "handled_rate",
                "fined_vnd",
                "removed_items",
                "prosecuted_cases",
                ("counted", "counted_stages", None),
            ],
            static=True,
        )

        st.subheader(t("drill_down"))
        types = queries.violation_types()
        names = dict(zip(types.violation_type_code, types[name_col()], strict=True))
        chosen = st.selectbox(
            t("violation_type"), types.violation_type_code.tolist(), format_func=names.get, key="drill_type"
        )
        basis = types[types.violation_type_code == chosen].iloc[0]
        st.markdown(
            f"**{t('legal_basis')}** — {t('penal_code')}: "
            f"{common.plain(basis.penal_code_basis if lang() == 'vi' else basis.penal_code_basis_en)}; "
            f"{t('administrative')}: "
            f"{common.plain(basis.administrative_basis if lang() == 'vi' else basis.administrative_basis_en)}"
        )
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{t('by_area')}**")
            by_area = queries.area_by_type(code, chosen)
            common.show_table(
                by_area,
                [("area", name_col(), None), "detected", "handled"],
            )
        with right:
            st.markdown(f"**{t('by_agency')}**")
            by_agency = queries.agency_by_type(code, chosen)
            common.show_table(
                by_agency,
                [("agency", name_col(), None), "detected", "handled", "prosecuted_cases"],
                static=True,
            )
        if lang() == "vi" and not bool(basis.is_basis_confirmed):
            st.caption("Căn cứ có ghi “chưa xác nhận” là thông tin tốt nhất hiện có, cần rà soát.")
