"""Reminder letters (công văn đôn đốc) to agencies whose report for a period
is missing or was sent back: one per agency, or one addressed to all, in the
same Decree 30 layout as the report."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from netsafe import dates, records, warehouse
from netsafe.contract import PART_LABELS
from netsafe.files import write_atomically
from netsafe.formatting import day, mid_sentence
from netsafe.report import document as d
from netsafe.report.figures import Issuer
from netsafe.report.figures import issuer as find_issuer
from netsafe.settings import Settings
from netsafe.succession import Succession

OUTSTANDING = ("missing", "rejected", "partial")


@dataclass
class ReminderOptions:
    letter_date: date
    respond_within_days: int = 5
    number: str | None = None
    signer: str = ""
    unit: str = "TTBCXB"
    include_not_due: bool = False


def _cited(value) -> str:
    """A date cited in the text, as letters write it: 19/9/2024."""
    return f"{value.day}/{value.month}/{value.year}"


def targets_on(settings: Settings, period_code: str, options: ReminderOptions) -> pd.DataFrame:
    """Who a letter dated `options.letter_date` chases: the warehouse as it
    was known at the end of that day (a report received later does not exist
    for the letter; deadlines are judged on its date)."""
    from netsafe.report.generate import known_on

    source, _ = known_on(settings, options.letter_date)
    return targets(source, period_code, include_not_due=options.include_not_due, on=options.letter_date)


def targets(
    settings: Settings, period_code: str, *, include_not_due: bool = False, on: date | None = None
) -> pd.DataFrame:
    """Agencies to chase for a period, with the reasons of their last rejection.
    With `on`, an agency abolished before that day is never chased: its
    successor in force that day is, for the predecessor's report
    (`reporter_name_vi` names whose report is missing)."""
    statuses = OUTSTANDING + (("not_due",) if include_not_due else ())
    marks = ", ".join("?" for _ in statuses)
    rows = warehouse.query(
        settings,
        f"""
        with last_rejection as (
            select agency_code, period_code, note, received_at,
                   row_number() over (
                       partition by agency_code, period_code order by received_at desc
                   ) as recency
            from marts.fct_submissions where submission_status = 'rejected'
        )
        select compliance.agency_code, agencies.name_vi, compliance.compliance_status,
               compliance.missing_parts,
               periods.label_vi, periods.cutoff_start_date, periods.cutoff_end_date,
               periods.reporter_deadline_date, last_rejection.note as rejection_note,
               last_rejection.received_at as rejected_received_at
        from marts.rpt_agency_compliance as compliance
        inner join marts.dim_agencies as agencies using (agency_code)
        inner join marts.dim_periods as periods using (period_code)
        left join last_rejection
            on last_rejection.agency_code = compliance.agency_code
            and last_rejection.period_code = compliance.period_code and last_rejection.recency = 1
        where compliance.period_code = ? and compliance.is_expected
          and compliance.compliance_status in ({marks})
          -- the DIC does not write to itself: its own part is an internal matter
          and agencies.agency_role <> 'dic'
        order by agencies.agency_kind_order, compliance.agency_code
        """,
        [period_code, *statuses],
    )
    rows["reporter_code"], rows["reporter_name_vi"] = rows.agency_code, rows.name_vi
    return rows if on is None else _addressed_on(settings, rows, on)


def _addressed_on(settings: Settings, rows: pd.DataFrame, on: date) -> pd.DataFrame:
    """Each outstanding report addressed to the agency in force on `on`: the
    reporter itself, or the end of its successor chain (the obligation passed
    with the functions); a report whose reporter left no successor in force
    is nobody's to send and is dropped."""
    succession = Succession.served(settings)
    addressed = rows.agency_code.map(lambda code: succession.addressee(code, on))
    rows = rows[addressed.notna()].copy()
    rows["agency_code"] = addressed[addressed.notna()]
    rows["name_vi"] = rows.agency_code.map(succession.agencies.name_vi)
    return rows.reset_index(drop=True)


