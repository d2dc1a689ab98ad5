"""Problems found in a received file, each naming where it is and what to
fix, in Vietnamese with English beside it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    vi: str
    en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    # Cell reference (e.g. "G7") for highlighting in the feedback workbook.
    cell: str | None = None

    def where_vi(self) -> str:
        parts = [f"tệp {self.file}"]
        if self.sheet:
            parts.append(f"trang '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột '{self.column}'")
        return ", ".join(parts)

    def where_en(self) -> str:
        parts = [f"file {self.file}"]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where_vi()}: {self.vi} / {self.where_en()}: {self.en}"


def join(problems: list[Problem]) -> str:
    return "\n".join(str(problem) for problem in problems)
