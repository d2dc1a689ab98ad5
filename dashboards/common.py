"""What every page shares: the sidebar (language, period type, period), the
guards for an empty warehouse, downloads and the violation-type colours."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from dashboards import i18n, queries
from dashboards.i18n import bound_t, day, label_col, lang, moment, name_col, t
from netsafe import access, dates, services
from netsafe.contract import PART_LABELS, PARTS
from netsafe.errors import NetsafeError
from netsafe.formatting import number, printable

REPORT_TYPES = ("quarterly", "half_year", "nine_months", "annual", "monthly")
STATUS_COLORS = {
    "on_time": "#59a14f",
    "late": "#f28e2b",
    "partial": "#edc948",
    "missing": "#e15759",
    "rejected": "#9c2f2f",
    "not_due": "#bab0ac",
}


def signed_in_user() -> access.User:
    """Who is using the dashboard. Without sign-in configured: the single
    local operator (the dashboard then listens on this machine only). With
    it: the signed-in identity's user, or a sign-in page, or a polite
    refusal for an identity that has no role; the script stops there."""
    if not access.sign_in_configured():
        return access.LOCAL_USER
    if not st.user.get("is_logged_in"):
        st.title("netsafe")
        st.write(t("sign_in_intro"))
        st.button(t("sign_in"), on_click=st.login, type="primary", key="sign_in")
        st.stop()
    identity = st.user.get("email")
    user = queries.user_for(identity) if identity else None
    if user is None:
        st.title("netsafe")
        st.warning(t("not_allowed").format(identity=plain(identity or "?")))
        st.button(t("sign_out"), on_click=st.logout, key="sign_out_refused")
        st.stop()
    with st.sidebar:
        st.text(f"{printable(user.identity)} · {t('role_' + user.role)}")  # text, never a link
        st.button(t("sign_out"), on_click=st.logout, key="sign_out")
    return user


def user() -> access.User:
    """The user of this session (set by streamlit_app.py before any page runs)."""
    return st.session_state.get("user", access.LOCAL_USER)


def acting() -> services.Acting:
    """The session's user as services record them: identity, role, address."""
    current = user()
    # Streamlit gives no address for a browser on this machine (nor a str in AppTest)
    address = st.context.ip_address
    return services.Acting(current.identity, current, address if isinstance(address, str) else "localhost")


def sidebar() -> None:
    """Language and period choice; sets session_state['period_code'] when data exists."""
    with st.sidebar:
        st.radio(
            "Ngôn ngữ / Language",
            options=["vi", "en"],
            format_func=lambda code: "Tiếng Việt" if code == "vi" else "English",
            key="lang",
            horizontal=True,
        )
        if not queries.available():
            return
        try:
            periods = queries.periods_with_data()
        except NetsafeError:
            return
        types = [rt for rt in REPORT_TYPES if rt in set(periods.report_type)]
        if not types:
            return
        if st.session_state.get("report_type") not in types:
            st.session_state["report_type"] = "quarterly" if "quarterly" in types else types[0]
        st.selectbox(t("period_type"), types, format_func=bound_t(), key="report_type")
        choices = periods[periods.report_type == st.session_state["report_type"]]
        complete = choices[pd.to_datetime(choices.cutoff_end_date).dt.date < dates.today()]
        codes = choices.period_code.tolist()
        default = (complete if not complete.empty else choices).period_code.iloc[-1]
        if st.session_state.get("period_code") not in codes:
            st.session_state["period_code"] = default
        labels = dict(zip(choices.period_code, choices[label_col()], strict=True))
        st.selectbox(t("period"), codes, format_func=lambda code: labels[code], key="period_code")
        row = choices[choices.period_code == st.session_state["period_code"]].iloc[0]
        st.caption(
            f"{t('cutoff')}: {day(row.cutoff_start_date)} – {day(row.cutoff_end_date)}  \n"
            f"{t('deadline')}: {day(row.reporter_deadline_date)}"
        )


def require_warehouse() -> bool:
    if not queries.available():
        st.info(t("no_warehouse"))
        return False
    return True


def current_period() -> pd.Series | None:
    """The chosen period's row, or None (with a message) when there is none."""
    if not require_warehouse():
        return None
    code = st.session_state.get("period_code")
    periods = queries.periods_with_data()
    if periods.empty or code is None:
        st.info(t("no_data"))
        return None
    return periods[periods.period_code == code].iloc[0]


def period_label(row: pd.Series) -> str:
    return row[label_col()]


