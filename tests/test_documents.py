"""Documents an official signs, read as the official would (#13): the report,
its annex and reminder letters for a quarter before and one after the 2025
reorganisation, rendered to PDF by LibreOffice. No machine code in any text,
no number broken across lines, the same percentage everywhere it appears,
nothing received after the date a document bears, and reminders addressed to
exactly the agencies that owed a report on their date."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from dashboards import i18n
from netsafe import warehouse
from netsafe.formatting import percent, signed_percent
from netsafe.report import generate, reminders
from netsafe.report.consolidated import ReportOptions
from netsafe.settings import Settings
from netsafe.store import open_store
from tests.documents import texts

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None, reason="LibreOffice/poppler absent"
)

# a quarter before the reorganisation, reported soon after its deadline (one
# agency's report arrived two days after this date), and one after it
REPORTS = {"2024-Q3": date(2024, 10, 5), "2025-Q4": date(2026, 1, 10)}
# letters: right after a deadline; by a body abolished since (its successor in
# force is chased); and, after 2025-07-01, for a report owed by a body merged away
LETTERS = {"2024-Q3": date(2024, 9, 25), "2024-Q4": date(2025, 4, 1), "2021-Q4": date(2026, 1, 10)}
CODE = re.compile(r"[A-Z]{2,}_[A-Z0-9_]+|\d{4}-(?:Q|M|H)\d")
NUMBER = re.compile(r"^[+-]?\d[\d.]*(?:,\d+)?%?$")
DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def docx_texts(path: Path) -> list[str]:
    return texts(Document(path))


def table_cells(path: Path) -> list[str]:
    """Every cell of every data table (the header blocks have no numbers)."""
    return [cell.text for table in Document(path).tables for row in table.rows for cell in row.cells]


def to_pdf_text(paths: list[Path], out: Path) -> dict[Path, str]:
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{out / 'profile'}", "--convert-to", "pdf"]
        + ["--outdir", str(out), *map(str, paths)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    texts = {}
    for path in paths:
        pdf = out / f"{path.stem}.pdf"
        texts[path] = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout
    return texts


@pytest.fixture(scope="module")
def documents(demo_warehouse, tmp_path_factory):
    data = tmp_path_factory.mktemp("documents") / "data"
    shutil.copytree(demo_warehouse.data_dir, data, ignore=shutil.ignore_patterns("build"))
    settings = Settings(data_dir=data)
    out = tmp_path_factory.mktemp("documents-out")
    reports = {
        period: generate.generate(settings, period, ReportOptions(report_date=on, number="5"), out_dir=out)
        for period, on in REPORTS.items()
    }
    letters = {}
    for period, on in LETTERS.items():
        options = reminders.ReminderOptions(letter_date=on, number="9")
        rows = reminders.targets_on(settings, period, options)
        paths = reminders.generate(settings, period, options, out / period, rows=rows)
        letters[period] = (rows, paths)
    docx = [r.docx_path for r in reports.values()] + [p for _, paths in letters.values() for p in paths]
    return settings, reports, letters, to_pdf_text(docx, out / "pdf")


def test_no_machine_code_in_any_text_a_person_reads(documents):
    settings, reports, letters, _ = documents
    type_codes = warehouse.query(settings, "select violation_type_code from marts.dim_violation_types")
    bare = re.compile(r"\b(?:" + "|".join(type_codes.violation_type_code) + r")\b")
    texts = {}
    for report in reports.values():
        texts[report.docx_path.name] = docx_texts(report.docx_path)
        workbook = load_workbook(report.xlsx_path)
        texts[report.xlsx_path.name] = [
            cell
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str)
        ] + workbook.sheetnames
    for _, paths in letters.values():
        for path in paths:
            texts[path.name] = docx_texts(path)
    assert all(len(found) > 20 for found in texts.values())
    for name, found in texts.items():
        for text in found:
            assert not CODE.search(text), (name, text)
            assert not bare.search(text), (name, text)


def test_every_table_number_prints_unbroken(documents):
    _, reports, letters, pdf_text = documents
    for path, text in pdf_text.items():
        tokens = re.findall(r"[+-]?\d[\d.,]*%?", text)
        numbers = [cell.strip() for cell in table_cells(path) if NUMBER.match(cell.strip())]
        if path in [r.docx_path for r in reports.values()]:
            assert len(numbers) > 30
        # each number as many times in the PDF as in the document: one broken
        # across two lines would print as two pieces and be missing
        everything = "\n".join(docx_texts(path))
        for value in set(numbers):
            in_docx = len(re.findall(rf"(?<![\d.,]){re.escape(value)}(?![\d.,%])", everything))
            assert tokens.count(value) >= in_docx, (path.name, value)


def test_percentages_agree_between_report_annex_and_dashboard(documents, monkeypatch):
    settings, reports, _, _ = documents
    monkeypatch.setattr(i18n, "lang", lambda: "vi")
    report = reports["2024-Q3"]
    table = next(t for t in Document(report.docx_path).tables if t.rows[0].cells[0].text == "Loại vi phạm")
    header = [c.text for c in table.rows[0].cells]
    docx_rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    sheet = load_workbook(report.xlsx_path)["1. Loại vi phạm"]
    annex_header = [c.value for c in sheet[3]]
    annex_rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    marts = warehouse.query(
        settings,
        "select types.name_vi, summary.detected_change_rate_vs_previous as change "
        "from marts.rpt_violation_summary as summary "
        "inner join marts.dim_violation_types as types using (violation_type_code) "
        "where summary.period_code = '2024-Q3'",
    )
    for row in marts.itertuples():
        docx = docx_rows[row.name_vi][header.index("So kỳ trước")]
        annex = annex_rows[row.name_vi][annex_header.index("So kỳ trước")]
        assert docx == signed_percent(annex) == i18n.signed_pct(row.change), row.name_vi
    # the provincial total, and the reporting rate, as the dashboard's overview shows them
    overview = warehouse.query(
        settings, "select * from marts.rpt_period_summary where period_code = '2024-Q3'"
    ).iloc[0]
    total = docx_rows["Tổng cộng"][header.index("So kỳ trước")]
    assert total == signed_percent(annex_rows["Tổng cộng"][annex_header.index("So kỳ trước")])
    assert total == i18n.signed_pct(overview.detected_change_rate_vs_previous)
    report_text = " ".join(docx_texts(report.docx_path))
    known_then = generate.known_on(settings, REPORTS["2024-Q3"])[0]
    rate = warehouse.scalar(
        known_then, "select reporting_rate from marts.rpt_period_compliance where period_code = '2024-Q3'"
    )
    assert f"tỷ lệ {i18n.pct(rate)}" in report_text and f"tỷ lệ {percent(rate)}" in report_text


def test_a_report_dated_d_knows_nothing_received_after_d(documents):
    settings, reports, _, _ = documents
    for period, on in REPORTS.items():
        report = reports[period]
        for text in docx_texts(report.docx_path):
            for day, month, year in DATE.findall(text):
                assert date(int(year), int(month), int(day)) <= on, (period, text)
        # the DIC's own report of 2024-Q3 arrived after the report's date: awaited, not received
        if period == "2024-Q3":
            landed_after = open_store(settings).read_raw(
                "select agency_code from raw.submissions where period_code = ? and landed_at > ? "
                "and status = 'accepted'",
                [period, datetime.combine(on, time.max)],
            )
            assert not landed_after.empty
            table = next(
                t
                for t in Document(report.docx_path).tables
                if [c.text for c in t.rows[0].cells[:2]] == ["Cơ quan, đơn vị", "Tình trạng"]
            )
            statuses = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
            names = warehouse.query(settings, "select agency_code, name_vi from marts.dim_agencies")
            for code in landed_after.agency_code:
                assert statuses[names.set_index("agency_code").name_vi[code]] == "Chưa gửi"
        # and the recorded data cut reproduces the same figures
        again = generate.generate(
            settings, period, ReportOptions(report_date=on, number="5"), as_of=report.as_of
        )
        assert again.figures_sha256 == report.figures_sha256


def expected_addressees(settings: Settings, period: str, on: date) -> dict[str, set[str]]:
    """The oracle, from raw landing and the registry directly: agencies
    expected for the period (the DIC excepted), deadline passed on `on`, with
    no accepted report landed by the end of `on`; each addressed to itself if
    in force on `on`, else to its successor in force then, else to nobody."""
    expected = warehouse.query(
        settings,
        "select compliance.agency_code from marts.rpt_agency_compliance as compliance "
        "inner join marts.dim_agencies as agencies using (agency_code) "
        "where compliance.period_code = ? and compliance.is_expected and agencies.agency_role <> 'dic'",
        [period],
    ).agency_code
    deadline = pd.Timestamp(
        warehouse.scalar(
            settings, "select reporter_deadline_date from marts.dim_periods where period_code = ?", [period]
        )
    ).date()
    if on <= deadline:
        return {}
    received = set(
        open_store(settings)
        .read_raw(
            "select agency_code from raw.submissions where period_code = ? and status = 'accepted' "
            "and landed_at <= ?",
            [period, datetime.combine(on, time.max)],
        )
        .agency_code
    )
    registry = warehouse.query(
        settings, "select agency_code, valid_from, valid_to, successor_agency_code from marts.dim_agencies"
    ).set_index("agency_code")
    day = pd.Timestamp(on)
    addressed: dict[str, set[str]] = {}
    for code in set(expected) - received:
        current = code
        while isinstance(current, str):
            entry = registry.loc[current]
            if pd.Timestamp(entry.valid_from) <= day and (
                pd.isna(entry.valid_to) or pd.Timestamp(entry.valid_to) > day
            ):
                addressed.setdefault(current, set()).add(code)
                break
            current = entry.successor_agency_code if isinstance(entry.successor_agency_code, str) else None
    return addressed


def test_reminders_dated_d_address_exactly_who_owed_a_report_that_day(documents):
    settings, _, letters, pdf_text = documents
    for period, on in LETTERS.items():
        rows, paths = letters[period]
        oracle = expected_addressees(settings, period, on)
        chased: dict[str, set[str]] = {}
        for row in rows.itertuples():
            chased.setdefault(row.agency_code, set()).add(row.reporter_code)
        assert chased == oracle, period
        assert len(paths) == len(oracle)
        for path in paths:
            text = pdf_text[path]
            assert f"Tính đến ngày {on.day}/{on.month}/{on.year}" in text.replace("\n", " ")
            assert "Thông tin liên hệ" in text.replace("\n", " ")
            # the template of each report asked for travels with the letter
            agency = path.stem.split(f"{period}_", 1)[1]
            for reporter in oracle[agency]:
                assert (path.parent / f"mau_bao_cao_{period}_{reporter}.xlsx").exists()
    # a body abolished before the letter is never addressed; its successor is, for its report
    rows, _ = letters["2024-Q4"]
    successor = rows[rows.reporter_code != rows.agency_code]
    assert not successor.empty
    assert set(successor.reporter_code).isdisjoint(set(rows.agency_code))
