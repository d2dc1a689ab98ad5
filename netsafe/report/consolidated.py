"""The consolidated report's text and tables (DOCX), in the order of the
letter: I. situation, II. results by task, III. reporting compliance,
IV. data quality caveats, V. difficulties and proposals."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
from docx.enum.text import WD_ALIGN_PARAGRAPH

from netsafe.formatting import day, mid_sentence, number, percent, signed_percent
from netsafe.quality.wording import side_words
from netsafe.report import document as d
from netsafe.report.figures import Issuer, ReportFigures

SUBJECT = "Kết quả công tác phòng ngừa, chống vi phạm pháp luật và tội phạm trên mạng Internet"
STATUS_VI = {
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "partial": "Chưa đủ các phần",
    "missing": "Chưa gửi",
    "rejected": "Bị trả lại, chưa gửi lại",
    "not_due": "Chưa đến hạn",
}
# Task 1's table: which indicators it shows (layout); their names and units
# come from dim_indicators.
TASK_1_COLUMNS = ("PROPAGANDA_SESSIONS", "PROPAGANDA_PARTICIPANTS", "ARTICLES_PUBLISHED")


@dataclass
class ReportOptions:
    report_date: date
    number: str | None = None
    # default: the issuing body's signer and lines (seeds/issuer_contacts.csv)
    signer: str = ""
    sign_lines: tuple[str, ...] | None = None
    unit: str = "TTBCXB"
    proposals: list[str] | None = None
    # write the report although its figures contradict each other (recorded)
    force: bool = False


def _cited_date(value) -> str:
    """Dates cited in the text, as documents write them: 28/6/2021."""
    moment = pd.Timestamp(value)
    return f"{moment.day}/{moment.month}/{moment.year}"


def n(value) -> str:
    return number(value, "vi")


def _change_words(rate) -> str:
    if rate is None or pd.isna(rate):
        return "chưa có số liệu để so sánh"
    if rate > 0:
        return f"tăng {percent(rate, 'vi')}"
    if rate < 0:
        return f"giảm {percent(-rate, 'vi')}"
    return "không đổi"


def change_rate(now, before):
    """(now − before) / before, or None where there is nothing to compare."""
    if before is None or pd.isna(before) or before == 0:
        return None
    return (now - before) / before


def attached_line(options: ReportOptions, issuer: Issuer) -> str:
    """The annex's tie to its report, as official annexes state it."""
    number = options.number or "     "
    when = options.report_date
    return (
        f"(Kèm theo Báo cáo số {number}/BC-{issuer.doc_symbol} ngày {when.day}/{when.month}/{when.year} "
        f"của {issuer.name_vi})"
    )


def number_line(options: ReportOptions, issuer: Issuer, kind: str = "BC") -> str:
    return f"Số: {options.number or '      '}/{kind}-{issuer.doc_symbol}"


def _quoted(rows: pd.DataFrame) -> list[tuple[str, str]]:
    """(agencies, “their words”) per distinct text, in the report's agency
    order: the same words from several agencies are quoted once, naming them all."""
    said: dict[str, list[str]] = {}
    for row in rows.itertuples():
        said.setdefault(row.narrative_text, [])
        if row.agency_name_vi not in said[row.narrative_text]:
            said[row.narrative_text].append(row.agency_name_vi)
    return [(_listed(names), f"“{text}”") for text, names in said.items()]


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def agency_voices(figures: ReportFigures) -> list[str]:
    """Section V's draft from what the agencies wrote in their templates:
    their difficulties, then their proposals, each quoted by agency."""
    narratives = figures.narratives
    if narratives.empty:
        return []
    lines = []
    for section, verb in (("difficulties", "nêu khó khăn, vướng mắc"), ("proposals", "đề xuất, kiến nghị")):
        for agency, words in _quoted(narratives[narratives.narrative_section == section]):
            lines.append(f"{agency} {verb}: {words}")
    return lines


