"""The workflows both the command line and the dashboard run: build (with demo
data when empty), templates, ingest then rebuild, feedback, the consolidated
report, reminder letters and the quality check.

`netsafe.cli` and the dashboard's pages call these and hold no workflow logic
of their own, so a change to a workflow is made once. The report and quality
modules are imported on use: python-docx and Great Expectations are slow to
import, and most commands never need them.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from netsafe import access, audit, dates, demo, submissions, warehouse, worker
from netsafe import build as builder
from netsafe.contract import CHANNELS
from netsafe.errors import NetsafeError
from netsafe.intake import feedback, ingest, templates
from netsafe.intake.reference import load as load_reference
from netsafe.periods import get_period
from netsafe.scale import write_scaled_seeds
from netsafe.settings import Settings
from netsafe.store import open_store
from netsafe.succession import Succession


# -- who acts ------------------------------------------------------------------
@dataclass(frozen=True)
class Acting:
    """Who does something: the identity recorded in the audit trail, the role
    it acts in, its permissions, and the client address for dashboard actions."""

    identity: str
    user: access.User
    client_address: str | None = None

    @property
    def role(self) -> str:
        return self.user.role


def cli_acting(actor: str | None = None) -> Acting:
    """The operator at the server's command line: every permission (the
    machine is theirs), recorded under --actor, NETSAFE_ACTOR or the
    operating-system user."""
    return Acting(
        current_actor(actor), access.User(current_actor(actor), "cli", None, access.LOCAL_USER.permissions)
    )


def _audit(settings: Settings, by: Acting, action: str, **fields) -> None:
    """One audit row for what `by` did (identity, role and address filled in)."""
    audit.record(
        settings, actor=by.identity, role=by.role, action=action, client_address=by.client_address, **fields
    )


def require(by: Acting, permission: str, *, action: str, settings: Settings, period_code: str | None = None):
    """Refuse (and audit the refusal) when the acting user lacks a permission."""
    if by.user.can(permission):
        return
    _audit(
        settings,
        by,
        action,
        period_code=period_code,
        outcome="refused",
        details=f"missing permission {permission}",
    )
    raise NetsafeError(
        "Bạn không có quyền thực hiện việc này; hãy liên hệ quản trị hệ thống.",
        "You are not allowed to do this; ask the administrator.",
    )


# -- building ------------------------------------------------------------------
def build_warehouse(
    settings: Settings, *, full_refresh: bool = False, demo_if_empty: bool = False, quiet: bool = False
):
    """Build and publish; with demo_if_empty, land the demo data into an empty
    raw landing and build again. Returns (build result, demo summary or None)."""
    result = builder.build(settings, full_refresh=full_refresh, quiet=quiet)
    if demo_if_empty and open_store(settings).submission_count() == 0:
        summary = demo.generate(settings)
        return builder.build(settings, quiet=quiet), summary
    return result, None


def load_demo(settings: Settings, until: date | None = None, scale: int = 1):
    """Land the demo data set (scale > 1: that many copies of the province)."""
    if scale > 1:
        if open_store(settings).submission_count():
            raise NetsafeError("Chỉ nhân quy mô trên kho thô trống.", "--scale needs an empty raw landing.")
        write_scaled_seeds(settings, scale)
        builder.build(settings)
    elif not warehouse.exists(settings):
        builder.build(settings)
    return demo.generate(settings, until)


def last_build(settings: Settings):
    return builder.last_build(settings)


# -- templates -----------------------------------------------------------------
def template_file(settings: Settings, agency_code: str, period_code: str) -> tuple[str, bytes]:
    """An agency's Excel template for a period: (file name, bytes)."""
    buffer = io.BytesIO()
    templates.build_workbook(load_reference(settings), agency_code, period_code).save(buffer)
    return templates.template_file_name(agency_code, period_code), buffer.getvalue()


def write_templates(
    settings: Settings, period_code: str, agency_code: str | None, output: Path | None
) -> list[Path]:
    """One agency's template (output: a file) or every expected agency's
    (agency_code None; output: a folder)."""
    reference = load_reference(settings)
    if agency_code:
        path = output or Path(templates.template_file_name(agency_code, period_code))
        templates.write_template(reference, agency_code, period_code, path)
        return [path]
    directory = output or Path(f"mau_bao_cao_{period_code}")
    agencies = reference.expected_agencies(period_code)
    if not agencies:
        raise NetsafeError(
            f"Không có đơn vị nào phải báo cáo kỳ {period_code}.",
            f"No agency is expected to report for {period_code}.",
        )
    paths = []
    for code in agencies:
        path = directory / templates.template_file_name(code, period_code)
        templates.write_template(reference, code, period_code, path)
        paths.append(path)
    return paths


