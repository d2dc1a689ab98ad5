"""Chất lượng dữ liệu / Data quality: the latest quality run, failed
expectations, rule violations and outliers with their values, the history of
runs, the latest build's tests and the submissions rejected in the period."""

import pandas as pd
import streamlit as st

from dashboards import common, queries
from dashboards.i18n import lang, moment, name_col, num, t
from netsafe import dates, services
from netsafe.quality import wording
from netsafe.settings import get_settings

period = common.current_period()
if period is not None:
    code = period.period_code
    st.title(f"{t('page_quality')} — {common.period_label(period)}")
    message = "message_vi" if lang() == "vi" else "message_en"

    st.subheader(t("latest_run"))
    runs = queries.quality_runs()
    period_runs = runs[runs.period_code == code] if not runs.empty else runs
    if period_runs.empty:
        st.info(f"{t('no_runs')} (`netsafe check --period {code}`)")
    else:
        latest = period_runs.iloc[0]
        cols = st.columns(5)
        cols[0].metric(t("status"), t("run_pass") if latest.status == "pass" else t("run_fail"))
        cols[1].metric(
            t("expectations"),
            f"{num(latest.expectations_total - latest.expectations_failed)}/{num(latest.expectations_total)}",
        )
        cols[2].metric(t("rule_errors"), num(latest.rule_errors))
        cols[3].metric(t("outliers"), num(latest.outliers))
        cols[4].metric(t("period"), common.period_label(period))
        st.caption(f"{t('run_at')}: {moment(latest.started_at)} · `netsafe check --period {code}`")
        failures = queries.quality_failures(latest.run_id)
        failed_expectations = failures[failures.check_kind.isin(["expectation", "dbt_test"])]
        if failed_expectations.empty:
            st.success(t("all_expectations_pass"))
        else:
            common.show_table(
                failed_expectations,
                [("severity", "severity", t), ("check", "check_name", None), ("table", "target", None)]
                + [("failed_count", "failed_count", num), ("details", message, None)],
            )

    st.subheader(t("rule_violations"))
    rules = queries.validation_violations(code)
    if rules.empty:
        st.success(t("no_rule_violations"))
    else:
        rule_name = "rule_name_vi" if lang() == "vi" else "rule_name_en"
        shown = rules.assign(
            who=rules[name_col()].fillna(rules.agency_code),
            left=rules.left_side.map(lambda side: wording.side_words(side, lang()))
            + " = "
            + rules.left_value.map(num),
            right=rules.right_side.map(lambda side: wording.side_words(side, lang()))
            + " = "
            + rules.right_value.map(num),
            operator_words=rules.operator.map(lambda operator: wording.operator_words(operator, lang())),
        )
        common.show_table(
            shown,
            [("severity", "severity", t), ("rule", rule_name, None), ("agency", "who", None)]
            + [
                ("left_side", "left", None),
                ("operator", "operator_words", None),
                ("right_side", "right", None),
            ],
        )
        common.downloads(rules, f"vi_pham_quy_tac_{code}")

    st.subheader(t("outliers"))
    flagged = queries.outliers(code)
    if flagged.empty:
        st.success(t("no_outliers"))
    else:
        shown = flagged.assign(
            expected_range=flagged.expected_low.map(num) + " – " + flagged.expected_high.map(num)
        )
        common.show_table(
            shown,
            [
                ("series", "series_kind", t),
                ("subject", f"subject_name_{lang()}", None),
                ("measure", f"measure_name_{lang()}", None),
            ]
            + [("value", "observed_value", num), ("expected_range", "expected_range", None)]
            + [("median", "history_median", lambda v: num(v, 1)), ("score", "score", lambda v: num(v, 2))]
            + [("method", "method", t)],
        )

    st.subheader(t("run_history"))
    runs = runs[runs.period_code == code] if not runs.empty else runs  # this period's runs
    if runs.empty:
        st.caption(t("no_runs"))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("run_at"): runs.started_at.map(moment),
                    t("period"): common.period_label(period),
                    t("status"): runs.status.map({"pass": t("run_pass"), "fail": t("run_fail")}),
                    t("expectations"): (runs.expectations_total - runs.expectations_failed).map(num)
                    + "/"
                    + runs.expectations_total.map(num),
                    t("rule_errors"): runs.rule_errors.map(num),
                    t("outliers"): runs.outliers.map(num),
                }
            ),
            hide_index=True,
            width="stretch",
        )

    st.subheader(t("dbt_tests"))
    last = services.last_build(get_settings())
    if last is not None:
        cols = st.columns(2)
        cols[0].metric(t("tests_passed"), f"{num(last.tests_passed)}/{num(last.tests_total)}")
        cols[1].metric(t("built_at"), moment(dates.from_stamp(last.built_at)))
        if last.failures:
            st.error("\n".join(last.failures))

    st.subheader(t("rejected_in_period"))
    history = queries.submission_history(period_code=code)
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
