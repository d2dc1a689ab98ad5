"""The template's narrative sheet (#13): an agency's qualitative results per
task, difficulties and proposals land as the report's narrative part, are
quoted by agency in the consolidated report (sections II and V, editable
before generating) and listed in the annex; bounded, never a formula, and
replaced as a whole by the agency's next template."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from docx import Document
from openpyxl import load_workbook

from netsafe import build, dates, services, warehouse
from netsafe.contract import MAX_NARRATIVE
from netsafe.intake import ingest, templates
from netsafe.intake.reference import load as load_reference
from netsafe.report import figures as report_figures
from netsafe.report import generate
from netsafe.report.consolidated import ReportOptions
from netsafe.store import open_store
from tests.intake_helpers import fill_template, template_bytes

PERIOD = "2024-Q3"
AGENCY = "BT_DOH"


def answered(content: bytes, answers: dict[str, str], *, extra=None) -> bytes:
    """A template with its narrative answers typed in, keyed by row code."""

    def type_answers(wb):
        ws = wb[templates.NARRATIVE_SHEET]
        for row in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
            key = ws.cell(row=row, column=2).value
            if key in answers:
                ws.cell(row=row, column=4).value = answers[key]
        if extra:
            extra(wb)

    return fill_template(content, {"PROPAGANDA_SESSIONS": 3}, {}, extra=type_answers)


def narrative_rows(settings, agency=AGENCY) -> dict[str, str]:
    frame = warehouse.query(
        settings,
        "select narrative_section, task_number, narrative_text from marts.fct_narratives "
        "where agency_code = ? and period_code = ?",
        [agency, PERIOD],
    )
    return {
        templates.narrative_key(
            row.narrative_section, None if pd.isna(row.task_number) else int(row.task_number)
        ): row.narrative_text
        for row in frame.itertuples()
    }


def test_the_template_asks_for_each_assigned_task_then_difficulties_and_proposals(ref):
    wb = load_workbook(io.BytesIO(template_bytes(ref, AGENCY, PERIOD)))
    ws = wb[templates.NARRATIVE_SHEET]
    keys = [ws.cell(row=r, column=2).value for r in range(templates.FIRST_DATA_ROW, ws.max_row + 1)]
    tasks = [number for number, _ in ref.tasks_for(AGENCY)]
    assert keys == [f"results:{n}" for n in tasks] + ["difficulties", "proposals"]
    assert ws.protection.sheet and ws["D5"].protection.locked is False
    lengths = [v for v in ws.data_validations.dataValidation if v.type == "textLength"]
    assert lengths and lengths[0].formula1 == str(MAX_NARRATIVE)


def test_the_agencys_words_reach_the_report_and_the_annex(demo_warehouse_copy, tmp_path):
    settings = demo_warehouse_copy
    ref = load_reference(settings)
    task = ref.tasks_for(AGENCY)[0][0]
    answers = {
        f"results:{task}": "Phổ biến Chỉ thị 22 đến 100% cán bộ của Sở.",
        "difficulties": "Thiếu cán bộ chuyên trách an toàn thông tin.",
        # a list starts with "+" or "-": text, not a formula
        "proposals": "+ Đề nghị tập huấn nhận diện lừa đảo trực tuyến cho cán bộ y tế.",
    }
    content = answered(template_bytes(ref, AGENCY, PERIOD), answers)
    outcome = ingest.ingest(settings, [("so_y_te.xlsx", content)], ref, received_on=date(2024, 9, 16))[0]
    assert outcome.status == "accepted", outcome.problems
    build.build(settings, quiet=True)
    assert narrative_rows(settings) == answers

    figures = report_figures.load(settings, PERIOD)
    draft = services.draft_proposals(figures)
    assert any("Thiếu cán bộ chuyên trách" in line and "Sở Y tế" in line for line in draft)
    edited = [line for line in draft if "Thiếu cán bộ" not in line] + ["Đề nghị Bộ sớm ban hành hướng dẫn."]
    options = ReportOptions(report_date=dates.today(), number="3", proposals=edited)
    report = generate.generate(settings, PERIOD, options, out_dir=tmp_path)
    text = "\n".join(p.text for p in Document(report.docx_path).paragraphs)
    # section II quotes the task's results; section V is what the analyst kept
    assert "“Phổ biến Chỉ thị 22 đến 100% cán bộ của Sở.”" in text
    section_v = text.split("V. KHÓ KHĂN", 1)[1]
    assert "Đề nghị Bộ sớm ban hành hướng dẫn." in section_v and "Thiếu cán bộ" not in section_v
    assert "“+ Đề nghị tập huấn" in section_v
    sheet = load_workbook(report.xlsx_path)["6. Ý kiến của đơn vị"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Thiếu cán bộ chuyên trách an toàn thông tin." in cells
    # in the spreadsheet the leading "+" stays text, never a formula
    assert "'+ Đề nghị tập huấn nhận diện lừa đảo trực tuyến cho cán bộ y tế." in cells

    # the next template replaces the whole narrative, blank answers included
    again = answered(template_bytes(ref, AGENCY, PERIOD), {"difficulties": "Đã được bổ sung cán bộ."})
    outcome = ingest.ingest(settings, [("so_y_te_2.xlsx", again)], ref, received_on=date(2024, 9, 17))[0]
    assert outcome.status == "accepted", outcome.problems
    build.build(settings, quiet=True)
    assert narrative_rows(settings) == {"difficulties": "Đã được bổ sung cán bộ."}


def test_an_answer_too_long_a_formula_or_a_moved_row_is_refused(wh, ref):
    base = template_bytes(ref, AGENCY, PERIOD)

    def outcome_of(name, content):
        result = ingest.ingest(wh, [(name, content)], ref, received_on=date(2024, 9, 10))[0]
        return result.status, "\n".join(str(problem) for problem in result.problems)

    status, text = outcome_of("dai.xlsx", answered(base, {"proposals": "x" * (MAX_NARRATIVE + 1)}))
    assert status == "rejected" and templates.NARRATIVE_SHEET in text and "1001 ký tự" in text

    status, text = outcome_of(
        "cong_thuc.xlsx", answered(base, {"difficulties": '=HYPERLINK("http://x","y")'})
    )
    assert status == "rejected" and "công thức" in text and templates.NARRATIVE_SHEET in text

    def move_rows(wb):
        ws = wb[templates.NARRATIVE_SHEET]
        ws.insert_rows(templates.FIRST_DATA_ROW)

    status, text = outcome_of("chen_dong.xlsx", answered(base, {}, extra=move_rows))
    assert status == "rejected" and templates.NARRATIVE_SHEET in text
    # nothing of the refused files landed
    assert open_store(wh).read_raw("select count(*) as n from raw.narratives").n.iat[0] == 0

    status, _ = outcome_of("dung.xlsx", answered(base, {"difficulties": "Không có."}))
    assert status == "accepted"
