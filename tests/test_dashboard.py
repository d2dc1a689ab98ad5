"""The dashboard, driven headless with Streamlit's AppTest: every page in both
languages, figures equal to the marts, and clear messages when there is
nothing to show."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from netsafe import formatting, warehouse

APP = str(Path(__file__).resolve().parent.parent / "dashboards" / "streamlit_app.py")
PAGES = [
    "app_pages/overview.py",
    "app_pages/violations.py",
    "app_pages/areas.py",
    "app_pages/agencies.py",
    "app_pages/submissions.py",
    "app_pages/quality.py",
    "app_pages/report.py",
]


def app(settings, monkeypatch, lang="vi") -> AppTest:
    monkeypatch.setenv("NETSAFE_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def page(settings, monkeypatch, period_code: str, path: str) -> AppTest:
    """The app with a period chosen in the sidebar, switched to one page."""
    at = app(settings, monkeypatch)
    at.selectbox(key="period_code").set_value(period_code).run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    for item in at.metric:
        if item.label == label:
            return item.value
    raise AssertionError(f"no metric {label!r} in {[m.label for m in at.metric]}")


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(demo_warehouse, monkeypatch, page, lang):
    at = app(demo_warehouse, monkeypatch, lang)
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, f"{page} has no title"


def test_default_period_is_the_latest_complete_quarter(demo_warehouse, monkeypatch):
    at = app(demo_warehouse, monkeypatch)
    assert at.session_state["report_type"] == "quarterly"
    assert at.session_state["period_code"] == "2026-Q3"
    assert "Quý III/2026" in at.title[0].value


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_figures_equal_the_marts_for_the_chosen_period(demo_warehouse, monkeypatch, lang):
    at = app(demo_warehouse, monkeypatch, lang)
    at.selectbox(key="period_code").set_value("2024-Q3").run()
    assert not at.exception
    totals = warehouse.query(
        demo_warehouse,
        "select sum(detected) d, sum(handled) h, sum(prosecuted_cases) p, sum(fined_vnd) f "
        "from marts.rpt_violation_summary where period_code = '2024-Q3'",
    ).iloc[0]
    rates = warehouse.query(
        demo_warehouse, "select reporting_rate from marts.rpt_period_compliance where period_code = '2024-Q3'"
    ).iloc[0]
    detected_label = "Vụ phát hiện" if lang == "vi" else "Detected"
    assert metric(at, detected_label) == formatting.number(totals.d, lang)
    assert metric(at, "Vụ khởi tố" if lang == "vi" else "Prosecuted cases") == formatting.number(
        totals.p, lang
    )
    assert metric(at, "Tiền phạt (đồng)" if lang == "vi" else "Fines (VND)") == formatting.number(
        totals.f, lang
    )
    assert metric(at, "Vụ đã xử lý" if lang == "vi" else "Handled") == formatting.number(totals.h, lang)
    # handled (the DIC's sanctions) and detected (the police's) come from different
    # reporters under the counting rule: no provincial rate that would compare them
    assert not [m for m in at.metric if m.label in ("Tỷ lệ xử lý", "Handled rate")]
    note = " ".join(caption.value for caption in at.caption)
    assert ("theo số của Công an tỉnh" if lang == "vi" else "as reported by Provincial police") in note
    assert metric(at, "Tỷ lệ báo cáo" if lang == "vi" else "Reporting rate") == formatting.percent(
        rates.reporting_rate, lang
    )


def test_half_year_periods_can_be_chosen(demo_warehouse, monkeypatch):
    at = app(demo_warehouse, monkeypatch)
    at.selectbox(key="report_type").set_value("half_year").run()
    assert at.session_state["period_code"].endswith(("H1", "H2"))
    h1 = warehouse.scalar(
        demo_warehouse,
        "select sum(detected) from marts.rpt_violation_summary where period_code = ?",
        [at.session_state["period_code"]],
    )
    assert metric(at, "Vụ phát hiện") == formatting.number(h1, "vi")


def test_agencies_page_lists_who_to_chase_and_history(demo_warehouse, monkeypatch):
    at = page(demo_warehouse, monkeypatch, "2024-Q2", "app_pages/agencies.py")
    chase = at.dataframe[0].value
    names = set(chase.iloc[:, 0])
    assert "Ban Dân tộc tỉnh Bình Thuận" in names  # never reports
    at.selectbox(key="history_agency").set_value("BT_ETHNIC").run()
    assert any("chưa gửi báo cáo nào" in info.value for info in at.info)
    at.selectbox(key="history_agency").set_value("BT_PC_LA_GI").run()
    history = at.dataframe[-1].value
    assert (history["Tình trạng"] == "Bị từ chối").sum() == 1


def test_violations_page_shows_legal_basis(demo_warehouse, monkeypatch):
    at = app(demo_warehouse, monkeypatch)
    at.switch_page("app_pages/violations.py").run()
    at.selectbox(key="drill_type").set_value("GAMBLING").run()
    assert any("Điều 321, Điều 322" in md.value for md in at.markdown)


def test_no_warehouse_gives_a_clear_message(tmp_path, monkeypatch):
    from netsafe.settings import Settings

    empty = Settings(data_dir=tmp_path / "nothing")
    for page in PAGES:
        at = app(empty, monkeypatch)
        at.switch_page(page).run()
        assert not at.exception
        assert any("Chưa có kho dữ liệu" in info.value for info in at.info), page


def test_a_warehouse_without_submissions_says_so(empty_warehouse, monkeypatch):
    at = app(empty_warehouse, monkeypatch)
    assert any("chưa có số liệu" in info.value.lower() for info in at.info)
    # nobody has reported: the analysts' page shows every expected agency as missing
    at.switch_page("app_pages/agencies.py").run()
    assert not at.exception
    assert metric(at, "Đã gửi") == "0"
    assert metric(at, "Tỷ lệ báo cáo") == "0,0%"
    at.selectbox(key="history_agency").set_value("BT_POLICE").run()
    assert any("chưa gửi báo cáo nào" in info.value for info in at.info)


def test_quality_page_shows_the_run_rules_and_outliers(demo_warehouse_copy, monkeypatch):
    from netsafe.quality import check

    check.run_check(demo_warehouse_copy, "2024-Q2")
    at = page(demo_warehouse_copy, monkeypatch, "2024-Q2", "app_pages/quality.py")
    assert metric(at, "Tình trạng") == "Đạt"
    tables = [frame.value for frame in at.dataframe]
    rules = next(frame for frame in tables if "Quy tắc" in frame.columns)
    assert rules["Quy tắc"].tolist() == ["Chỉ có tiền phạt khi có vụ đã xử lý"]
    assert "Ủy ban nhân dân huyện Tuy Phong" in rules["Đơn vị"].tolist()
    outliers = next(frame for frame in tables if "Khoảng thường gặp" in frame.columns)
    expected = warehouse.query(
        demo_warehouse_copy, "select measure_code from marts.rpt_outliers where period_code = '2024-Q2'"
    )
    assert not expected.empty and len(outliers) == len(expected)
    shown = " ".join(outliers.astype(str).values.ravel())
    # names, never codes
    assert not [code for code in expected.measure_code if code in shown]


def test_report_page_previews_and_generates(demo_warehouse_copy, monkeypatch):
    at = page(demo_warehouse_copy, monkeypatch, "2024-Q3", "app_pages/report.py")
    preview = at.dataframe[0].value
    total = warehouse.scalar(
        demo_warehouse_copy,
        "select sum(detected) from marts.rpt_violation_summary where period_code = '2024-Q3'",
    )
    assert sum(int(v.replace(".", "")) for v in preview["Vụ phát hiện"]) == total
    at.text_input(key="report_number").input("15").run()
    at.button(key="generate_report").click().run()
    assert not at.exception
    assert any("Đã lập báo cáo" in s.value for s in at.success)
    assert list((demo_warehouse_copy.reports_dir / "2024-Q3").glob("*.docx"))


def test_a_steward_withdraws_a_version_from_the_submissions_page(demo_warehouse_copy, monkeypatch):
    at = app(demo_warehouse_copy, monkeypatch)
    at.switch_page("app_pages/submissions.py").run()
    at.selectbox(key="period_code").set_value("2026-Q3").run()
    assert not at.exception, at.exception
    chosen = at.selectbox(key="withdraw_id").value
    at.text_area(key="withdraw_reason").set_value("Nhập nhầm số liệu của quý khác").run()
    at.button(key="withdraw_button").click().run()
    assert not at.exception, at.exception
    assert any("Đã rút" in item.value for item in at.success)
    row = warehouse.query(
        demo_warehouse_copy,
        "select is_withdrawn, withdrawal_reason, is_latest from marts.fct_submissions "
        "where submission_id = ?",
        [chosen],
    ).iloc[0]
    assert bool(row.is_withdrawn) and row.withdrawal_reason == "Nhập nhầm số liệu của quý khác"
    assert not bool(row.is_latest)


def test_rising_violations_show_in_the_warning_colour(demo_warehouse, monkeypatch):
    """More violations is bad news: red; more cases handled is good news: green."""
    rising = warehouse.query(
        demo_warehouse,
        "select period_code from marts.rpt_period_summary where report_type = 'quarterly' "
        "and detected_change_rate_vs_previous > 0 and handled_change_rate_vs_previous > 0 "
        "order by period_code limit 1",
    )
    assert not rising.empty
    at = page(demo_warehouse, monkeypatch, rising.period_code.iat[0], "app_pages/overview.py")
    from streamlit.proto.Metric_pb2 import Metric

    colours = {item.label: Metric.MetricColor.Name(item.proto.color) for item in at.metric}
    assert colours["Vụ phát hiện"] == "RED", colours
    assert colours["Vụ đã xử lý"] == "GREEN", colours


def test_metric_deltas_colour_bad_news_as_a_warning_and_zero_as_no_change(demo_warehouse, monkeypatch):
    """More violations or fines in red (delta_color inverse), fewer in green;
    no arrow and no colour for an unchanged figure."""
    from streamlit.proto.Metric_pb2 import Metric

    at = page(demo_warehouse, monkeypatch, "2026-Q3", "app_pages/overview.py")
    summary = warehouse.query(
        demo_warehouse, "select * from marts.rpt_period_summary where period_code = '2026-Q3'"
    ).iloc[0]
    shown = {metric.label: metric.proto for metric in at.metric}
    checked = 0
    for label, key, rise_is_bad in (
        ("Vụ phát hiện", "detected_change_rate_vs_previous", True),
        ("Tiền phạt (đồng)", "fined_vnd_change_rate_vs_previous", True),
        ("Vụ đã xử lý", "handled_change_rate_vs_previous", False),
        ("Tỷ lệ đúng hạn", "on_time_rate_change_vs_previous", False),
        ("Tỷ lệ báo cáo", "reporting_rate_change_vs_previous", False),
    ):
        change, proto = summary[key], shown[label]
        if change == 0:
            assert proto.color == Metric.MetricColor.GRAY and proto.direction == Metric.MetricDirection.NONE
        else:
            good = (change < 0) if rise_is_bad else (change > 0)
            assert proto.color == (Metric.MetricColor.GREEN if good else Metric.MetricColor.RED), label
            assert proto.direction == (
                Metric.MetricDirection.UP if change > 0 else Metric.MetricDirection.DOWN
            )
        checked += 1
    # the demo quarter exercises every case: a bad rise, a good fall, a bad fall, no change
    assert checked == 5 and summary.reporting_rate_change_vs_previous == 0


@pytest.mark.parametrize(
    ("lang", "button", "limit"), [("vi", "Chọn tệp", "mỗi tệp"), ("en", "Choose files", "per file")]
)
def test_the_uploader_speaks_the_chosen_language(demo_warehouse, monkeypatch, lang, button, limit):
    at = app(demo_warehouse, monkeypatch, lang)
    at.switch_page("app_pages/submissions.py").run()
    assert not at.exception, at.exception
    styles = [m.value for m in at.markdown if "stFileUploaderDropzone" in m.value]
    assert len(styles) == 1 and f'content:"{button}"' in styles[0] and limit in styles[0]
    other = "Choose files" if lang == "vi" else "Chọn tệp"
    assert other not in styles[0]