def default_proposals(figures: ReportFigures) -> list[str]:
    """Section V as drafted: the agencies' own difficulties and proposals
    (quoted), then the DIC's proposals drawn from the figures. The analyst
    edits it on the report page (or `--proposals`) before generating."""
    lines = agency_voices(figures)
    missing = figures.compliance[figures.compliance.compliance_status.isin(["missing", "rejected"])]
    late = figures.compliance[figures.compliance.compliance_status == "late"]
    if not missing.empty or not late.empty:
        names = sorted(set(missing.name_vi) | set(late.name_vi))
        lines.append(
            "Một số cơ quan, đơn vị chưa gửi báo cáo hoặc gửi chậm so với thời hạn ("
            + "; ".join(names)
            + "), ảnh hưởng đến việc tổng hợp. Đề nghị Ủy ban nhân dân tỉnh chỉ đạo các cơ quan, "
            "đơn vị thực hiện nghiêm chế độ báo cáo định kỳ."
        )
    fraud = figures.violations[figures.violations.violation_type_code == "FRAUD"]
    if not fraud.empty:
        row = fraud.iloc[0]
        change = row.detected_change_rate_vs_last_year
        if change is not None and not pd.isna(change) and change > 0:
            lines.append(
                f"Tình trạng lừa đảo chiếm đoạt tài sản trên mạng {_change_words(change)} so với cùng kỳ năm "
                "trước. Đề nghị tiếp tục tăng cường tuyên truyền, cảnh báo phương thức, thủ đoạn lừa đảo "
                "đến người dân, nhất là qua hệ thống truyền thanh cơ sở và mạng xã hội."
            )
    if not figures.rule_violations.empty or not figures.outliers.empty:
        lines.append(
            "Chất lượng số liệu của một số đơn vị chưa bảo đảm (mục IV); đề nghị các đơn vị rà soát, "
            "bổ sung báo cáo đúng biểu mẫu của Sở."
        )
    lines.append(
        "Đề nghị Bộ tiếp tục hướng dẫn, hỗ trợ địa phương về nghiệp vụ giám sát, phát hiện, xử lý thông tin "
        "vi phạm trên mạng và chia sẻ dữ liệu phục vụ công tác phòng, chống vi phạm pháp luật trên mạng."
    )
    return lines