def downloads(frame: pd.DataFrame, stem: str) -> None:
    """CSV and Excel downloads of a table, side by side."""
    left, right = st.columns(2)
    left.download_button(
        t("download_csv"),
        frame.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv-{stem}",
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    right.download_button(
        t("download_xlsx"),
        buffer.getvalue(),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"xlsx-{stem}",
    )


def violation_color_scale() -> alt.Scale:
    """The same colour for a violation type on every page."""
    types = queries.violation_types()
    names = types["name_vi" if lang() == "vi" else "name_en"].tolist()
    return alt.Scale(domain=names, range=types.color_hex.tolist())


# How each mart column is shown; a column's label is its i18n key.
COLUMN_FORMATS: dict[str, Callable] = {
    "detected": i18n.num,
    "handled": i18n.num,
    "fined_vnd": i18n.num,
    "removed_items": i18n.num,
    "prosecuted_cases": i18n.num,
    "population": i18n.num,
    "days_late": i18n.num,
    "handled_rate": i18n.pct,
    "per_100k": lambda v: i18n.num(v, 1),
    "change_vs_previous": i18n.signed_pct,
    "change_vs_last_year": i18n.signed_pct,
}
# Mart columns shown under another label.
COLUMN_LABELS = {
    "detected_change_rate_vs_previous": "change_vs_previous",
    "detected_change_rate_vs_last_year": "change_vs_last_year",
}


def show_table(frame: pd.DataFrame, columns: list, *, static: bool = False) -> None:
    """A table with translated headers. Each column is a mart column name
    (label and format from COLUMN_LABELS/COLUMN_FORMATS) or a tuple
    (label key, column, formatter or None). `static`: a short, wide table
    printed whole (headers wrap between words, numbers right-aligned), never
    cut off behind a horizontal scroll."""
    specs = []
    for column in columns:
        if isinstance(column, str):
            label = COLUMN_LABELS.get(column, column)
            column = (label, column, COLUMN_FORMATS.get(label))
        specs.append(column)
    shown = pd.DataFrame(
        {t(label): frame[column].map(fmt) if fmt else frame[column] for label, column, fmt in specs}
    )
    if static:
        numeric = [label for label, column, fmt in specs if fmt is not None]
        styled = (
            shown.style.hide(axis="index")
            .set_properties(subset=[t(label) for label in numeric], **{"text-align": "right"})
            .set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
        )
        st.table(styled)
        return
    st.dataframe(shown, hide_index=True, width="stretch")


def ranked_bars(
    frame: pd.DataFrame,
    x: str,
    title: str,
    *,
    height: int,
    tooltip: list[str],
    x_title: str | None = None,
    color: str = "#4e79a7",
) -> alt.Chart:
    """Horizontal bars of areas, largest first."""
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color=color)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title or t(x)),
            y=alt.Y(f"{name_col()}:N", sort="-x", title=t("area"), axis=alt.Axis(labelLimit=260)),
            tooltip=[name_col(), *tooltip],
        )
        .properties(height=height)
    )


def period_axis(periods: pd.DataFrame, **axis) -> alt.X:
    """The x channel of a trend over period labels, in time order (an explicit
    domain, so layers added to the chart cannot reorder it)."""
    order = periods.drop_duplicates("period_code").sort_values("cutoff_end_date")[label_col()].tolist()
    return alt.X(
        f"{label_col()}:N",
        sort=order,
        scale=alt.Scale(domain=order),
        title=axis.pop("title", None),
        axis=alt.Axis(**axis),
    )


def uploader_in_language() -> str:
    """Streamlit draws its file uploader's button and size limit in English
    only; this restyles both in the chosen language (the words stay in the
    page, so screen readers and AppTest see them). Returns the CSS."""
    limit = t("upload_limit").format(mb=st.get_option("server.maxUploadSize"))
    css = (
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
        "{font-size:0}"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f'{{content:"{t("upload_button")}";font-size:0.875rem}}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span{font-size:0}'
        '[data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f'{{content:"{limit}";font-size:0.875rem}}'
        "</style>"
    )
    st.markdown(css, unsafe_allow_html=True)
    return css