# -- intake --------------------------------------------------------------------
@dataclass
class IngestRun:
    """What happened to each file, and to the warehouse afterwards."""

    outcomes: list = field(default_factory=list)
    build: object | None = None
    build_error: NetsafeError | None = None

    @property
    def any_accepted(self) -> bool:
        """Something changed what is in use: a new version, or an old one re-sent."""
        return any(outcome.status in ("accepted", "resent") for outcome in self.outcomes)

    @property
    def any_rejected(self) -> bool:
        return any(outcome.is_rejected for outcome in self.outcomes)


def ingest_files(
    settings: Settings,
    files: Iterable[tuple[str, bytes]],
    *,
    received_on: date | None = None,
    channel: str = "upload",
    rebuild: bool = True,
    raise_build_errors: bool = True,
    by: Acting | None = None,
    progress=None,
) -> IngestRun:
    """Check and land every file (each with its own verdict), then rebuild
    once if any was accepted. An agency reporter lands only their own
    agency's files (or those of its predecessor or successor), received now
    through the upload channel; only analysts record a paper or e-mail
    receipt with its date. Every file's verdict is audited."""
    by = by or cli_acting()
    if channel not in CHANNELS:
        raise NetsafeError(
            f"Kênh {channel!r} không hợp lệ; chọn một trong {', '.join(CHANNELS)}.",
            f"Channel {channel!r} is not valid; use one of {', '.join(CHANNELS)}.",
        )
    guard = None
    if not by.user.can("ingest_any"):
        require(by, "ingest_own", action="ingest", settings=settings)
        received_on, channel = None, "upload"
        own = related_agencies(settings, by.user.agency_code)
        guard = _own_agency_guard(settings, by, own)
    run = IngestRun(
        outcomes=ingest.ingest(
            settings,
            list(files),
            load_reference(settings),
            received_on=received_on,
            channel=channel,
            guard=guard,
            progress=progress,
        )
    )
    for outcome in run.outcomes:
        _audit(
            settings,
            by,
            "ingest",
            object_=f"{outcome.file_name} [{outcome.submission_id}]",
            period_code=outcome.period_code,
            outcome=outcome.status,
            details=f"agency={outcome.agency_code} channel={channel} rows={outcome.rows}",
        )
    if rebuild and run.any_accepted:
        try:
            # by the build worker when one runs (shared with other pending uploads)
            run.build = worker.request_build(settings, reason="ingest")
        except NetsafeError as error:
            if raise_build_errors:
                raise
            run.build_error = error
    return run


def files_from(paths: list[Path]) -> list[tuple[str, bytes]]:
    """Every report file the given files, folders and .zip files hold."""
    from netsafe.intake import bundle

    return bundle.expand(paths)


def related_agencies(settings: Settings, agency_code: str | None) -> frozenset[str]:
    """An agency with its predecessors and successors on the registry chain
    (a reporter of the merged department may send its predecessors' reports)."""
    if not agency_code:
        return frozenset()
    return Succession.served(settings).related(agency_code)


def _own_agency_guard(settings: Settings, by: Acting, own: frozenset[str]):
    def guard(name: str, agency_code: str | None) -> None:
        if agency_code is None or agency_code in own:
            return  # (an unreadable file lands as rejected, with its feedback)
        _audit(
            settings,
            by,
            "ingest",
            object_=name,
            outcome="refused",
            details=f"file for agency {agency_code}, user of {by.user.agency_code}",
        )
        raise NetsafeError(
            f"{name}: tệp là báo cáo của đơn vị khác ({agency_code}); bạn chỉ gửi được báo cáo của đơn vị "
            f"mình ({by.user.agency_code}). Chưa nhận tệp nào.",
            f"{name}: the file is another agency's report ({agency_code}); you may send only your own "
            f"agency's ({by.user.agency_code}). No file was received.",
        )

    return guard


def rows_to_drop(
    settings: Settings, files: Iterable[tuple[str, bytes]], *, received_on: date | None = None
) -> dict[str, list[str]]:
    """For each file that is a correction with fewer rows than the version in
    use: the rows that would disappear. Nothing is landed (the dashboard asks
    before landing such a file)."""
    prepared = ingest.check_files(
        settings, list(files), load_reference(settings), ingest.received_moment(received_on), "upload"
    )
    return {name: dropped for name, _, _, _, dropped in prepared if dropped}


def describe_outcome(outcome) -> str:
    return ingest.describe(outcome)


def feedback_file(outcome) -> tuple[str, bytes]:
    """The agency's workbook (or a new one for a CSV) with every problem
    marked, to send back: (file name, bytes)."""
    buffer = io.BytesIO()
    feedback.feedback_workbook(outcome.file_name, outcome.content, outcome.problems).save(buffer)
    return feedback.feedback_file_name(outcome.file_name, outcome.content), buffer.getvalue()


