"""A believable, deterministic demo data set, written through the landing
module like any received submission.

It covers every expected quarterly report from 2021-Q3 (the letter) to the
latest complete quarter: most agencies report on time, some late, two never;
one report is rejected then re-sent; the police send each report as two
machine parts (indicator values, then incident counts) and correct the
incident part of one; indicators are drawn consistently with each other and
with the incident rows (derived totals are never drawn); counts are small
and zero-inflated (domain.md), fraud rises year on year, gambling
peaks with big football tournaments, and a few planted anomalies give the
data stewards something to find (see PLANTED below).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from netsafe import dates, warehouse
from netsafe.contract import (
    INCIDENT_STAGES,
    IncidentCount,
    IndicatorValue,
    NarrativeEntry,
    SubmissionVersion,
    obligation_parts,
)
from netsafe.errors import NetsafeError
from netsafe.intake.reference import expected_reports
from netsafe.periods import get_period
from netsafe.scale import base_code
from netsafe.settings import Settings
from netsafe.store import open_store

FIRST_PERIOD = "2021-Q3"
SEED = 20210628  # the letter's date

# Agencies that never send anything (a few, as in real life).
NEVER_REPORT = ("BT_ETHNIC", "BT_DOJ")
# Agencies that are usually late (an island district, a busy department).
USUALLY_LATE = ("BT_PC_PHU_QUY", "BT_DOT", "BT_DOC")

# Quarters whose cut-off window holds a big football tournament: gambling peaks.
TOURNAMENT_QUARTERS = {
    "2021-Q3": 3.0,  # Euro 2020, June-July 2021
    "2022-Q4": 3.5,  # World Cup, Nov-Dec 2022
    "2024-Q1": 1.8,  # Asian Cup, Jan-Feb 2024
    "2024-Q3": 3.0,  # Euro 2024, June-July 2024
    "2026-Q3": 4.0,  # World Cup, June-July 2026
}

# Police detections per district and quarter (Poisson means before
# zero-inflation); the DIC's monitoring and the districts scale these.
POLICE_RATE = {
    "PERSONAL_DATA": 0.6,
    "FAKE_NEWS": 1.2,
    "DEFAMATION": 0.7,
    "ANTI_STATE": 0.3,
    "FRAUD": 2.2,
    "GAMBLING": 0.9,
    "TRADE_FRAUD": 0.6,
    "CYBER_ATTACK": 0.3,
    "MALWARE": 0.2,
}
DIC_RATE = {
    "PERSONAL_DATA": 0.4,
    "FAKE_NEWS": 2.0,
    "DEFAMATION": 0.8,
    "ANTI_STATE": 0.4,
    "FRAUD": 1.0,
    "GAMBLING": 0.8,
    "TRADE_FRAUD": 0.5,
    "CYBER_ATTACK": 0.2,
    "MALWARE": 0.3,
}
DISTRICT_SHARE = 0.35
AREA_WEIGHT = {
    "PHAN_THIET": 2.0,
    "LA_GI": 1.0,
    "TUY_PHONG": 0.9,
    "BAC_BINH": 0.8,
    "HAM_THUAN_BAC": 1.1,
    "HAM_THUAN_NAM": 0.8,
    "HAM_TAN": 0.6,
    "DUC_LINH": 0.9,
    "TANH_LINH": 0.7,
    "PHU_QUY": 0.2,
}
PROSECUTION_SHARE = {"FRAUD": 0.12, "ANTI_STATE": 0.2, "GAMBLING": 0.15, "CYBER_ATTACK": 0.1}
FINEABLE = {"PERSONAL_DATA", "FAKE_NEWS", "DEFAMATION", "GAMBLING", "TRADE_FRAUD"}
FINE_STEPS_VND = (5_000_000, 7_500_000, 10_000_000, 12_500_000, 15_000_000, 20_000_000)

# Indicator means per quarter by agency role (indicators not listed: 0-3).
INDICATOR_MEANS = {
    "PROPAGANDA_SESSIONS": 3,
    "PROPAGANDA_PARTICIPANTS": 180,
    "ARTICLES_PUBLISHED": 6,
    "CULTURE_CAMPAIGNS": 2,
    "CONTENT_APPRAISALS": 1,
    "SCHOOLS_REACHED": 25,
    "PUPILS_REACHED": 4_000,
    "BROADCAST_PROGRAMMES": 12,
    "BROADCAST_MINUTES": 240,
    "CASES_INVESTIGATED": 14,
    "CASES_PROSECUTED": 2,
    "PEOPLE_PROSECUTED": 3,
    "INSPECTIONS_CONDUCTED": 3,
    "VIOLATIONS_HANDLED": 6,
    "FINES_VND": 60_000_000,
    "CONTENT_REMOVED": 40,
}

# Anomalies a steward should catch: (agency, period, what).
PLANTED = {
    "fake_news_spike": ("BT_POLICE", "2023-Q2", "FAKE_NEWS detected 48 in Bắc Bình"),
    "fraud_spike": ("BT_POLICE", "2024-Q4", "FRAUD detected 45 in Hàm Tân"),
    "pupils_spike": ("BT_DOET", "2022-Q4", "PUPILS_REACHED ten times its usual value"),
    "fine_without_handling": ("BT_PC_TUY_PHONG", "2024-Q2", "GAMBLING fined with nothing handled"),
    "rejected_then_resent": ("BT_PC_LA_GI", "2023-Q4", "first file rejected, re-sent late"),
    "police_correction": ("BT_POLICE", "2024-Q3", "re-submitted ten days later with corrections"),
}


# the reports the planted anomalies are in: always sent
PLANTED_KEYS = {planted[:2] for planted in PLANTED.values()}


@dataclass(frozen=True)
class DemoSummary:
    submissions: int
    accepted: int
    rejected: int
    indicator_values: int
    incident_rows: int
    first_period: str
    last_period: str


def _reference(settings: Settings, until: date) -> dict[str, pd.DataFrame]:
    first_cutoff = pd.Timestamp(get_period(settings, FIRST_PERIOD).cutoff_end_date)
    expected = expected_reports(settings)
    cutoff_end = pd.to_datetime(expected.cutoff_end_date)
    expected = expected[(cutoff_end >= first_cutoff) & (cutoff_end < pd.Timestamp(until))]
    expected = expected.reset_index(drop=True)
    areas = warehouse.query(
        settings,
        "select area_code, parent_area_code from marts.dim_areas "
        "where area_level = 'district' order by area_code",
    )
    indicators = warehouse.query(
        settings,
        "select indicator_code, reporter_roles, is_derived from marts.dim_indicators order by display_order",
    )
    violation_types = warehouse.query(
        settings,
        "select violation_type_code from marts.dim_violation_types order by display_order",
    )
    tasks = warehouse.query(settings, "select task_number, assignee_roles from marts.dim_tasks")
    return {
        "tasks": {
            role: sorted(
                int(t.task_number) for t in tasks.itertuples() if role in str(t.assignee_roles).split("|")
            )
            for role in {r for t in tasks.itertuples() for r in str(t.assignee_roles).split("|")}
        },
        "expected": expected,
        "areas": areas,
        "indicators": indicators,
        "violation_types": violation_types,
    }


def _zero_inflated(rng: np.random.Generator, mean: float, zero_share: float = 0.45) -> int:
    if rng.random() < zero_share:
        return 0
    return int(rng.poisson(mean / (1 - zero_share)))


def _incidents(rng, row, areas, violation_types, period_code, year_index) -> list[IncidentCount]:
    """areas maps a reporting (province) area to its districts."""
    scope = row.incident_area_scope
    area_codes = [row.area_code] if scope == "own_area" else areas.get(row.reporting_area_code, [])
    rates = DIC_RATE if row.agency_kind == "dic" else POLICE_RATE
    share = DISTRICT_SHARE if row.agency_kind == "district" else 1.0
    counts = []
    for area_code in area_codes:
        weight = AREA_WEIGHT.get(base_code(area_code), 1.0)
        for code in violation_types:
            mean = rates[code] * share * weight
            if code == "FRAUD":
                mean *= 1 + 0.35 * year_index  # online fraud rising year on year
            if code == "GAMBLING":
                mean *= TOURNAMENT_QUARTERS.get(period_code, 1.0)
            detected = _zero_inflated(rng, mean)
            handled = int(rng.binomial(detected, 0.55 + 0.3 * rng.random())) if detected else 0
            fined = 0
            if code in FINEABLE and handled and row.agency_kind != "police":
                fined = int(sum(rng.choice(FINE_STEPS_VND) for _ in range(handled) if rng.random() < 0.6))
            removed = int(rng.binomial(detected, 0.7)) if row.agency_kind == "dic" and detected else 0
            prosecuted = None
            if row.reports_prosecutions:
                prosecuted = int(rng.binomial(handled, PROSECUTION_SHARE.get(code, 0.04)))
            counts.append(IncidentCount(area_code, code, detected, handled, fined, removed, prosecuted))
    return counts


# Indicators drawn together with the one they depend on, so no report says
# people attended no session: dependent indicator -> its driver. A driver is
# at least 1 (an agency that reports the task held something); the dependent
# keeps its own spread, and is 0 when its driver is.
PAIRED = {
    "PROPAGANDA_PARTICIPANTS": "PROPAGANDA_SESSIONS",
    "PUPILS_REACHED": "SCHOOLS_REACHED",
    "BROADCAST_MINUTES": "BROADCAST_PROGRAMMES",
}
DRIVERS = set(PAIRED.values())


def _draw(rng, mean: float) -> int:
    return int(rng.poisson(mean)) if mean < 1000 else int(rng.normal(mean, mean * 0.15))


def _indicators(rng, row, indicators, incidents) -> list[IndicatorValue]:
    """The agency's indicator values, consistent with each other and with its
    incident rows: derived indicators are not drawn (they are computed from
    the rows), dependent ones follow their driver, and the police's
    prosecution figures follow the prosecuted cases in their rows."""
    prosecuted = sum(c.prosecuted_cases or 0 for c in incidents)
    drawn: dict[str, int] = {}
    for indicator in indicators.itertuples():
        code = indicator.indicator_code
        if indicator.is_derived or row.agency_role not in indicator.reporter_roles.split("|"):
            continue
        mean = INDICATOR_MEANS.get(code, 2)
        if code.startswith("PROPAGANDA") and row.agency_kind == "district":
            mean *= 3
        if code in DRIVERS:
            value = 1 + _draw(rng, max(mean - 1, 0))
        elif code in PAIRED:
            value = _draw(rng, mean) if drawn.get(PAIRED[code], 0) else 0
        elif code == "PEOPLE_PROSECUTED":
            value = prosecuted + int(rng.poisson(0.6 * prosecuted))  # a case has one or more accused
        elif code == "CASES_INVESTIGATED":
            value = prosecuted + int(rng.poisson(mean))
        else:
            value = _draw(rng, mean)
        drawn[code] = max(value, 0)
    return [IndicatorValue(code, value) for code, value in drawn.items()]


# The incident rows each planted anomaly overwrites: which rows, and their
# stages (detected, handled, fined_vnd, removed_items, prosecuted_cases).
PLANTED_INCIDENTS = {
    "fake_news_spike": (
        lambda c: (c.area_code, c.violation_type_code) == ("BAC_BINH", "FAKE_NEWS"),
        (48, 30, 0, 0, 2),
    ),
    "fraud_spike": (
        lambda c: (c.area_code, c.violation_type_code) == ("HAM_TAN", "FRAUD"),
        (45, 31, 0, 0, 4),
    ),
    "fine_without_handling": (lambda c: c.violation_type_code == "GAMBLING", (2, 0, 15_000_000, 0, None)),
}


def _plant_incidents(agency_code: str, period_code: str, incidents):
    """Apply the planted incident anomalies of PLANTED to one report's rows."""
    key = (agency_code, period_code)
    for name, (matches, stages) in PLANTED_INCIDENTS.items():
        if key == PLANTED[name][:2]:
            values = dict(zip(INCIDENT_STAGES, stages, strict=True))
            incidents = [replace(row, **values) if matches(row) else row for row in incidents]
    return incidents