def build(figures: ReportFigures, issuer: Issuer, options: ReportOptions, legal_bases: pd.DataFrame):
    period = figures.period
    doc = d.issued_document(issuer, number_line(options, issuer), options.report_date)
    d.paragraph(
        doc, "BÁO CÁO", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=12, space_after=0
    )
    d.paragraph(
        doc,
        f"{SUBJECT}, {period.label_vi}",
        size=14,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    d.short_rule(doc, 4.0, 16.5)
    d.paragraph(
        doc,
        f"Kính gửi: {issuer.ministry_name_vi}; {issuer.parent_name_vi}.",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=6,
    )
    for row in legal_bases.itertuples():
        d.body(
            doc,
            f"Căn cứ {row.document_type_vi} số {row.document_number} ngày {_cited_date(row.issued_date)} "
            f"của {row.issuer_vi} {row.title_vi};",
            italic=True,
        )
    d.body(
        doc,
        f"{issuer.name_vi} báo cáo kết quả công tác phòng ngừa, chống vi phạm pháp luật và tội phạm trên "
        f"mạng Internet {period.label_vi} (số liệu từ ngày {day(period.cutoff_start_date, 'vi')} đến ngày "
        f"{day(period.cutoff_end_date, 'vi')}) như sau:",
    )
    on = options.report_date
    for sentence in (_succession(figures, issuer, on), _coverage(figures, on)):
        if sentence:
            d.body(doc, sentence, italic=True)
    _situation(doc, figures)
    _tasks(doc, figures)
    _compliance(doc, figures)
    _quality(doc, figures)
    d.heading(doc, "V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ")
    for index, line in enumerate(options.proposals or default_proposals(figures), start=1):
        d.body(doc, f"{index}. {line}")
    d.body(doc, f"Trên đây là báo cáo kết quả công tác {period.label_vi} của {issuer.name_vi}./.")
    d.signature_block(
        doc,
        recipients=[
            "- Như trên;",
            "- Công an tỉnh;",
            "- Giám đốc, các Phó Giám đốc Sở;",
            f"- Lưu: VT, {options.unit}.",
        ],
        sign_lines=list(options.sign_lines or issuer.sign_lines),
        signer=options.signer or issuer.signer_name_vi,
    )
    return doc


def _succession(figures: ReportFigures, issuer: Issuer, on: date) -> str | None:
    """Whose period this is, when the body issuing the report is not the one
    that followed it (one sentence from the registry's successor chain)."""
    chain = [(name, since) for name, since in figures.period_issuers if since <= on]  # known on the date
    if not chain or chain[0][0] == issuer.name_vi:
        return None
    handovers = [f"từ ngày {_cited_date(since)} là {name}" for name, since in chain[1:]]
    text = f"Trong kỳ báo cáo, cơ quan theo dõi, tổng hợp là {chain[0][0]}"
    if handovers:
        text += "; nhiệm vụ này được chuyển giao theo sắp xếp tổ chức bộ máy: " + ", ".join(handovers)
    return text + f". {issuer.name_vi} tổng hợp báo cáo này từ số liệu các cơ quan, đơn vị đã gửi trong kỳ."


def _coverage(figures: ReportFigures, on: date) -> str | None:
    """Which territory and reporters the figures cover. A province merged
    away by the report's date `on` is named as the former province and what
    it now belongs to; for a period after the merger, the text says the rest
    of the new province is not covered."""
    coverage = figures.coverage
    if coverage.empty:
        return None
    merged_before = pd.Timestamp(figures.period.cutoff_start_date)
    places, partial = [], False
    for row in coverage.itertuples():
        place = mid_sentence(row.area_name_vi)
        until = row.administrative_until
        if (
            isinstance(row.successor_name_vi, str)
            and pd.notna(until)
            and pd.Timestamp(until) <= pd.Timestamp(on)
        ):
            successor = mid_sentence(row.successor_name_vi)
            place += f" cũ (từ ngày {_cited_date(until)} thuộc {successor})"
            partial = partial or pd.Timestamp(until) <= merged_before
        places.append(place)
    text = (
        f"Số liệu trong báo cáo gồm báo cáo của {n(int(coverage.agency_count.sum()))} cơ quan, đơn vị phải "
        f"báo cáo trong kỳ theo Công văn số 2331/UBND-KGVXNV, trên địa bàn {', '.join(places)}"
    )
    if partial:
        text += "; chưa gồm số liệu của các địa bàn khác nay cùng thuộc tỉnh"
    return text + "."


# How a kind of reporter is named in the text when it is not one agency.
SOURCE_WORDS = {
    "district": "Ủy ban nhân dân cấp huyện",
    "commune": "Ủy ban nhân dân cấp xã",
    "department": "Các sở, ban, ngành",
    "dic": "Cơ quan quản lý thông tin và truyền thông",
    "police": "Công an",
    "broadcaster": "Đài Phát thanh - Truyền hình",
}
STAGE_WORDS = {
    "detected": "phát hiện",
    "handled": "xử lý",
    "fined_vnd": "tiền phạt",
    "removed_items": "gỡ bỏ",
    "prosecuted_cases": "khởi tố",
}


def _count(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def source_name(row) -> str:
    if row.agency_count == 1 and isinstance(row.agency_name_vi, str):
        return row.agency_name_vi
    return SOURCE_WORDS.get(row.source_kind, row.agency_kind_name_vi)


def _source_sentence(row) -> str:
    """What one kind of reporter reported, in its own words: counted figures
    as results, the others as detected and referred."""
    counts_any = any(bool(getattr(row, f"{stage}_counts")) for stage in STAGE_WORDS)
    detected, handled = _count(row.detected), _count(row.handled)
    if not counts_any:
        text = f"{source_name(row)} phát hiện và chuyển cơ quan chức năng {n(detected)} vụ việc"
        return text + (f", xử lý theo thẩm quyền {n(handled)} vụ" if handled else "")
    parts = [f"phát hiện {n(detected)} vụ việc"]
    if handled:
        parts.append(f"xử lý {n(handled)} vụ (đạt {percent(handled / detected if detected else None, 'vi')})")
    if _count(row.fined_vnd):
        parts.append(f"xử phạt vi phạm hành chính {n(row.fined_vnd)} đồng")
    if _count(row.removed_items):
        parts.append(f"yêu cầu gỡ bỏ {n(row.removed_items)} tin, bài vi phạm")
    if _count(row.prosecuted_cases):
        parts.append(f"khởi tố {n(row.prosecuted_cases)} vụ")
    return f"{source_name(row)} " + ", ".join(parts)


def _counting_note(by_source: pd.DataFrame) -> str:
    """Whose figures make each provincial figure (the counting rule)."""
    groups: dict[str, list[str]] = {}
    for stage, words in STAGE_WORDS.items():
        names = [source_name(row) for row in by_source.itertuples() if bool(getattr(row, f"{stage}_counts"))]
        if names:
            groups.setdefault(" và ".join(names), []).append(words)
    return "; ".join(f"số {', '.join(stages)} theo số của {names}" for names, stages in groups.items())


def _situation(doc, figures: ReportFigures) -> None:
    v = figures.violations
    d.heading(doc, "I. TÌNH HÌNH VI PHẠM PHÁP LUẬT, TỘI PHẠM TRÊN MẠNG INTERNET")
    detected, handled = int(v.detected.sum()), int(v.handled.sum())
    previous = v.detected_previous.sum(min_count=1)
    last_year = v.detected_last_year.sum(min_count=1)
    rates = v.handled_rate.dropna()
    rate = handled / detected if detected and not rates.empty else None
    if not figures.by_source.empty:
        d.body(doc, "Trong kỳ, theo báo cáo của các cơ quan, đơn vị:")
        for row in figures.by_source.itertuples():
            d.body(doc, f"- {_source_sentence(row)}.")
    note = _counting_note(figures.by_source)
    provincial = [f"phát hiện {n(detected)} vụ việc vi phạm pháp luật, tội phạm trên mạng Internet"]
    provincial.append(
        f"xử lý {n(handled)} vụ" + (f" (đạt {percent(rate, 'vi')})" if rate is not None else "")
    )
    provincial.append(f"xử phạt vi phạm hành chính {n(v.fined_vnd.sum())} đồng")
    provincial.append(f"gỡ bỏ {n(v.removed_items.sum())} tin, bài vi phạm")
    provincial.append(f"khởi tố {n(v.prosecuted_cases.sum())} vụ")
    d.body(
        doc,
        "Tổng hợp toàn tỉnh, không cộng trùng một vụ việc do nhiều cơ quan cùng báo cáo"
        + (f" ({note})" if note else "")
        + ": "
        + "; ".join(provincial)
        + f". So với kỳ trước, số vụ phát hiện {_change_words(change_rate(detected, previous))}; "
        f"so với cùng kỳ năm trước {_change_words(change_rate(detected, last_year))}.",
    )
    rises = v[(v.detected_change_rate_vs_previous >= 0.3) & (v.detected >= 5)].sort_values(
        "detected_change_rate_vs_previous", ascending=False
    )
    if not rises.empty:
        parts = [
            f"{mid_sentence(row.name_vi)} {_change_words(row.detected_change_rate_vs_previous)} "
            f"(từ {n(row.detected_previous)} vụ lên {n(row.detected)} vụ)"
            for row in rises.itertuples()
        ]
        d.body(doc, "Đáng chú ý, so với kỳ trước: " + "; ".join(parts) + ".")
    with_rate = rate is not None
    rows = [
        [
            row.name_vi,
            n(row.detected),
            n(row.handled),
            *([percent(row.handled_rate, "vi")] if with_rate else []),
            n(row.fined_vnd),
            n(row.prosecuted_cases),
            signed_percent(row.detected_change_rate_vs_previous, "vi"),
            signed_percent(row.detected_change_rate_vs_last_year, "vi"),
        ]
        for row in v.itertuples()
    ]
    total = [
        "Tổng cộng",
        n(detected),
        n(handled),
        *([percent(rate, "vi")] if with_rate else []),
        n(v.fined_vnd.sum()),
        n(v.prosecuted_cases.sum()),
        signed_percent(change_rate(detected, previous), "vi"),
        signed_percent(change_rate(detected, last_year), "vi"),
    ]
    d.caption(doc, "Bảng 1. Số vụ việc theo loại vi phạm")
    d.data_table(
        doc,
        [
            "Loại vi phạm",
            "Phát hiện",
            "Đã xử lý",
            *(["Tỷ lệ xử lý"] if with_rate else []),
            "Tiền phạt (đồng)",
            "Khởi tố",
            "So kỳ trước",
            "So cùng kỳ",
        ],
        rows,
        total=total,
    )
    if note:
        d.paragraph(doc, f"Ghi chú: {note[0].upper()}{note[1:]}.", size=11, italic=True)
    areas = figures.areas[figures.areas.detected > 0].head(3)
    if not areas.empty:
        d.body(
            doc,
            "Các địa bàn có nhiều vụ việc nhất: "
            + "; ".join(f"{mid_sentence(row.name_vi)} ({n(row.detected)} vụ)" for row in areas.itertuples())
            + " (chi tiết theo địa bàn tại Phụ lục kèm theo).",
        )


def _tasks(doc, figures: ReportFigures) -> None:
    d.heading(doc, "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO TẠI CÔNG VĂN SỐ 2331/UBND-KGVXNV")
    values = figures.agency_indicators
    if values.empty:
        d.body(doc, "Trong kỳ chưa có cơ quan, đơn vị nào báo cáo kết quả thực hiện nhiệm vụ.")
        return
    # every task of the letter, numbered without gaps, even one nobody reported on
    for position, task_number in enumerate(sorted(figures.task_titles or values.task_number.unique()), 1):
        task = values[values.task_number == task_number]
        d.body(doc, f"{position}. {figures.task_titles.get(int(task_number), '')}", bold=True)
        if task.empty:
            d.body(doc, "Trong kỳ chưa có cơ quan, đơn vị nào báo cáo kết quả thực hiện nhiệm vụ này.")
            continue
        if task_number == 1:
            pivot = task.pivot_table(
                index="agency_name_vi",
                columns="indicator_code",
                values="total_value",
                aggfunc="sum",
                sort=False,
            )
            columns = [c for c in TASK_1_COLUMNS if c in pivot]
            labels = {
                row.indicator_code: f"{row.indicator_name_vi} ({row.unit_vi})"
                for row in task.drop_duplicates("indicator_code").itertuples()
            }
            rows = [
                [agency, *(n(value) for value in values)] for agency, *values in pivot[columns].itertuples()
            ]
            total = ["Tổng cộng"] + [n(pivot[c].sum()) for c in columns]
            sessions = pivot["PROPAGANDA_SESSIONS"].sum() if "PROPAGANDA_SESSIONS" in pivot else 0
            people = pivot["PROPAGANDA_PARTICIPANTS"].sum() if "PROPAGANDA_PARTICIPANTS" in pivot else 0
            articles = pivot["ARTICLES_PUBLISHED"].sum() if "ARTICLES_PUBLISHED" in pivot else 0
            d.body(
                doc,
                f"{len(pivot)} cơ quan, đơn vị đã tổ chức {n(sessions)} buổi tuyên truyền, quán triệt với "
                f"{n(people)} lượt người tham dự; đăng tải {n(articles)} "
                "tin, bài về phòng, chống vi phạm pháp luật trên mạng.",
            )
            d.data_table(
                doc,
                ["Cơ quan, đơn vị"] + [labels[c] for c in columns],
                rows,
                total=total,
            )
            _task_results(doc, figures, int(task_number))
            continue
        # one line per agency, in the order they come (one pass: thousands of agencies at national scale)
        by_agency: dict[str, list[str]] = {}
        for agency, name, value, unit in zip(
            task.agency_name_vi, task.indicator_name_vi, task.total_value, task.unit_vi, strict=True
        ):
            by_agency.setdefault(agency, []).append(f"{mid_sentence(name)}: {n(value)} {unit}")
        for agency, parts in by_agency.items():
            d.body(doc, f"- {agency}: " + "; ".join(parts) + ".")
        _task_results(doc, figures, int(task_number))


def _task_results(doc, figures: ReportFigures, task_number: int) -> None:
    """The agencies' own account of a task's notable results, quoted."""
    narratives = figures.narratives
    if narratives.empty:
        return
    rows = narratives[(narratives.narrative_section == "results") & (narratives.task_number == task_number)]
    if rows.empty:
        return
    d.body(doc, "Kết quả nổi bật do các cơ quan, đơn vị báo cáo:", italic=True)
    for agency, words in _quoted(rows):
        d.body(doc, f"- {agency}: {words}")


def _compliance(doc, figures: ReportFigures) -> None:
    d.heading(doc, "III. TÌNH HÌNH THỰC HIỆN CHẾ ĐỘ BÁO CÁO")
    comp = figures.compliance
    labels = (
        dict(zip(comp.period_code, comp.period_label_vi, strict=False)) if "period_label_vi" in comp else {}
    )
    for period in figures.period_compliance.itertuples():
        subset = comp[comp.period_code == period.period_code]
        missing = subset[subset.compliance_status.isin(["missing", "rejected"])]
        late = subset[subset.compliance_status == "late"]
        text = (
            f"{labels.get(period.period_code, period.period_code)}: {n(period.expected_count)} cơ quan, "
            "đơn vị phải báo cáo; "
            f"{n(period.submitted_count)} đã gửi (tỷ lệ {percent(period.reporting_rate, 'vi')}), trong đó "
            f"{n(period.on_time_count)} đúng hạn (tỷ lệ {percent(period.on_time_rate, 'vi')}), "
            f"{n(period.late_count)} trễ hạn"
        )
        if not late.empty:
            text += (
                " (" + "; ".join(f"{row.name_vi}: {n(row.days_late)} ngày" for row in late.itertuples()) + ")"
            )
        if not missing.empty:
            text += f"; {n(len(missing))} chưa gửi: " + "; ".join(missing.name_vi)
        d.body(doc, text + ".")
    if len(figures.period_compliance) == 1:
        rows = [
            [
                row.name_vi,
                STATUS_VI[row.compliance_status],
                day(row.first_accepted_at, "vi"),
                # a report not received has no lateness to count yet
                n(row.days_late) if row.compliance_status in ("on_time", "late") else "–",
            ]
            for row in comp.itertuples()
        ]
        d.caption(doc, "Bảng 2. Tình hình gửi báo cáo của các cơ quan, đơn vị")
        d.data_table(doc, ["Cơ quan, đơn vị", "Tình trạng", "Ngày nhận", "Số ngày trễ"], rows)


def usual_range(row, unit: str) -> str:
    """The usual range of an outlier in whole units, on the side that keeps
    the flagged value outside it ("thường không quá 18 vụ")."""
    if row.direction == "high":
        return f"thường không quá {n(math.floor(float(row.expected_high)))} {unit}"
    return f"thường từ {n(math.ceil(float(row.expected_low)))} {unit} trở lên"


def _quality(doc, figures: ReportFigures) -> None:
    d.heading(doc, "IV. CHẤT LƯỢNG SỐ LIỆU")
    rules, outliers = figures.rule_violations, figures.outliers
    if rules.empty and outliers.empty:
        d.body(
            doc,
            "Số liệu trong kỳ đã được kiểm tra theo các quy tắc kiểm tra của Sở (số đã xử lý không vượt số "
            "phát hiện, không có số âm, số khởi tố do Công an báo cáo, đủ chỉ tiêu theo nhiệm vụ) và so sánh "
            "với các kỳ trước; không phát hiện sai sót hay giá trị bất thường.",
        )
        return
    d.body(doc, "Qua kiểm tra tự động, số liệu trong kỳ có một số điểm cần lưu ý:")
    for row in rules.itertuples():
        level = "sai sót" if row.severity == "error" else "điểm cần xem lại"
        d.body(
            doc,
            f"- Báo cáo {mid_sentence(row.period_label_vi)} của {row.agency_name_vi}: {level}, "
            f"{mid_sentence(row.rule_name_vi)} ({side_words(row.left_side)} là {n(row.left_value)}; "
            f"{side_words(row.right_side)} là {n(row.right_value)}).",
        )
    for row in outliers.itertuples():
        direction = "cao" if row.direction == "high" else "thấp"
        unit = row.unit_vi if isinstance(row.unit_vi, str) else "vụ"
        if row.series_kind == "indicator":
            what = f"{mid_sentence(row.measure_name_vi)} do {row.subject_name_vi} báo cáo"
        else:
            what = (
                f"Số vụ {mid_sentence(row.measure_name_vi)} phát hiện tại {mid_sentence(row.subject_name_vi)}"
            )
        usual = usual_range(row, unit)
        d.body(
            doc,
            f"- {what[:1].upper()}{what[1:]} {mid_sentence(row.period_label_vi)} {direction} bất thường: "
            f"{n(row.observed_value)} {unit}, trong khi các kỳ trước {usual}; "
            "cần được đơn vị xác nhận trước khi sử dụng.",
        )
    missing = figures.compliance[figures.compliance.compliance_status.isin(["missing", "rejected"])]
    if not missing.empty:
        d.body(doc, f"- Số liệu chưa đầy đủ do {n(len(missing))} báo cáo chưa được gửi (mục III).")
