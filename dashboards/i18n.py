"""Interface text in Vietnamese (default) and English, and the formatting of
numbers and dates for the chosen language."""

from __future__ import annotations

import streamlit as st

from netsafe import formatting
from netsafe.quality.wording import OUTLIER_METHODS

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Kho dữ liệu phòng, chống vi phạm trên mạng", "Online violations reporting warehouse"),
    "language": ("Ngôn ngữ", "Language"),
    "period_type": ("Loại kỳ báo cáo", "Period type"),
    "period": ("Kỳ báo cáo", "Period"),
    "cutoff": ("Kỳ số liệu", "Data cut-off"),
    "deadline": ("Hạn gửi Sở", "Deadline to the DIC"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_violations": ("Vi phạm", "Violations"),
    "page_areas": ("Địa bàn", "Areas"),
    "page_agencies": ("Đơn vị báo cáo", "Agencies"),
    "page_quality": ("Chất lượng dữ liệu", "Data quality"),
    "page_submissions": ("Nộp báo cáo", "Submissions"),
    "quarterly": ("Quý", "Quarter"),
    "half_year": ("6 tháng", "Half-year"),
    "nine_months": ("9 tháng", "Nine months"),
    "annual": ("Năm", "Year"),
    "monthly": ("Tháng", "Month"),
    "no_warehouse": (
        "Chưa có kho dữ liệu. Hãy chạy `make run` (hoặc `netsafe build --demo-if-empty`).",
        "No warehouse yet. Run `make run` (or `netsafe build --demo-if-empty`).",
    ),
    "no_data": (
        "Chưa có số liệu cho kỳ nào. Hãy nhận báo cáo của các đơn vị (trang Nộp báo cáo).",
        "No figures for any period yet. Ingest agencies' reports (Submissions page).",
    ),
    "busy": ("Kho dữ liệu đang bận, hãy thử lại sau giây lát.", "The warehouse is busy; try again shortly."),
    "detected": ("Vụ phát hiện", "Detected"),
    "handled": ("Vụ đã xử lý", "Handled"),
    "handled_rate": ("Tỷ lệ xử lý", "Handled rate"),
    "fined_vnd": ("Tiền phạt (đồng)", "Fines (VND)"),
    "removed_items": ("Tin, bài gỡ bỏ", "Items removed"),
    "prosecuted_cases": ("Vụ khởi tố", "Prosecuted cases"),
    "reporting_rate": ("Tỷ lệ báo cáo", "Reporting rate"),
    "on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "vs_previous": ("so với kỳ trước", "vs previous period"),
    "vs_last_year": ("so với cùng kỳ năm trước", "vs same period last year"),
    "trend_by_quarter": ("Xu hướng theo quý", "Trend by quarter"),
    "quarter": ("Quý", "Quarter"),
    "cases": ("Số vụ", "Cases"),
    "rose_most": ("Loại vi phạm tăng nhiều nhất", "Violation types that rose most"),
    "top_areas": ("Địa bàn có nhiều vụ việc nhất", "Areas with most incidents"),
    "violation_type": ("Loại vi phạm", "Violation type"),
    "area": ("Địa bàn", "Area"),
    "agency": ("Đơn vị", "Agency"),
    "change": ("Thay đổi", "Change"),
    "change_vs_previous": ("So kỳ trước", "vs previous"),
    "change_vs_last_year": ("So cùng kỳ", "vs last year"),
    "previous": ("Kỳ trước", "Previous"),
    "last_year": ("Cùng kỳ năm trước", "Same period last year"),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "penal_code": ("Xử lý hình sự", "Criminal"),
    "administrative": ("Xử phạt hành chính", "Administrative penalties"),
    "by_source": ("Theo cơ quan báo cáo", "By reporting source"),
    "by_source_note": (
        "Nhiều cơ quan cùng báo cáo một vụ việc (huyện phát hiện rồi chuyển Công an), nên số toàn tỉnh "
        "chỉ cộng số của cơ quan được tính theo quy tắc tổng hợp (cột cuối); các số khác nêu riêng.",
        "Several agencies report the same case (a district detects it and passes it to the police), so "
        "provincial figures add only the sources the counting rule counts (last column); the rest are "
        "stated separately.",
    ),
    "source": ("Cơ quan báo cáo", "Reporting source"),
    "counting_rule_note": (
        "Số toàn tỉnh không cộng trùng một vụ việc do nhiều cơ quan cùng báo cáo (quy tắc tổng hợp): {rule}. "
        "Số của từng cơ quan: trang Vi phạm.",
        "Provincial figures never count a case twice when several agencies report it (the counting "
        "rule): {rule}. Each agency's own figures: the Violations page.",
    ),
    "counted_from": ("{stages} theo số của {sources}", "{stages} as reported by {sources}"),
    "parts": ("Các phần", "Parts"),
    "checking": ("đang kiểm tra", "checking"),
    "missing_parts": ("Phần còn thiếu", "Parts missing"),
    "complete_at": ("Nhận đủ lúc", "Complete at"),
    "counted": ("Tính vào số toàn tỉnh", "Counted in the province"),
    "stage": ("Giai đoạn", "Stage"),
    "by_type_over_time": (
        "Số vụ phát hiện theo loại vi phạm qua các quý",
        "Detected by violation type by quarter",
    ),
    "upload_button": ("Chọn tệp", "Choose files"),
    "upload_limit": (
        "Tối đa {mb} MB mỗi tệp: .xlsx, .csv hoặc .zip",
        "Up to {mb} MB per file: .xlsx, .csv or .zip",
    ),
    "period_from_sidebar": ("chọn kỳ ở thanh bên", "choose the period in the sidebar"),
    "selected_period": ("Kỳ đang xem", "Selected period"),
    "reorganisation": ("Sắp xếp đơn vị hành chính", "Reorganisation"),
    "small_multiples_note": (
        "Mỗi ô một loại vi phạm, cùng thang đo; đường liền: kỳ đang xem; "
        "đường đứt: sắp xếp đơn vị hành chính.",
        "One panel per violation type, same scale; solid line: the selected period; dashed: the "
        "reorganisation.",
    ),
    "drill_down": ("Chi tiết theo loại vi phạm", "Drill down by violation type"),
    "by_area": ("Theo địa bàn", "By area"),
    "by_agency": ("Theo đơn vị báo cáo", "By reporting agency"),
    "population": ("Dân số", "Population"),
    "per_100k": ("Vụ / 100.000 dân", "Per 100,000 people"),
    "ranked_areas": ("Xếp hạng địa bàn theo số vụ phát hiện", "Areas ranked by detected cases"),
    "population_unknown": ("Chưa có số liệu dân số", "Population not known"),
    "population_note": (
        "Tỷ lệ trên 100.000 dân chỉ tính cho địa bàn đã biết dân số (Tổng điều tra 2019).",
        "Rates per 100,000 people only where the population is known (2019 census).",
    ),
    "statistical_region_note": (
        "Từ 01/7/2025 các huyện cũ được giữ làm vùng thống kê để so sánh xu hướng.",
        "From 2025-07-01 the former districts are kept as statistical regions so trends stay comparable.",
    ),
    "compliance_matrix": ("Tình hình gửi báo cáo theo đơn vị và kỳ", "Reporting by agency and period"),
    "status": ("Tình trạng", "Status"),
    "on_time": ("Đúng hạn", "On time"),
    "late": ("Trễ hạn", "Late"),
    "partial": ("Chưa đủ các phần", "Parts missing"),
    "missing": ("Chưa gửi", "Missing"),
    "rejected": ("Bị từ chối", "Rejected"),
    "not_due": ("Chưa đến hạn", "Not yet due"),
    "days_late": ("Số ngày trễ", "Days late"),
    "to_chase": ("Đơn vị cần đôn đốc", "Agencies to chase"),
    "nobody_to_chase": ("Mọi đơn vị đã gửi báo cáo đúng hạn.", "Every agency reported on time."),
    "history": ("Lịch sử gửi báo cáo của đơn vị", "An agency's submission history"),
    "no_history": ("Đơn vị này chưa gửi báo cáo nào.", "This agency has not sent any report."),
    "version": ("Phiên bản", "Version"),
    "received_at": ("Thời điểm nhận", "Received at"),
    "channel": ("Kênh", "Channel"),
    "channel_email": ("Thư điện tử", "E-mail"),
    "channel_paper": ("Văn bản giấy", "Paper"),
    "channel_upload": ("Tải lên", "Upload"),
    "channel_api": ("Hệ thống (máy)", "Machine (API)"),
    "file": ("Tệp", "File"),
    "reasons": ("Lý do", "Reasons"),
    "in_use": ("Đang dùng", "In use"),
    "expected": ("Phải báo cáo", "Expected"),
    "submitted": ("Đã gửi", "Submitted"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel", "Download Excel"),
    "no_period_data": ("Kỳ này chưa có số liệu.", "No figures for this period."),
    "dbt_tests": ("Kiểm thử dbt của lần xây dựng gần nhất", "dbt tests of the latest build"),
    "tests_passed": ("Kiểm thử đạt", "Tests passed"),
    "built_at": ("Xây dựng lúc", "Built at"),
    "rejected_in_period": ("Báo cáo bị từ chối trong kỳ", "Submissions rejected in the period"),
    "no_rejections": (
        "Không có báo cáo nào bị từ chối trong kỳ.",
        "No submission was rejected in this period.",
    ),
    "template_download": ("Tải mẫu báo cáo cho đơn vị", "Download a report template"),
    "upload": ("Nhận báo cáo đã điền (.xlsx hoặc .csv)", "Receive filled reports (.xlsx or .csv)"),
    "received_date": ("Ngày nhận", "Date received"),
    "ingest_button": ("Nhận và kiểm tra", "Receive and check"),
    "rows_will_disappear": (
        "bản sửa này thiếu các dòng của phiên bản đang dùng; các dòng sau sẽ không còn trong số liệu",
        "this correction lacks rows of the version in use; these rows will disappear",
    ),
    "confirm_receive": ("Vẫn nhận các tệp này", "Receive these files anyway"),
    "resent_msg": (
        "trùng tệp của một phiên bản cũ; phiên bản đó được dùng lại",
        "the bytes of an earlier version: it is the version in use again",
    ),
    "withdraw_title": (
        "Rút một phiên bản báo cáo (cán bộ quản lý dữ liệu)",
        "Withdraw a version (data stewards)",
    ),
    "withdraw_version": ("Phiên bản", "Version"),
    "withdraw_reason": ("Lý do rút", "Reason"),
    "withdraw_button": ("Rút phiên bản này", "Withdraw this version"),
    "withdrawn_msg": (
        "Đã rút; số liệu dùng phiên bản hợp lệ trước đó (nếu có).",
        "Withdrawn; the figures use the previous accepted version, if any.",
    ),
    "accepted_msg": ("Đã nhận", "Accepted"),
    "rejected_msg": ("Bị từ chối", "Rejected"),
    "duplicate_msg": ("Tệp đã nhận trước đó, không nạp lại", "Already received, not landed again"),
    "feedback_download": ("Tải tệp phản hồi cho đơn vị", "Download feedback for the agency"),
    "rebuilding": ("Đang cập nhật kho dữ liệu...", "Updating the warehouse..."),
    "rebuilt": ("Kho dữ liệu đã cập nhật.", "The warehouse is up to date."),
    "versions_in_period": ("Các phiên bản đã nhận trong kỳ", "Versions received in the period"),
    "total": ("Tổng", "Total"),
    "points": ("điểm %", "pts"),
    "latest_run": ("Lần kiểm tra gần nhất", "Latest quality run"),
    "no_runs": (
        "Chưa có lần kiểm tra chất lượng nào cho kỳ này.",
        "No quality run for this period yet.",
    ),
    "run_pass": ("Đạt", "Pass"),
    "run_fail": ("Có lỗi", "Errors"),
    "expectations": ("Kỳ vọng đạt", "Expectations passed"),
    "rule_errors": ("Lỗi quy tắc", "Rule errors"),
    "outliers": ("Giá trị bất thường", "Outliers"),
    "run_at": ("Thời điểm kiểm tra", "Run at"),
    "all_expectations_pass": ("Mọi kỳ vọng đều đạt.", "Every expectation passed."),
    "severity": ("Mức độ", "Severity"),
    "error": ("Lỗi", "Error"),
    "warning": ("Cảnh báo", "Warning"),
    "check": ("Kiểm tra", "Check"),
    "table": ("Bảng", "Table"),
    "failed_count": ("Số giá trị không đạt", "Failing values"),
    "details": ("Chi tiết", "Details"),
    "rule_violations": ("Vi phạm quy tắc kiểm tra", "Validation rule violations"),
    "no_rule_violations": ("Không có vi phạm quy tắc nào trong kỳ.", "No rule is broken in this period."),
    "rule": ("Quy tắc", "Rule"),
    "left_side": ("Vế trái", "Left side"),
    "operator": ("Phép so sánh", "Operator"),
    "right_side": ("Vế phải", "Right side"),
    "no_outliers": ("Không có giá trị bất thường trong kỳ.", "No outlier in this period."),
    "series": ("Chuỗi số liệu", "Series"),
    **OUTLIER_METHODS,
    "indicator": ("Chỉ tiêu của đơn vị", "Agency indicator"),
    "incident_detected": ("Vụ phát hiện theo địa bàn", "Detected by area"),
    "subject": ("Đơn vị / địa bàn", "Agency / area"),
    "measure": ("Chỉ tiêu / loại vi phạm", "Indicator / violation type"),
    "value": ("Giá trị", "Value"),
    "expected_range": ("Khoảng thường gặp", "Expected range"),
    "median": ("Trung vị", "Median"),
    "score": ("Điểm z hiệu chỉnh", "Modified z"),
    "method": ("Phương pháp", "Method"),
    "run_history": ("Lịch sử kiểm tra", "History of quality runs"),
    "page_report": ("Báo cáo", "Report"),
    "page_audit": ("Nhật ký", "Audit trail"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_in_intro": (
        "Kho dữ liệu báo cáo phòng, chống vi phạm pháp luật và tội phạm trên mạng Internet. "
        "Hãy đăng nhập bằng tài khoản của tỉnh.",
        "Reporting warehouse for online law violations and crime. Sign in with your province account.",
    ),
    "not_allowed": (
        "Tài khoản {identity} chưa được cấp quyền sử dụng hệ thống. Xin liên hệ quản trị hệ thống "
        "(Sở) để được cấp quyền.",
        "The account {identity} has not been given access. Please ask the administrator (the Department) "
        "for access.",
    ),
    "role_local": ("người dùng trên máy này", "local operator"),
    "role_leader": ("lãnh đạo", "leader"),
    "role_analyst": ("chuyên viên", "analyst"),
    "role_steward": ("quản lý dữ liệu", "data steward"),
    "role_reporter": ("cán bộ đầu mối", "agency reporter"),
    "role_admin": ("quản trị", "administrator"),
    "approval": ("Phê duyệt kỳ", "Period approval"),
    "approval_open": (
        "Kỳ đang mở: số liệu còn thay đổi khi có báo cáo mới.",
        "Open: new reports still change the figures.",
    ),
    "approval_approved": (
        "Đã phê duyệt bởi {by} lúc {at}; số liệu chốt đến {cut}. Báo cáo nhận sau đó: {pending}.",
        "Approved by {by} at {at}; figures pinned to data up to {cut}. Reports received since: {pending}.",
    ),
    "approve_button": ("Phê duyệt kỳ này", "Approve this period"),
    "reopen_reason": ("Lý do mở lại", "Reason for reopening"),
    "reopen_button": ("Mở lại kỳ", "Reopen the period"),
    "approved_msg": ("Đã phê duyệt kỳ.", "Period approved."),
    "reopened_msg": ("Đã mở lại kỳ.", "Period reopened."),
    "audit_empty": ("Nhật ký trống.", "The audit trail is empty."),
    "actor": ("Người thực hiện", "Actor"),
    "action": ("Thao tác", "Action"),
    "object": ("Đối tượng", "Object"),
    "outcome": ("Kết quả", "Outcome"),
    "client_address": ("Địa chỉ máy", "Client address"),
    "acted_at": ("Thời điểm", "When"),
    "preview": ("Xem trước số liệu của báo cáo", "Preview of the report's figures"),
    "report_options": ("Thông tin văn bản", "Document details"),
    "doc_number": ("Số văn bản", "Document number"),
    "report_date": ("Ngày báo cáo", "Report date"),
    "signer": ("Người ký", "Signer"),
    "proposals": (
        "Mục V. Khó khăn, đề xuất (mỗi dòng một ý)",
        "Section V. Difficulties and proposals (one per line)",
    ),
    "generate_report": ("Lập báo cáo", "Generate the report"),
    "generating": ("Đang lập báo cáo...", "Generating..."),
    "report_ready": ("Đã lập báo cáo", "Report ready"),
    "reminders_download": ("Tải công văn đôn đốc (DOCX)", "Download the reminder letter (DOCX)"),
}


def lang() -> str:
    return st.session_state.get("lang", "vi")


def t(key: str) -> str:
    vi, en = TEXT[key]
    return vi if lang() == "vi" else en


def bound_t():
    """t() with today's language fixed, for widget format functions that may be
    called later, outside the script run."""
    index = 0 if lang() == "vi" else 1
    return lambda key: TEXT[key][index]


def num(value, decimals: int = 0) -> str:
    return formatting.number(value, lang(), decimals)


def pct(value) -> str:
    return formatting.percent(value, lang())


def signed_pct(value) -> str:
    return formatting.signed_percent(value, lang())


def signed_num(value, decimals: int = 0) -> str:
    text = formatting.number(value, lang(), decimals)
    return f"+{text}" if value is not None and value > 0 else text


def day(value) -> str:
    return formatting.day(value, lang())


def moment(value) -> str:
    return formatting.moment(value, lang())


def name_col() -> str:
    """The column holding names in the chosen language."""
    return "name_vi" if lang() == "vi" else "name_en"


def label_col() -> str:
    return "label_vi" if lang() == "vi" else "label_en"
