"""The raw contract: the vocabulary every part of netsafe shares about what
an agency sends and how it lands.

Intake, templates, the demo data, the quality suites and the store all
import these names; nothing else defines a stage, a channel, a status, a CSV
header or the template version.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

STATUSES = ("accepted", "rejected")
CHANNELS = ("email", "paper", "upload", "api")
TEMPLATE_VERSION = "NETSAFE-2"  # 2: the narrative sheet

# A report is made of parts. A version supersedes, for its agency × period,
# only the parts it carries: an incident CSV replaces the incident part and
# leaves the indicator values in use; a filled template carries every part.
PARTS = ("indicators", "incidents", "narrative")
PART_LABELS = {
    "indicators": ("giá trị chỉ tiêu", "indicator values"),
    "incidents": ("số vụ việc", "incident counts"),
    "narrative": ("nhận xét, kiến nghị", "narrative"),
}
# The narrative part (qualitative results per task, difficulties, proposals)
# travels with a filled template; a report is complete without it.
NARRATIVE_SECTIONS = ("results", "difficulties", "proposals")
MAX_NARRATIVE = 1000  # characters in one answer: a paragraph, not a document


def obligation_parts(reports_indicators: bool, reports_incidents: bool) -> tuple[str, ...]:
    """The parts a whole report must have under an obligation (the figures;
    the narrative is welcome but never required)."""
    held = {"indicators": bool(reports_indicators), "incidents": bool(reports_incidents)}
    return tuple(part for part in held if held[part])


@dataclass(frozen=True)
class NarrativeEntry:
    """One answer of an agency's narrative: its qualitative results on a task
    (section results, task_number set), its difficulties, or its proposals."""

    section: str
    task_number: int | None
    text: str

    def __post_init__(self) -> None:
        if self.section not in NARRATIVE_SECTIONS:
            raise ValueError(f"section must be one of {NARRATIVE_SECTIONS}, got {self.section!r}")


@dataclass(frozen=True)
class Stage:
    """A handling stage of incident counts: its raw column and its labels."""

    field: str
    label_vi: str
    label_en: str


STAGES = (
    Stage("detected", "Phát hiện (vụ)", "Detected (cases)"),
    Stage("handled", "Đã xử lý (vụ)", "Handled (cases)"),
    Stage("fined_vnd", "Tiền phạt (đồng)", "Fines (VND)"),
    Stage("removed_items", "Gỡ bỏ (tin, bài)", "Removed (items)"),
    Stage("prosecuted_cases", "Khởi tố (vụ)", "Prosecuted (cases)"),
)
INCIDENT_STAGES = tuple(stage.field for stage in STAGES)


def stages_for(reports_prosecutions: bool) -> tuple[Stage, ...]:
    """Prosecutions are reported by the police only (their obligation says so)."""
    return STAGES if reports_prosecutions else tuple(s for s in STAGES if s.field != "prosecuted_cases")


# The two CSV layouts for machine-to-machine senders, told apart by header.
INDICATOR_CSV_HEADER = ("agency_code", "period_code", "indicator_code", "value")
INCIDENT_CSV_HEADER = ("agency_code", "period_code", "area_code", "violation_type_code", *INCIDENT_STAGES)


@dataclass(frozen=True)
class IndicatorValue:
    indicator_code: str
    value: Decimal | int | float
    note: str | None = None


@dataclass(frozen=True)
class IncidentCount:
    area_code: str
    violation_type_code: str
    detected: int | None = None
    handled: int | None = None
    fined_vnd: int | None = None
    removed_items: int | None = None
    prosecuted_cases: int | None = None


@dataclass(frozen=True)
class SubmissionVersion:
    """One received file (or machine upload) and what it carries."""

    content: bytes
    source_file_name: str
    agency_code: str | None
    period_code: str | None
    received_at: datetime
    channel: str = "upload"
    status: str = "accepted"
    note: str | None = None
    template_version: str | None = None
    indicator_values: Sequence[IndicatorValue] = field(default_factory=tuple)
    incident_counts: Sequence[IncidentCount] = field(default_factory=tuple)
    narratives: Sequence[NarrativeEntry] = field(default_factory=tuple)
    # The report parts this version carries; None: every part for a filled
    # template, otherwise the parts it holds rows of (a CSV is one part).
    parts: tuple[str, ...] | None = None
    # When it landed, for a simulated history only (the demo's past quarters,
    # landed in bulk); intake always lands at the current moment.
    landed_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}, got {self.channel!r}")
        if self.status == "rejected" and (self.indicator_values or self.incident_counts or self.narratives):
            raise ValueError("a rejected submission lands no values")
        unknown = set(self.parts or ()) - set(PARTS)
        if unknown:
            raise ValueError(f"parts must be among {PARTS}, got {sorted(unknown)}")

    @property
    def carried_parts(self) -> tuple[str, ...]:
        """What this version replaces: nothing when rejected."""
        if self.status != "accepted":
            return ()
        if self.parts is not None:
            return tuple(part for part in PARTS if part in self.parts)
        if self.template_version:
            return PARTS
        held = {
            "indicators": bool(self.indicator_values),
            "incidents": bool(self.incident_counts),
            "narrative": bool(self.narratives),
        }
        return tuple(part for part in PARTS if held[part])

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def submission_id(self) -> str:
        return submission_id_for(self.sha256)

    @property
    def row_count(self) -> int:
        return len(self.indicator_values) + len(self.incident_counts)


@dataclass(frozen=True)
class LandedParts:
    """An agency's report parts in use for a period on raw landing: indicator
    values (None: no indicator part) and incident stage sums (None: no
    incident part)."""

    indicators: dict[str, Decimal] | None = None
    incident_sums: dict[str, Decimal] | None = None


@dataclass(frozen=True)
class ReportInUse:
    """An agency's report for a period as in use on raw landing: what a file
    for it is checked against. rows: each part in use, with its row keys
    (indicator codes; "AREA × TYPE" for incident rows)."""

    parts: LandedParts
    rows: dict[str, frozenset[str]]


def stage_sums(incident_counts: Sequence[IncidentCount]) -> dict[str, Decimal]:
    """Each stage summed over incident rows (a blank stage counts 0)."""
    return {
        stage: Decimal(sum(getattr(row, stage) or 0 for row in incident_counts)) for stage in INCIDENT_STAGES
    }


@dataclass(frozen=True)
class LandingResult:
    submission_id: str
    file_sha256: str
    status: str
    is_duplicate: bool
    received_at: datetime
    # the bytes of an earlier, superseded version came again: it is current again
    resent: bool = False


def submission_id_for(sha256: str) -> str:
    return sha256[:20]


def new_record_id(moment: datetime) -> str:
    """Ids of records and events: sortable by time, unique across processes
    (20261129T174752-3f2a9c)."""
    return moment.strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