def write_feedback(directory: Path, outcome) -> Path:
    return feedback.write_feedback(directory, outcome.file_name, outcome.content, outcome.problems)


def current_actor(actor: str | None = None) -> str:
    """Who is acting: given, or NETSAFE_ACTOR, or the operating-system user."""
    import getpass
    import os

    return actor or os.environ.get("NETSAFE_ACTOR") or getpass.getuser()


def withdraw_submission(
    settings: Settings,
    submission_id: str,
    reason: str,
    *,
    actor: str | None = None,
    rebuild: bool = True,
    by: Acting | None = None,
):
    """Withdraw (void) a landed version: an appended event with who, when and
    why; nothing is deleted and the archive keeps the file. The marts then use
    the previous accepted version, or none. Returns the rebuild's result."""
    from netsafe.intake.read import MAX_TEXT
    from netsafe.store.base import submission_event

    by = by or cli_acting(actor)
    require(by, "withdraw", action="withdraw", settings=settings)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT:
        raise NetsafeError(
            "Hãy ghi lý do rút báo cáo (--reason, tối đa 2.000 ký tự).",
            "Give the reason for the withdrawal (--reason, at most 2,000 characters).",
        )
    store = open_store(settings)
    found = store.read_raw(
        """
        select submissions.submission_id, submissions.status,
               (select event_kind from raw.submission_events as events
                where events.submission_id = submissions.submission_id
                order by events.landed_at desc, events.event_id desc limit 1) as last_event
        from raw.submissions as submissions where submissions.submission_id = ?
        """,
        [submission_id],
    )
    if found.empty:
        raise NetsafeError(
            f"Không có phiên bản báo cáo mã {submission_id!r}; xem mã ở `netsafe submissions`.",
            f"No submission version {submission_id!r}; see the ids in `netsafe submissions`.",
        )
    if found.last_event.iat[0] == "withdrawn":
        raise NetsafeError(
            f"Phiên bản {submission_id} đã được rút trước đó.",
            f"Version {submission_id} is already withdrawn.",
        )
    store.append_record(
        "submission_events", submission_event(submission_id, "withdrawn", by.identity, reason)
    )
    _audit(settings, by, "withdraw", object_=submission_id, details=reason)
    return worker.request_build(settings, reason="withdraw") if rebuild else None


def status_text(settings: Settings) -> str:
    """What the warehouse holds, for the terminal."""
    from netsafe import status

    return status.render(status.collect(settings), settings)


def submissions_text(
    settings: Settings, period_code: str | None = None, agency_code: str | None = None
) -> str:
    """Every received version with its fate, for the terminal."""
    return submissions.render(list_submissions(settings, period_code, agency_code))


def list_submissions(settings: Settings, period_code: str | None = None, agency_code: str | None = None):
    return submissions.list_versions(settings, period=period_code, agency=agency_code)


# -- reports -------------------------------------------------------------------
def report_figures(settings: Settings, period_code: str):
    from netsafe.report import figures

    return figures.load(settings, period_code)


def draft_proposals(figures) -> list[str]:
    from netsafe.report.consolidated import default_proposals

    return default_proposals(figures)


def report_options(report_date: date | None = None, **overrides):
    from netsafe.report import generate

    return generate.default_options(report_date, **overrides)


def generate_report(
    settings: Settings,
    period_code: str,
    options,
    *,
    out_dir: Path | None = None,
    as_of: datetime | None = None,
    by: Acting | None = None,
):
    """The Decree 30 DOCX and its XLSX annex, kept, recorded and audited."""
    from netsafe.report import generate

    by = by or cli_acting()
    require(by, "report", action="report", settings=settings, period_code=period_code)
    try:
        result = generate.generate(settings, period_code, options, out_dir=out_dir, as_of=as_of)
    except NetsafeError as error:
        _audit(settings, by, "report", period_code=period_code, outcome="refused", details=error.en[:2000])
        raise
    _audit(
        settings,
        by,
        "report",
        object_=result.report_id,
        period_code=period_code,
        outcome="forced" if options.force else "ok",
        details=f"figures_sha256={result.figures_sha256}",
    )
    return result


def approve_period(settings: Settings, period_code: str, *, by: Acting | None = None):
    """A leader approves a period: its data cut and figures are pinned."""
    from netsafe import approvals

    by = by or cli_acting()
    require(by, "approve", action="approve", settings=settings, period_code=period_code)
    return approvals.approve(settings, period_code, actor=by.identity, role=by.role, client=by.client_address)


