"""netsafe dashboard: leadership trends, the analysts' submission tracker and
intake, and the stewards' quality view, in Vietnamese and English."""

from __future__ import annotations

import streamlit as st

from dashboards.common import sidebar, signed_in_user
from dashboards.i18n import t
from netsafe.settings import restrict_new_files

restrict_new_files()  # reports and archived uploads readable by their owner only

st.set_page_config(page_title="netsafe", page_icon=":material/shield:", layout="wide")
if "lang" not in st.session_state:
    st.session_state["lang"] = "vi"

user = signed_in_user()  # stops here with a sign-in page or a refusal when needed
st.session_state["user"] = user
sidebar()

# each page with the permission that opens it: a user sees only their pages
PAGES = [
    ("app_pages/overview.py", "page_overview", ":material/dashboard:", "view_all"),
    ("app_pages/violations.py", "page_violations", ":material/gavel:", "view_all"),
    ("app_pages/areas.py", "page_areas", ":material/map:", "view_all"),
    ("app_pages/agencies.py", "page_agencies", ":material/account_balance:", "view_all"),
    ("app_pages/submissions.py", "page_submissions", ":material/upload_file:", ("view_all", "ingest_own")),
    ("app_pages/quality.py", "page_quality", ":material/fact_check:", "view_all"),
    ("app_pages/report.py", "page_report", ":material/description:", "view_all"),
    ("app_pages/audit.py", "page_audit", ":material/history:", "audit"),
]
allowed = [
    (path, title, icon)
    for path, title, icon, needs in PAGES
    if any(user.can(permission) for permission in ((needs,) if isinstance(needs, str) else needs))
]
pages = [
    st.Page(path, title=t(title), icon=icon, default=index == 0)
    for index, (path, title, icon) in enumerate(allowed)
]
st.navigation(pages).run()
