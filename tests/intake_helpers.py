"""Helpers for intake tests: fill a template as an agency would."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from netsafe.intake import templates


def fill_template(content: bytes, indicator_values: dict, incidents: dict, *, extra=None) -> bytes:
    """Fill value cells of a template the way a person would in Excel.

    incidents maps (area_code, violation_type_code) -> {stage label: value}.
    """
    wb = load_workbook(io.BytesIO(content))
    ws = wb[templates.INDICATOR_SHEET]
    for row in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
        code = ws.cell(row=row, column=2).value
        if code in indicator_values:
            ws.cell(row=row, column=5).value = indicator_values[code]
    if templates.INCIDENT_SHEET in wb.sheetnames:
        ws = wb[templates.INCIDENT_SHEET]
        labels = {
            ws.cell(row=templates.HEADER_ROW, column=col).value: col for col in range(1, ws.max_column + 1)
        }
        for row in range(templates.FIRST_DATA_ROW, ws.max_row + 1):
            key = (ws.cell(row=row, column=2).value, ws.cell(row=row, column=4).value)
            for label, value in incidents.get(key, {}).items():
                ws.cell(row=row, column=labels[label]).value = value
    if extra:
        extra(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_bytes(ref, agency: str, period: str = "2024-Q3") -> bytes:
    """The template `netsafe template` writes for an agency and period."""
    out = io.BytesIO()
    templates.build_workbook(ref, agency, period).save(out)
    return out.getvalue()