def _plant(agency_code: str, period_code: str, indicators, incidents):
    """Apply the planted indicator anomalies of PLANTED to one report's values."""
    key = (agency_code, period_code)
    if key == PLANTED["pupils_spike"][:2]:
        spiked = {"PUPILS_REACHED": 40_000}
        schools = next((v.value for v in indicators if v.indicator_code == "SCHOOLS_REACHED"), 0)
        spiked["SCHOOLS_REACHED"] = max(schools, 30)  # a spike, not a contradiction
        indicators = [replace(v, value=spiked.get(v.indicator_code, v.value)) for v in indicators]
    return indicators, incidents


def _content(agency_code, period_code, version, indicators, incidents) -> bytes:
    document = {
        "generator": "netsafe demo",
        "agency_code": agency_code,
        "period_code": period_code,
        "version": version,
        "indicator_values": [[v.indicator_code, float(v.value)] for v in indicators],
        "incident_counts": [
            [
                c.area_code,
                c.violation_type_code,
                c.detected,
                c.handled,
                c.fined_vnd,
                c.removed_items,
                c.prosecuted_cases,
            ]
            for c in incidents
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


LANDING_DELAY = timedelta(minutes=30)

# What agencies write in the template's narrative sheet (demo text, by kind of
# agency). About one report in three has some: chosen by a hash, not by the
# random draws, so the figures stay the same data set.
DEMO_DIFFICULTIES = {
    "department": (
        "Cán bộ phụ trách công nghệ thông tin kiêm nhiệm nhiều việc, chưa được bồi dưỡng "
        "chuyên sâu về nhận diện thông tin xấu độc, lừa đảo trên mạng."
    ),
    "district": (
        "Lực lượng làm công tác thông tin cơ sở mỏng; hệ thống truyền thanh ở một số xã xuống cấp "
        "nên việc cảnh báo lừa đảo trên mạng chưa đến được người dân vùng sâu."
    ),
    "dic": (
        "Việc xác minh chủ tài khoản đăng tin sai sự thật còn khó khăn do máy chủ đặt ở nước ngoài; "
        "phối hợp với doanh nghiệp cung cấp nền tảng chưa kịp thời."
    ),
    "broadcaster": "Kinh phí sản xuất chuyên mục về an toàn thông tin trên mạng còn hạn chế.",
}
DEMO_PROPOSALS = {
    "department": (
        "Đề nghị Sở tổ chức tập huấn nhận diện thông tin xấu độc, lừa đảo trực tuyến cho cán bộ "
        "đầu mối của các sở, ngành."
    ),
    "district": (
        "Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí nâng cấp hệ thống truyền thanh cơ sở phục vụ "
        "tuyên truyền, cảnh báo."
    ),
    "dic": (
        "Đề nghị Bộ hỗ trợ công cụ giám sát, phát hiện thông tin vi phạm trên mạng và đầu mối "
        "phối hợp với các nền tảng xuyên biên giới."
    ),
    "broadcaster": "Đề nghị hỗ trợ kinh phí sản xuất chương trình chuyên đề phòng, chống lừa đảo trên mạng.",
}
DEMO_RESULTS = "Triển khai kịp thời các văn bản chỉ đạo; phối hợp chặt chẽ với các đơn vị liên quan trong kỳ."


def _with_narrative(version: SubmissionVersion, row, tasks: dict[str, list[int]]) -> SubmissionVersion:
    """A filled template sometimes carries answers on its narrative sheet."""
    if (
        version.status != "accepted"
        or not version.source_file_name.endswith(".xlsx")
        or zlib.crc32(f"{row.agency_code}/{row.period_code}".encode()) % 3
    ):
        return version
    kind = row.agency_kind if row.agency_kind in DEMO_DIFFICULTIES else "department"
    entries = [
        NarrativeEntry("results", number, DEMO_RESULTS) for number in tasks.get(row.agency_role, [])[:1]
    ]
    entries += [
        NarrativeEntry("difficulties", None, DEMO_DIFFICULTIES[kind]),
        NarrativeEntry("proposals", None, DEMO_PROPOSALS[kind]),
    ]
    parts = (*version.parts, "narrative") if version.parts is not None else None
    return replace(version, narratives=tuple(entries), parts=parts)


def _received_at(rng, row, late: bool) -> datetime:
    deadline: date = pd.Timestamp(row.reporter_deadline_date).date()
    cutoff_end: date = pd.Timestamp(row.cutoff_end_date).date()
    if late:
        day = deadline + timedelta(days=int(rng.integers(1, 26)))
    else:
        day = cutoff_end + timedelta(days=int(rng.integers(0, (deadline - cutoff_end).days + 1)))
    return datetime.combine(day, time(hour=int(rng.integers(1, 10)), minute=int(rng.integers(0, 60))))


def build_versions(settings: Settings, until: date) -> list[SubmissionVersion]:
    ref = _reference(settings, until)
    expected = ref["expected"]
    if expected.empty:
        raise NetsafeError(
            "Không có báo cáo nào phải nộp trong khoảng thời gian của dữ liệu mẫu.",
            "No expected reports fall in the demo data's time range.",
        )
    rng = np.random.default_rng(SEED)
    areas: dict[str, list[str]] = {}
    for area in ref["areas"].itertuples():
        areas.setdefault(area.parent_area_code, []).append(area.area_code)
    violation_types = ref["violation_types"].violation_type_code.tolist()
    versions: list[SubmissionVersion] = []
    for row in expected.itertuples():
        reported = _report_versions(rng, row, ref["indicators"], areas, violation_types)
        versions.extend(_with_narrative(version, row, ref["tasks"]) for version in reported)
    # a simulated history: each file landed shortly after it was received, so
    # documents dated in the past see what was known on their date
    return [replace(version, landed_at=version.received_at + LANDING_DELAY) for version in versions]


def _report_versions(rng, row, indicators, areas, violation_types) -> list[SubmissionVersion]:
    """What one agency sent for one period: nothing, one version, or the planted
    rejected-then-resent and corrected cases (the draws' order is fixed: the
    data set depends on it)."""
    agency, period = row.agency_code, row.period_code
    if base_code(agency) in NEVER_REPORT:
        return []
    always = row.agency_kind in ("police", "dic")
    if not always and rng.random() < 0.06 and (agency, period) not in PLANTED_KEYS:
        return []  # missing this period
    late = rng.random() < (0.55 if base_code(agency) in USUALLY_LATE else 0.12)
    year_index = int(period[:4]) - int(FIRST_PERIOD[:4])
    incidents = (
        _incidents(rng, row, areas, violation_types, period, year_index) if row.reports_incidents else []
    )
    incidents = _plant_incidents(agency, period, incidents)
    values = _indicators(rng, row, indicators, incidents)
    values, incidents = _plant(agency, period, values, incidents)
    received = _received_at(rng, row, late)
    channel = str(rng.choice(("email", "upload", "paper"), p=(0.5, 0.3, 0.2)))
    name = f"{agency}_{period}"
    versions: list[SubmissionVersion] = []
    if (agency, period) == PLANTED["rejected_then_resent"][:2]:
        versions.append(_rejected_first(agency, period, received, late))
        received = pd.Timestamp(row.reporter_deadline_date).to_pydatetime() + timedelta(days=9, hours=8)
    if row.agency_kind == "police":
        versions.extend(_machine_parts(agency, period, received, values, incidents))
    else:
        versions.append(
            SubmissionVersion(
                content=_content(agency, period, 1, values, incidents),
                source_file_name=f"{name}.xlsx",
                agency_code=agency,
                period_code=period,
                received_at=received,
                channel=channel,
                indicator_values=tuple(values),
                incident_counts=tuple(incidents),
                parts=obligation_parts(row.reports_indicators, row.reports_incidents),
            )
        )
    if (agency, period) == PLANTED["police_correction"][:2]:
        versions.append(_police_correction(agency, period, received, incidents))
    return versions


def _machine_parts(agency, period, received, values, incidents) -> list[SubmissionVersion]:
    """The police send by machine, one CSV per part: indicator values (with
    the prosecuted cases their system also exports, equal to their rows, as a
    derived indicator sent anyway is checked to be), then incident counts."""
    mirrored = [IndicatorValue("CASES_PROSECUTED", sum(c.prosecuted_cases or 0 for c in incidents))]
    parts = (
        ("indicators", tuple(values) + tuple(mirrored), (), received),
        ("incidents", (), tuple(incidents), received + timedelta(hours=1)),
    )
    return [
        SubmissionVersion(
            content=_content(agency, f"{period}/{part}", 1, list(part_values), list(part_incidents)),
            source_file_name=f"{agency}_{period}_{part}.csv",
            agency_code=agency,
            period_code=period,
            received_at=moment,
            channel="api",
            indicator_values=part_values,
            incident_counts=part_incidents,
            parts=(part,),
        )
        for part, part_values, part_incidents, moment in parts
    ]


def _rejected_first(agency: str, period: str, received: datetime, late: bool) -> SubmissionVersion:
    return SubmissionVersion(
        content=_content(agency, period, 0, [], []) + b" ",
        source_file_name=f"{agency}_{period}.xlsx",
        agency_code=agency,
        period_code=period,
        received_at=received - timedelta(days=3) if not late else received,
        channel="email",
        status="rejected",
        note=(
            "Trang 'Vụ việc', dòng 7, cột 'Đã xử lý': số đã xử lý (5) lớn hơn số "
            "phát hiện (3); hãy sửa lại. / Sheet 'Vụ việc', row 7, column 'Handled': "
            "handled (5) exceeds detected (3); fix it."
        ),
    )


def _police_correction(agency, period, received, incidents) -> SubmissionVersion:
    """A corrected incident part: the indicator part sent before stays in use."""
    corrected = [
        replace(c, detected=c.detected + 2, handled=c.handled + 1)
        if c.violation_type_code == "FRAUD" and c.area_code == "PHAN_THIET"
        else c
        for c in incidents
    ]
    return SubmissionVersion(
        content=_content(agency, f"{period}/incidents", 2, [], corrected),
        source_file_name=f"{agency}_{period}_incidents_bo_sung.csv",
        agency_code=agency,
        period_code=period,
        received_at=received + timedelta(days=10),
        channel="api",
        note="Báo cáo bổ sung, điều chỉnh số liệu lừa đảo tại Phan Thiết.",
        incident_counts=tuple(corrected),
        parts=("incidents",),
    )


def generate(settings: Settings, until: date | None = None) -> DemoSummary:
    """Land the demo data set into an empty raw landing."""
    existing = open_store(settings).submission_count()
    if existing:
        raise NetsafeError(
            f"Kho dữ liệu thô đã có {existing} báo cáo; dữ liệu mẫu chỉ nạp vào kho trống "
            "(kho thô chỉ ghi thêm, không xóa).",
            f"The raw landing already holds {existing} submissions; demo data only goes into "
            "an empty landing (raw is append-only).",
        )
    versions = build_versions(settings, until or dates.today())
    results = open_store(settings).land(versions, bulk=True)
    periods = sorted({v.period_code for v in versions})
    return DemoSummary(
        submissions=len(results),
        accepted=sum(1 for v in versions if v.status == "accepted"),
        rejected=sum(1 for v in versions if v.status == "rejected"),
        indicator_values=sum(len(v.indicator_values) for v in versions),
        incident_rows=sum(len(v.incident_counts) for v in versions),
        first_period=periods[0],
        last_period=periods[-1],
    )