def with_period_marks(
    chart: alt.Chart, periods: pd.DataFrame, selected_code: str | None, *, labels: bool = True
) -> alt.LayerChart:
    """A trend chart over period labels (x from period_axis) with the chosen
    period (solid rule) and the 2025 reorganisation (dashed rule) marked,
    labelled unless `labels` is false (small multiples say it once in a
    caption). `periods` holds period_code, the label columns and cutoff_end_date."""
    periods = periods.drop_duplicates("period_code").sort_values("cutoff_end_date")
    order = periods[label_col()].tolist()
    marks = []
    chosen = periods[periods.period_code == selected_code]
    if not chosen.empty:
        marks.append({"x": chosen[label_col()].iat[0], "what": t("selected_period"), "dash": 0})
    since = queries.reorganisation_date()
    after = (
        periods[pd.to_datetime(periods.cutoff_end_date) >= since] if since is not None else periods.iloc[0:0]
    )
    if not after.empty and len(after) < len(periods):
        marks.append(
            {"x": after[label_col()].iat[0], "what": f"{t('reorganisation')} {day(since)}", "dash": 1}
        )
    if not marks:
        return alt.layer(chart)
    frame = pd.DataFrame(marks)
    frame["line"] = range(len(frame))  # one label under the other
    base = alt.Chart(frame).encode(x=alt.X("x:N", sort=order, scale=alt.Scale(domain=order)))
    rules = base.mark_rule(color="#555", strokeWidth=1.5).encode(
        strokeDash=alt.StrokeDash(
            "dash:N", scale=alt.Scale(domain=[0, 1], range=[[1, 0], [5, 4]]), legend=None
        ),
        tooltip=[alt.Tooltip("what:N", title=" ")],
    )
    if not labels:
        return alt.layer(chart, rules)
    texts = base.mark_text(align="right", dx=-4, baseline="top", color="#333", fontSize=11).encode(
        text="what:N", y=alt.Y("line:Q", scale=alt.Scale(domain=[0, 20], range=[0, 300]), axis=None)
    )
    return alt.layer(chart, rules, texts).resolve_scale(y="independent")


COUNTED_STAGES = ("detected", "handled", "fined_vnd", "removed_items", "prosecuted_cases")


def counted_stages(sources: pd.DataFrame) -> pd.DataFrame:
    """queries.violation_by_source with counted_stages: the stages (in words)
    the counting rule takes from each source into the provincial figures."""
    return sources.assign(
        counted_stages=[
            ", ".join(t(stage) for stage in COUNTED_STAGES if bool(getattr(row, f"{stage}_counts"))) or "—"
            for row in sources.itertuples()
        ]
    )


def counting_rule_note(period_code: str) -> str:
    """Whose figures make each provincial figure of the period, in words."""
    sources = queries.violation_by_source(period_code)
    groups: dict[str, list[str]] = {}
    for stage in COUNTED_STAGES:
        names = [
            getattr(row, f"agency_kind_name_{lang()}")
            for row in sources.itertuples()
            if bool(getattr(row, f"{stage}_counts"))
        ]
        if names:
            groups.setdefault(", ".join(names), []).append(t(stage).lower())
    rule = "; ".join(t("counted_from").format(stages=", ".join(s), sources=n) for n, s in groups.items())
    return t("counting_rule_note").format(rule=rule or "—")


def parts_words(parts) -> str:
    """'incidents,indicators' in the chosen language, in the contract's order."""
    if not isinstance(parts, str) or not parts:
        return ""
    index = 0 if lang() == "vi" else 1
    return " + ".join(PART_LABELS[part][index] for part in PARTS if part in parts.split(","))


def show_submission_history(history: pd.DataFrame, *, by_agency: bool) -> None:
    """Received versions with their fate: per agency over periods, or per
    period over agencies."""
    status = {"accepted": t("accepted_msg"), "rejected": t("rejected")}
    first = ("agency", name_col(), None) if by_agency else ("period", "period_code", None)
    frame = history.assign(**{name_col(): history[name_col()].fillna(history.agency_code)})
    show_table(
        frame,
        [
            first,
            ("version", "version_number", None),
            ("status", "submission_status", status.get),
            ("parts", "report_parts", parts_words),
            (
                "in_use",
                "parts_in_use",
                lambda in_use: f"✔ {parts_words(in_use)}" if isinstance(in_use, str) else "",
            ),
            ("received_at", "received_at", moment),
            ("days_late", "days_late", lambda v: number(v, lang())),
            ("channel", "channel", lambda code: t(f"channel_{code}") if isinstance(code, str) else "–"),
            ("file", "source_file_name", None),
            ("reasons", "note", lambda note: note if isinstance(note, str) else ""),
        ],
    )


# CommonMark's escapable punctuation that forms links, images, emphasis,
# HTML and maths, ":" so that "http://" is never auto-linked, and "@" so an
# e-mail address is never a mailto link
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@])")


def plain(text: str) -> str:
    """Text from outside (file names, agency-entered text) for a Markdown
    element: control characters removed and Markdown characters escaped, so it
    shows as typed and never as a link, an image or formatting."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", printable(str(text)))
