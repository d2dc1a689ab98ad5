"""Producing the consolidated report: fresh figures (or figures as of an
earlier moment), the DOCX and the XLSX annex, kept under
$NETSAFE_DATA_DIR/reports/ and recorded in raw landing so any figure can be
explained and reproduced later."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from netsafe import build, dates, records, warehouse
from netsafe.errors import NetsafeError
from netsafe.files import write_atomically
from netsafe.report import annex, consistency, consolidated
from netsafe.report import figures as figures_module
from netsafe.report.consolidated import ReportOptions
from netsafe.settings import Settings
from netsafe.store import open_store


@dataclass
class GeneratedReport:
    report_id: str
    period_code: str
    figures_sha256: str
    docx_path: Path
    xlsx_path: Path
    as_of: datetime
    figures: figures_module.ReportFigures


def ensure_fresh(settings: Settings) -> None:
    """Rebuild first when raw landing holds submissions the served warehouse
    has not seen, or when it was built on an earlier day (deadlines are
    judged on the build's day), so a report reflects everything received and
    judges lateness today."""
    raw = open_store(settings).read_raw("select max(landed_at) as latest from raw.submissions").latest.iat[0]
    served = (
        warehouse.scalar(settings, "select max(landed_at) from marts.fct_submissions")
        if warehouse.exists(settings)
        else None
    )
    last = build.last_build(settings)
    today = dates.today()
    built_today = last is not None and dates.from_stamp(last.built_at).date() == today
    unseen = raw is not None and str(raw) != "NaT" and served != raw
    if not warehouse.exists(settings) or unseen or not built_today:
        build.build(settings, quiet=True)


def end_of_day(on: date) -> datetime:
    return datetime.combine(on, time.max)


def known_on(settings: Settings, on: date, as_of: datetime | None = None) -> tuple[Settings, datetime]:
    """The warehouse as it was known for a document dated `on`, and its data
    cut: with `as_of`, as of that moment (it may not be after the end of
    `on`); for a day already past, as of the end of that day (receipts after
    it do not exist for the document, deadlines are judged on it); for today,
    the served warehouse, brought up to date, cut now."""
    now = dates.now()
    if as_of is not None and as_of > end_of_day(on):
        raise NetsafeError(
            f"Thời điểm số liệu {as_of:%d/%m/%Y %H:%M} sau ngày của văn bản {on:%d/%m/%Y}: "
            "văn bản không thể dùng số liệu nhận sau ngày nó mang.",
            f"The data cut {as_of:%Y-%m-%d %H:%M} is after the document's date {on.isoformat()}: "
            "a document cannot use data received after the date it bears.",
        )
    if as_of is None and on < now.date():
        as_of = end_of_day(on)
    if as_of is None:
        ensure_fresh(settings)
        return settings, now
    return build.build_as_of(settings, as_of), as_of


def legal_bases(settings: Settings):
    return warehouse.query(
        settings,
        """
        select document_type_vi, document_number, issued_date, issuer_vi, title_vi
        from marts.dim_legal_bases where legal_basis_code in ('LETTER_2331', 'CT_22_2021')
        order by issued_date desc
        """,
    )


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def generate(
    settings: Settings,
    period_code: str,
    options: ReportOptions,
    *,
    out_dir: Path | None = None,
    as_of: datetime | None = None,
) -> GeneratedReport:
    source, data_cut = known_on(settings, options.report_date, as_of)
    with warehouse.snapshot(source):  # every figure from one build of the warehouse
        figures = figures_module.load(source, period_code)
        override_note = _consistency_gate(source, period_code, options.force)
        issuer = figures_module.issuer(source, options.report_date)
        bases = legal_bases(source)
    docx_bytes = _bytes(consolidated.build(figures, issuer, options, bases))
    xlsx_bytes = annex.build(figures, consolidated.attached_line(options, issuer))
    figures_sha256 = figures.sha256  # once: at scale 100 hashing every table costs ~0.07 s
    generated_at = dates.now()
    report_id = records.new_record_id(generated_at)
    stem = f"bao_cao_{period_code}_{report_id}"
    kept = settings.reports_dir / period_code
    kept.mkdir(parents=True, exist_ok=True)
    docx_path, xlsx_path = kept / f"{stem}.docx", kept / f"{stem}_phu_luc.xlsx"
    write_atomically(docx_path, docx_bytes)
    write_atomically(xlsx_path, xlsx_bytes)
    records.record_document(
        settings,
        record_id=report_id,
        kind="report",
        period_code=period_code,
        generated_at=generated_at,
        as_of=data_cut,
        figures_sha256=figures_sha256,
        files={docx_path.name: docx_bytes, xlsx_path.name: xlsx_bytes},
        submission_ids=figures.submission_ids,
        number=options.number,
        signer=options.signer or issuer.signer_name_vi,
        override_note=override_note,
    )
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        docx_path = Path(shutil.copy2(docx_path, out_dir / docx_path.name))
        xlsx_path = Path(shutil.copy2(xlsx_path, out_dir / xlsx_path.name))
    return GeneratedReport(report_id, period_code, figures_sha256, docx_path, xlsx_path, data_cut, figures)


def _consistency_gate(source: Settings, period_code: str, force: bool) -> str | None:
    """Refuse a report whose figures contradict each other; with force, the
    contradictions are recorded with the report instead."""
    found = consistency.contradictions(source, period_code)
    if not found:
        return None
    listed_vi = "\n".join(f"  - {item.message_vi}" for item in found[:20])
    listed_en = "\n".join(f"  - {item.message_en}" for item in found[:20])
    if not force:
        raise NetsafeError(
            f"Không lập báo cáo: {len(found)} số liệu của báo cáo mâu thuẫn nhau "
            f"(xem `netsafe check --period {period_code}`):\n{listed_vi}\n"
            "Hãy sửa số liệu (hoặc dùng --force, được ghi lại cùng báo cáo).",
            f"No report written: {len(found)} of its figures contradict each other:\n{listed_en}\n"
            "Fix the data (or use --force, which is recorded with the report).",
        )
    return f"Lập dù có {len(found)} mâu thuẫn / written despite {len(found)} contradictions:\n{listed_vi}"


def default_options(report_date: date | None = None, **overrides) -> ReportOptions:
    return ReportOptions(report_date=report_date or dates.today(), **overrides)
