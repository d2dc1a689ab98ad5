"""netsafe dashboard: leadership trends, the analysts' submission tracker and
intake, and the stewards' quality view, in Vietnamese and English."""

from __future__ import annotations

import streamlit as st

from dashboards.common import sidebar
from dashboards.i18n import t
from netsafe.settings import restrict_new_files

restrict_new_files()  # reports and archived uploads readable by their owner only

st.set_page_config(page_title="netsafe", page_icon=":material/shield:", layout="wide")
if "lang" not in st.session_state:
    st.session_state["lang"] = "vi"

sidebar()

pages = [
    st.Page("app_pages/overview.py", title=t("page_overview"), icon=":material/dashboard:", default=True),
    st.Page("app_pages/violations.py", title=t("page_violations"), icon=":material/gavel:"),
    st.Page("app_pages/areas.py", title=t("page_areas"), icon=":material/map:"),
    st.Page("app_pages/agencies.py", title=t("page_agencies"), icon=":material/account_balance:"),
    st.Page("app_pages/submissions.py", title=t("page_submissions"), icon=":material/upload_file:"),
    st.Page("app_pages/quality.py", title=t("page_quality"), icon=":material/fact_check:"),
    st.Page("app_pages/report.py", title=t("page_report"), icon=":material/description:"),
]
st.navigation(pages).run()