def reopen_period(settings: Settings, period_code: str, reason: str, *, by: Acting | None = None) -> None:
    from netsafe import approvals

    by = by or cli_acting()
    require(by, "approve", action="reopen", settings=settings, period_code=period_code)
    approvals.reopen(settings, period_code, reason, actor=by.identity, role=by.role, client=by.client_address)


def add_user(settings: Settings, email: str, role: str, agency_code: str | None, *, by: Acting | None = None):
    by = by or cli_acting()
    require(by, "manage_users", action="user_add", settings=settings)
    return access.add_user(settings, email, role, agency_code, actor=by.identity, actor_role=by.role)


def remove_user(settings: Settings, email: str, *, by: Acting | None = None) -> None:
    by = by or cli_acting()
    require(by, "manage_users", action="user_remove", settings=settings)
    access.remove_user(settings, email, actor=by.identity, actor_role=by.role)


def find_user(settings: Settings, identity: str | None):
    return access.find_user(settings, identity)


def users_text(settings: Settings) -> str:
    return access.render_users(access.list_users(settings))


def import_registry(settings: Settings, path: Path, *, by: Acting | None = None):
    """The province's list of commune People's Committees: checked (nothing
    lands if a row is wrong), archived, appended, audited, then built in."""
    from netsafe import registry

    by = by or cli_acting()
    require(by, "manage_registry", action="registry_import", settings=settings)
    if not path.is_file():
        raise NetsafeError(f"Không có tệp {path}.", f"No file {path}.")
    if path.stat().st_size > registry.MAX_BYTES:
        raise NetsafeError(
            f"{path.name}: tệp lớn quá {registry.MAX_BYTES // 1_000_000} MB; danh mục không lớn như vậy.",
            f"{path.name}: over {registry.MAX_BYTES // 1_000_000} MB; a registry is not that large.",
        )
    content = path.read_bytes()
    try:
        result = registry.import_file(settings, path.name, content, actor=by.identity)
    except NetsafeError as error:
        _audit(settings, by, "registry_import", object_=path.name, outcome="refused", details=error.en[:2000])
        raise
    _audit(
        settings,
        by,
        "registry_import",
        object_=path.name,
        details=f"{result.added} added, {result.replaced} replaced; sha256={result.file_sha256}",
    )
    builder.build(settings, quiet=True)
    return result


def grant_database_roles(settings: Settings, reader: str, intake: str) -> None:
    open_store(settings).grant_roles(reader, intake)


def approvals_text(settings: Settings) -> str:
    from netsafe import approvals

    return approvals.render(approvals.states(settings))


def audit_trail(settings: Settings, period_code: str | None = None, actor: str | None = None) -> pd.DataFrame:
    return audit.read(settings, period_code, actor)


def audit_text(settings: Settings, period_code: str | None = None, actor: str | None = None) -> str:
    return audit.render(audit.read(settings, period_code, actor))


def reminder_targets(
    settings: Settings, period_code: str, *, include_not_due: bool = False, on: date | None = None
) -> pd.DataFrame:
    """Who a letter dated `on` (default today) chases, as known that day."""
    from netsafe.report import reminders

    get_period(settings, period_code)  # an unknown period is an error, not "nobody to chase"
    options = reminder_options(on, include_not_due=include_not_due)
    return reminders.targets_on(settings, period_code, options)


def reminder_options(letter_date: date | None = None, **overrides):
    from netsafe.report import reminders

    return reminders.ReminderOptions(letter_date=letter_date or dates.today(), **overrides)


def write_reminders(
    settings: Settings,
    period_code: str,
    options,
    out_dir: Path | None = None,
    *,
    combined: bool = False,
    rows: pd.DataFrame | None = None,
    by: Acting | None = None,
) -> list[Path]:
    """Reminder letters (one per agency, or one to all), kept, recorded and
    audited; to `rows` from reminder_targets when already known."""
    from netsafe.report import reminders

    by = by or cli_acting()
    require(by, "remind", action="reminders", settings=settings, period_code=period_code)
    get_period(settings, period_code)
    out_dir = out_dir or settings.reports_dir / period_code
    paths = reminders.generate(settings, period_code, options, out_dir, combined=combined, rows=rows)
    _audit(
        settings,
        by,
        "reminders",
        period_code=period_code,
        object_=", ".join(path.name for path in paths),
        details=f"{len(paths)} letters",
    )
    return paths


def render_reminder_targets(rows: pd.DataFrame) -> str:
    from netsafe.report import reminders

    return reminders.render_list(rows)


# -- quality -------------------------------------------------------------------
def run_check(settings: Settings, period_code: str | None = None):
    """Expectation suites, rules, outliers and dbt tests; recorded."""
    from netsafe.quality import check

    return check.run_check(settings, period_code)


def render_check(report) -> str:
    from netsafe.quality import check

    return check.render(report)
