"""Reading generated Word documents in tests: their text as a person reads it."""

from __future__ import annotations


def texts(doc) -> list[str]:
    """Every paragraph's text, body first, then every table cell's (python-docx Document)."""
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(p.text for p in cell.paragraphs)
    return found
