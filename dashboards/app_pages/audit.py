"""Nhật ký / Audit trail: every state change (ingests, withdrawals,
approvals, reopenings, reports, reminders, user changes), who did it, in
which role, from where; for leaders and administrators."""

import streamlit as st

from dashboards import common, queries
from dashboards.i18n import TEXT, moment, t


def role_words(role) -> str:
    return t(f"role_{role}") if f"role_{role}" in TEXT else str(role or "")


st.title(t("page_audit"))
period = common.current_period()
only_period = st.toggle(t("period"), value=period is not None, key="audit_only_period")
trail = queries.audit_trail(period.period_code if only_period and period is not None else None)
if trail.empty:
    st.info(t("audit_empty"))
else:
    common.show_table(
        trail.sort_values("acted_at", ascending=False),
        [
            ("acted_at", "acted_at", moment),
            ("actor", "actor", None),
            ("status", "role", role_words),
            ("action", "action", None),
            ("period", "period_code", None),
            ("object", "object", None),
            ("outcome", "outcome", None),
            ("details", "details", None),
            ("client_address", "client_address", None),
        ],
    )