def _letter(issuer: Issuer, rows: pd.DataFrame, period_code: str, options: ReminderOptions):
    first = rows.iloc[0]
    label = first.label_vi
    doc = d.issued_document(
        issuer,
        f"Số: {options.number or '      '}/{issuer.doc_symbol}-{options.unit}",
        options.letter_date,
        subject_lines=[
            "V/v đôn đốc gửi báo cáo kết quả công tác phòng ngừa, chống vi phạm pháp luật "
            f"và tội phạm trên mạng Internet {label}"
        ],
    )
    addressees = list(dict.fromkeys(rows.name_vi))
    if len(addressees) == 1:
        d.paragraph(doc, f"Kính gửi: {first.name_vi}.", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12)
        addressee = first.name_vi
    else:
        d.paragraph(doc, "Kính gửi:", align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12, space_after=0)
        for index, name in enumerate(addressees):
            end = "." if index == len(addressees) - 1 else ";"
            line = d.paragraph(doc, f"- {name}{end}", align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
            line.paragraph_format.left_indent = Cm(4)
        addressee = "các cơ quan, đơn vị"
    deadline = pd.Timestamp(first.reporter_deadline_date).date()
    overdue = (options.letter_date - deadline).days
    d.body(
        doc,
        "Thực hiện Công văn số 2331/UBND-KGVXNV ngày 28/6/2021 của Ủy ban nhân dân tỉnh về việc tăng cường "
        "công tác phòng ngừa, chống vi phạm pháp luật và tội phạm trên mạng Internet, "
        f"{issuer.name_vi} được giao theo dõi, đôn đốc và tổng hợp kết quả thực hiện "
        "của các cơ quan, đơn vị.",
        space_before=6,
    )
    timing = (
        f"hạn gửi ngày {day(deadline, 'vi')}, đã quá hạn {overdue} ngày"
        if overdue > 0
        else f"hạn gửi ngày {day(deadline, 'vi')}"
    )
    d.body(
        doc,
        f"Tính đến ngày {_cited(options.letter_date)}, Sở chưa nhận được báo cáo {mid_sentence(label)} "
        f"(kỳ số liệu từ ngày {day(first.cutoff_start_date, 'vi')} đến ngày "
        f"{day(first.cutoff_end_date, 'vi')}; {timing}) của Quý cơ quan.",
    )
    for row in rows.itertuples():
        if row.reporter_name_vi != row.name_vi:  # a report owed by a body since abolished
            d.body(
                doc,
                f"{row.name_vi} tiếp nhận chức năng, nhiệm vụ của {row.reporter_name_vi}, nên có trách nhiệm "
                f"gửi báo cáo {mid_sentence(label)} của {row.reporter_name_vi}.",
            )
    for row in rows.itertuples():
        if row.compliance_status == "partial" and isinstance(row.missing_parts, str):
            missing = " và ".join(PART_LABELS[part][0] for part in row.missing_parts.split(","))
            d.body(
                doc,
                f"Báo cáo của {row.name_vi} mới có một phần; Sở chưa nhận được phần {missing}.",
            )
        if row.compliance_status == "rejected" and isinstance(row.rejection_note, str):
            reasons = [line.split(" / ")[0] for line in row.rejection_note.splitlines()][:5]
            d.body(
                doc,
                f"Báo cáo {row.name_vi} gửi ngày {day(row.rejected_received_at, 'vi')} chưa hợp lệ, cần sửa: "
                + "; ".join(reasons)
                + ".",
            )
    respond_by = options.letter_date + timedelta(days=options.respond_within_days)
    d.body(
        doc,
        f"Để kịp thời tổng hợp, báo cáo Bộ và Ủy ban nhân dân tỉnh, {issuer.short_name_vi} "
        f"đề nghị {addressee} "
        f"khẩn trương gửi báo cáo theo mẫu gửi kèm Công văn này về {issuer.short_name_vi} trước ngày "
        f"{day(respond_by, 'vi')}.",
    )
    if issuer.contact_line_vi:
        d.body(doc, f"Thông tin liên hệ: {issuer.contact_line_vi}.")
    d.body(doc, "Trân trọng./.")
    d.signature_block(
        doc,
        recipients=["- Như trên;", "- Giám đốc Sở (b/c);", f"- Lưu: VT, {options.unit}."],
        sign_lines=list(issuer.sign_lines),
        signer=options.signer or issuer.signer_name_vi,
    )
    return doc


def generate(
    settings: Settings,
    period_code: str,
    options: ReminderOptions,
    out_dir: Path,
    *,
    combined: bool = False,
    rows: pd.DataFrame | None = None,
) -> list[Path]:
    """The letters dated `options.letter_date`, to `rows` (default: who is
    outstanding as known at the end of that day)."""
    rows = targets_on(settings, period_code, options) if rows is None else rows
    if rows.empty:
        return []
    issuer = find_issuer(settings, options.letter_date)
    out_dir.mkdir(parents=True, exist_ok=True)
    from netsafe.intake.reference import load

    reference = load(settings)  # once for every letter's templates
    # one letter per addressee: a successor owing several reports gets one
    groups = [rows] if combined else [group for _, group in rows.groupby("agency_code", sort=False)]
    paths = []
    for group in groups:
        name = "tat_ca" if combined else group.agency_code.iat[0]
        path = out_dir / f"don_doc_{period_code}_{name}.docx"
        buffer = io.BytesIO()
        _letter(issuer, group, period_code, options).save(buffer)
        write_atomically(path, buffer.getvalue())
        _attach_templates(reference, group, period_code, out_dir)
        generated_at = dates.now()
        listing = json.dumps(group[["agency_code", "compliance_status"]].values.tolist())
        records.record_document(
            settings,
            record_id=records.new_record_id(generated_at),
            kind="reminder",
            period_code=period_code,
            generated_at=generated_at,
            as_of=generated_at,
            figures_sha256=hashlib.sha256(listing.encode()).hexdigest(),
            files={path.name: buffer.getvalue()},
            number=options.number,
            signer=options.signer or issuer.signer_name_vi,
        )
        paths.append(path)
    return paths


def _attach_templates(reference, rows: pd.DataFrame, period_code: str, out_dir: Path) -> list[Path]:
    """The template of each report a letter asks for, written beside it
    (the reporter's own template: a successor fills its predecessor's)."""
    from netsafe.intake import templates

    return [
        templates.write_template(
            reference, code, period_code, out_dir / templates.template_file_name(code, period_code)
        )
        for code in dict.fromkeys(rows.reporter_code)
    ]


def render_list(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "Không có đơn vị nào cần đôn đốc / nobody to chase."
    status = {
        "missing": "chưa gửi / missing",
        "rejected": "bị trả lại / sent back",
        "partial": "chưa đủ các phần / parts missing",
        "not_due": "chưa đến hạn / not due",
    }
    return "\n".join(
        f"{row.agency_code:<22} {status[row.compliance_status]:<26} {row.name_vi}"
        for row in rows.itertuples()
    )
